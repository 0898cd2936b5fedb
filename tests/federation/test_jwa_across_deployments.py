"""The JWA between boroughs that each run their own deployment,
each a separate set of OS processes with its own data directory and keys on one nats-server.

Seed ``000_93a7cd5d2a8b6030.txt``: "borough A will make contact with borough B in advance
using a list of named officers with DV leads and team managers".
"""

from __future__ import annotations

import httpx
import msgspec
import pytest

from haven_contracts.events.options import ReferralDetailsRequest
from haven_runtime.bus import NotHostedOnBus, make_broker, request
from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import case_with_accepted_duty


async def test_advance_notification_from_bexley_is_acknowledged_by_lewisham_and_bexley_sees_it(federation):
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    officer = bexley.token("bexley", "options_officer")
    lead = lewisham.token("lewisham", "dv_lead", sub="lewisham-dv-lead")
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        case = await case_with_accepted_duty(a, officer)

        async def notified():
            # 422 until Lewisham's directory snapshot has reached Bexley's read model
            r = await a.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
            assert r.status_code in (201, 422), r.text
            return r.json() if r.status_code == 201 else None

        sent = await eventually(notified)
        assert sent["addressed_to"] == ["lewisham-dv-lead", "lewisham-team-manager"]

        async def in_lewisham_inbox():
            r = await b.get("/jwa/inbox", headers=lead)
            return [i for i in r.json() if i["ref"] == sent["ref"]]

        (item,) = await eventually(in_lewisham_inbox)
        assert item["from_org"] == "bexley" and item["case_ref"] == case
        r = await b.post(f"/jwa/inbox/{sent['ref']}/acknowledge", headers=lead)
        assert r.status_code == 200, r.text

        async def acknowledged_at_bexley():
            r = await a.get("/jwa/notifications", headers=officer)
            return [n for n in r.json() if n["ref"] == sent["ref"] and n["acknowledged"]]

        await eventually(acknowledged_at_bexley)
        # Bexley's deployment never stored Lewisham's inbox: the notification is not in its own
        r = await a.get("/jwa/inbox", headers=officer)
        assert r.status_code == 200 and r.json() == []


async def test_a_token_issued_by_one_deployment_is_refused_by_another(federation):
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    async with httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b:
        assert (await b.get("/jwa/inbox", headers=lewisham.token("lewisham", "dv_lead"))).status_code == 200
        # signed by Bexley's deployment, even claiming a Lewisham officer
        assert (await b.get("/jwa/inbox", headers=bexley.token("bexley", "dv_lead"))).status_code == 401
        forged = bexley.settings
        from haven_runtime.identity import issue_token

        claim = issue_token("x", "lewisham", ["dv_lead"], settings=msgspec.structs.replace(forged, hosted_orgs=None))
        assert (await b.get("/jwa/inbox", headers={"Authorization": f"Bearer {claim}"})).status_code == 401


@pytest.mark.no_responders
async def test_a_request_to_an_organisation_no_deployment_hosts_fails_fast(federation):
    bexley = federation["bexley"]
    broker = make_broker(bexley.nats_url, name="federation-test")
    async with broker:
        await broker.connect()
        asked = ReferralDetailsRequest(
            target_org="lewisham",
            requested_by="bexley",
            case_ref="CASE-7K3QD9X2FB",
            referral_ref="JWA-7K3QD9X2FB",
            requested_by_officer="officer-1",
            purpose="federation test",
        )
        reply = await request(broker, asked, timeout=10)
        assert reply.ok is False  # Lewisham's deployment answered (no such case), it did not time out
        # NATS answers "no responders" at once: the error says so instead of a timeout
        with pytest.raises(NotHostedOnBus, match="greenwich"):
            await request(broker, msgspec.structs.replace(asked, target_org="greenwich"), timeout=10)
    async with httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a:
        officer = bexley.token("bexley", "options_officer")
        case = await case_with_accepted_duty(a, officer)
        r = await a.post("/jwa/notifications", json={"case_ref": case, "to_org": "greenwich"}, headers=officer)
        assert r.status_code == 422 and "no directory entry for greenwich" in r.text
