"""Directory federation: each deployment's directory owns only its hosted
organisations; another deployment learns their role holders from ``RoleHoldersPublished``
and routes JWA notifications from its own read model, with no round trip to the owner.

Two deployments in this process, each with its own settings and SQLite files, on one
nats-server.
"""

from __future__ import annotations

from haven_runtime.identity import issue_token
from haven_runtime.testing import eventually, make_settings
from haven_runtime.testing.plugins import case_with_accepted_duty


def _deployment(tmp_path, nats_url: str, name: str, orgs: str):
    return make_settings(
        tmp_path / name, nats_url, HAVEN_DEPLOYMENT=name, HAVEN_HOSTED_ORGS=orgs, HAVEN_FEDERATION_RESCAN_SECONDS="0.5"
    )


def _auth(settings, org: str, *roles: str, sub: str = "officer-1") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(sub, org, roles, settings=settings)}"}


async def test_a_deployment_knows_nothing_of_another_until_its_directory_events_arrive(
    start_service, nats_server, tmp_path
):
    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    lewisham = _deployment(tmp_path, nats_server.url, "lewisham", "lewisham")
    await start_service("directory", settings=bexley)
    options = await start_service("options", settings=bexley)
    officer = _auth(bexley, "bexley", "options_officer")
    case = await case_with_accepted_duty(options, officer)

    r = await options.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
    assert r.status_code == 422, r.text
    assert "no directory entry for lewisham has reached this deployment" in r.text

    lewisham_directory = await start_service("directory", settings=lewisham)

    async def notified():
        r = await options.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    sent = await eventually(notified)
    assert sent["addressed_to"] == ["lewisham-dv-lead", "lewisham-team-manager"]

    # a new DV lead at Lewisham's own directory reaches Bexley's read model
    r = await lewisham_directory.put(
        "/orgs/lewisham/positions/dv_lead",
        json={"officer_key": "lewisham-team-manager"},
        headers=_auth(lewisham, "lewisham", "team_manager"),
    )
    assert r.status_code == 200, r.text

    async def readdressed():
        r = await options.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
        return r.status_code == 201 and r.json()["addressed_to"] == ["lewisham-team-manager"]

    await eventually(readdressed)
    # Bexley's directory still holds nothing of Lewisham, and cannot be used to change it
    r = await options.post("/jwa/notifications", json={"case_ref": case, "to_org": "greenwich"}, headers=officer)
    assert r.status_code == 422 and "greenwich" in r.text


async def test_borough_b_acknowledges_and_borough_a_sees_it(start_service, nats_server, tmp_path):
    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    lewisham = _deployment(tmp_path, nats_server.url, "lewisham", "lewisham")
    await start_service("directory", settings=lewisham)
    sender = await start_service("options", settings=bexley)
    receiver = await start_service("options", settings=lewisham)
    officer = _auth(bexley, "bexley", "options_officer")
    case = await case_with_accepted_duty(sender, officer)

    async def notified():
        r = await sender.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
        return r.json() if r.status_code == 201 else None

    ref = (await eventually(notified))["ref"]
    lead = _auth(lewisham, "lewisham", "dv_lead", sub="lewisham-dv-lead")

    async def arrived():
        r = await receiver.get("/jwa/inbox", headers=lead)
        return [i for i in r.json() if i["ref"] == ref]

    await eventually(arrived)
    r = await receiver.post(f"/jwa/inbox/{ref}/acknowledge", headers=lead)
    assert r.status_code == 200, r.text

    async def acknowledged():
        r = await sender.get("/jwa/notifications", headers=officer)
        return [n for n in r.json() if n["ref"] == ref and n["acknowledged"]]

    await eventually(acknowledged)
