"""The foundation's end-to-end flow over a real nats-server (seed ``000_93a7cd5d2a8b6030.txt``):

"borough A will make contact with borough B in advance using a list of named officers
with DV leads and team managers" — the options service asks the directory over NATS who
B's DV lead and team manager are and addresses the notification to them; B's inbox
consumer receives it.
"""

from __future__ import annotations

import nats

from haven_runtime.testing import eventually, flushed
from haven_runtime.testing.plugins import case_with_accepted_duty


async def test_advance_contact_reaches_borough_b_named_officers(start_service, token, nats_server):
    await start_service("directory")
    options = await start_service("options")

    seen: list = []
    nc = await nats.connect(nats_server.url)

    async def collect(msg):
        seen.append(msg)

    await nc.subscribe(">", cb=collect)
    await flushed(nc)

    case_ref = await case_with_accepted_duty(options, token("bexley", "options_officer"))
    r = await options.post(
        "/jwa/notifications",
        json={"case_ref": case_ref, "to_org": "bromley"},
        headers=token("bexley", "options_officer"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["addressed_to"] == ["bromley-dv-lead", "bromley-team-manager"]

    inbox = await eventually(lambda: _inbox(options, token("bromley", "dv_lead")))
    assert inbox[0]["case_ref"] == case_ref
    assert inbox[0]["from_org"] == "bexley"

    # Bexley does not see Bromley's inbox
    assert (await _inbox(options, token("bexley", "dv_lead"))) == []

    await eventually(lambda: [m for m in seen if m.subject.startswith("haven.options.evt.move-notified")])
    msg = [m for m in seen if m.subject.startswith("haven.options.evt.move-notified")][0]
    assert msg.headers["Nats-Msg-Id"] == msg.headers["ce-id"]
    assert msg.headers["ce-type"] == "haven.options.move-notified.v1"
    await nc.close()

    ack = await options.post(f"/jwa/inbox/{body['ref']}/acknowledge", headers=token("bromley", "dv_lead"))
    assert ack.status_code == 200
    again = await options.post(f"/jwa/inbox/{body['ref']}/acknowledge", headers=token("bromley", "dv_lead"))
    assert again.status_code == 409


async def test_changing_the_dv_lead_changes_who_is_addressed(start_service, token):
    directory = await start_service("directory")
    options = await start_service("options")
    manager = token("bromley", "team_manager")
    r = await directory.put(
        "/orgs/bromley/positions/dv_lead", json={"officer_key": "bromley-team-manager"}, headers=manager
    )
    assert r.status_code == 200, r.text
    case_ref = await case_with_accepted_duty(options, token("bexley", "options_officer"))
    r = await options.post(
        "/jwa/notifications",
        json={"case_ref": case_ref, "to_org": "bromley"},
        headers=token("bexley", "options_officer"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["addressed_to"] == ["bromley-team-manager"]


async def test_anonymous_is_401_and_other_org_is_403(start_service, token):
    directory = await start_service("directory")
    r = await directory.put("/orgs/bromley/positions/dv_lead", json={"officer_key": "bromley-team-manager"})
    assert r.status_code == 401
    r = await directory.put(
        "/orgs/bromley/positions/dv_lead",
        json={"officer_key": "bromley-team-manager"},
        headers=token("bexley", "team_manager"),
    )
    assert r.status_code == 403
    assert (await directory.get("/health/live")).status_code == 200


async def _inbox(client, headers):
    r = await client.get("/jwa/inbox", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()
