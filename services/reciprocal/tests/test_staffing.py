"""Named leads follow the directory (seed ``002_c1c7b199d9a53274.txt`` §3: partners are
responsible for "Identifying named leads ... and informing Cambridgeshire Specialist DA
Services of any changes in staffing"), over a real nats-server.

The test plays the directory's side of the contract: it publishes ``role-holder-changed``
to the directory's stream exactly as the directory's outbox would, and answers the
``role-holders`` request the reciprocal sends for the new lead's name.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import nats
import pytest

from haven_contracts.events.directory import RoleHolder, RoleHolderChanged, RoleHolderLookup, RoleHolderReply
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import request_subject, stream_name
from haven_runtime.testing import eventually


@pytest.mark.rule("reciprocal.named-leads-staffing")
async def test_a_directory_change_of_named_lead_reaches_the_reciprocal(recip, nats_server):
    c = recip.client
    r = await c.post(
        f"/schemes/{recip.coord}/partners/fenland/named-leads",
        json={"officer_id": "fenland-housing-a", "name": "Alex Example"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 201
    ref = (await recip.refer())["referral_ref"]
    await c.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())

    nc = await nats.connect(nats_server.url)

    async def directory_answers(msg):
        lookup = msgspec.json.decode(msg.data, type=RoleHolderLookup)
        assert lookup.positions == ["reciprocal_named_lead"]
        holder = RoleHolder(officer_id="fenland-housing-b", position="reciprocal_named_lead", name="Sam Example")
        await msg.respond(encode(RoleHolderReply(org="fenland", holders=[holder])))

    await nc.subscribe(request_subject("directory", "role-holders", 1, "fenland"), cb=directory_answers)
    for position, officer, previous in [
        ("dv_lead", "someone", None),
        ("reciprocal_named_lead", "fenland-housing-b", "fenland-housing-a"),
    ]:
        event = RoleHolderChanged(
            org="fenland",
            position=position,
            officer_id=officer,
            previous_officer_id=previous,
            effective_from=datetime.now(UTC),
        )
        envelope = envelope_for(event, subject=officer)
        await nc.jetstream().publish(
            event.subject, encode(event), headers=envelope.to_headers(), stream=stream_name("directory")
        )

    async def current_leads():
        partners = (await c.get(f"/schemes/{recip.coord}/partners", headers=recip.coordinator())).json()
        return [
            (l["officer_id"], l["name"])
            for l in next(p for p in partners if p["org"] == "fenland")["named_leads"]
            if l["end"] is None
        ]

    async def changed():
        return await current_leads() == [("fenland-lead-1", "Named Lead fenland"), ("fenland-housing-b", "Sam Example")]

    await eventually(changed)
    r = await c.post(
        f"/referrals/{ref}/signoff",
        json={"decision": "approved"},
        headers=recip.token("fenland", "named_lead", sub="fenland-housing-a"),
    )
    assert r.status_code == 403
    r = await c.post(
        f"/referrals/{ref}/signoff",
        json={"decision": "approved"},
        headers=recip.token("fenland", "named_lead", sub="fenland-housing-b"),
    )
    assert r.status_code == 200, r.text
    await nc.close()
