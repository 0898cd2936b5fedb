"""The aggregated public Open Referral (HSDS) directory a hub deployment serves, built from the
directory events every other deployment publishes:
each organisation's public entries reach the hub; its confidential entries never leave it.

Seed ``000_93a7cd5d2a8b6030.txt``: options come with "links to appropriate support agencies" —
the public listing is where a client, or an agency in another borough, finds them.
"""

from __future__ import annotations

import httpx

from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import case_with_accepted_duty


async def _names(client: httpx.AsyncClient, **params) -> dict[str, dict]:
    r = await client.get("/services", params={"per_page": 500, **params})
    assert r.status_code == 200, r.text
    return {s["name"]: s for s in r.json()["contents"]}


async def test_the_hub_lists_another_deployments_public_services_and_never_a_confidential_one(federation):
    bexley, hub, lewisham = federation["bexley"], federation["southwark-dartford"], federation["lewisham"]
    lead = bexley.token("bexley", "dv_lead", sub="bexley-dv-lead")
    async with (
        httpx.AsyncClient(base_url=bexley.url("directory"), timeout=10) as b,
        httpx.AsyncClient(base_url=hub.url("directory"), timeout=10) as h,
        httpx.AsyncClient(base_url=lewisham.url("directory"), timeout=10) as other,
    ):
        seeded = await _names(b, organization_id="bexley")
        assert seeded, "Bexley's plugin publishes public services"

        async def seeded_at_hub():
            return set(seeded) <= set(await _names(h, organization_id="bexley"))

        await eventually(seeded_at_hub)
        # a confidential service, then a public one: the hub gets the second and never the first
        secret = {
            "key": "bexley-invented-confidential-line",
            "name": "Invented confidential line",
            "confidential": True,
            "description": "Known to partner officers only.",
            "taxonomy": ["refuge"],
        }
        public = {
            "key": "bexley-invented-drop-in",
            "name": "Invented housing drop-in",
            "description": "A public drop-in.",
            "taxonomy": ["housing-options"],
        }
        for body in (secret, public):
            r = await b.post("/catalogue/services", json=body, headers=lead)
            assert r.status_code in (200, 201), r.text

        async def new_one_at_hub():
            names = await _names(h)
            return names if public["name"] in names else None

        names = await eventually(new_one_at_hub)
        assert names[public["name"]]["organization_id"] == seeded[next(iter(seeded))]["organization_id"]
        assert secret["name"] not in names and secret["name"] not in await _names(h, full="true")
        assert secret["name"] not in (await h.get("/services", params={"format": "ndjson"})).text
        r = await h.get(f"/services/{names[public['name']]['id']}")
        assert r.status_code == 200 and r.json()["name"] == public["name"]
        # Bexley's organisation resolves at the hub too, with its public services only
        bexley_id = names[public["name"]]["organization_id"]
        r = await h.get("/organizations", params={"per_page": 500})
        assert bexley_id in {o["id"] for o in r.json()["contents"]}
        r = await h.get(f"/organizations/{bexley_id}")
        assert r.status_code == 200, r.text
        listed = {s["name"] for s in r.json()["services"]}
        assert public["name"] in listed and secret["name"] not in listed
        # the hub's own organisations are listed beside Bexley's
        assert any(s["organization_id"] != names[public["name"]]["organization_id"] for s in names.values())
        # a deployment that is not a hub lists only its own organisations
        assert public["name"] not in await _names(other) and not set(seeded) & set(await _names(other))


async def test_a_new_dv_lead_named_in_one_deployment_is_addressed_by_every_other(federation):
    """000_93a7cd5d2a8b6030.txt: borough A contacts borough B "using a list of named officers with DV leads and
    team managers". Southwark names a new DV lead in its own deployment's directory; Bexley's and Lewisham's
    deployments learn it from the directory's events and address their next advance contact to that officer."""
    southwark = federation["southwark-dartford"]
    manager = southwark.token("southwark", "team_manager", sub="southwark-team-manager")
    async with httpx.AsyncClient(base_url=southwark.url("directory"), timeout=10) as d:
        r = await d.post(
            "/officers",
            headers=manager,
            json={
                "key": "southwark-dv-lead-new",
                "name": "New DV lead (invented)",
                "email": "new.dv.lead@southwark.example",
            },
        )
        assert r.status_code == 201, r.text
        r = await d.put(
            "/orgs/southwark/positions/dv_lead", headers=manager, json={"officer_key": "southwark-dv-lead-new"}
        )
        assert r.status_code == 200, r.text

    for sender in ("bexley", "lewisham"):
        deployment = federation[sender]
        officer = deployment.token(sender, "options_officer", sub=f"{sender}-officer-9")
        async with httpx.AsyncClient(base_url=deployment.url("options"), timeout=10) as a:
            case = await case_with_accepted_duty(a, officer)

            async def addressed_to_the_new_lead():
                r = await a.post("/jwa/notifications", json={"case_ref": case, "to_org": "southwark"}, headers=officer)
                assert r.status_code in (201, 422), r.text
                if r.status_code == 201 and "southwark-dv-lead-new" in r.json()["addressed_to"]:
                    return r.json()
                return None

            sent = await eventually(addressed_to_the_new_lead)
            assert "southwark-dv-lead-new" in sent["addressed_to"], sent
