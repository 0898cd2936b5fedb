"""A full referral → move flow over a real nats-server (seed ``002_c1c7b199d9a53274.txt``).

"The Cambridgeshire Housing Reciprocal agreement is a voluntary collaboration between
local authorities and registered providers which allows tenants with a social tenancy at
risk of harm ... to move to another local authority area and keep a social tenancy. ...
The referring Local Authority or registered provider then owes an equal size property."
"""

from __future__ import annotations

import msgspec
import nats
import pytest

from haven_runtime.testing import eventually, flushed

EXPECTED = {
    "referral-received",
    "signoff-requested",
    "signed-off",
    "arc-issued",
    "referral-accepted",
    "property-offered",
    "match-proposed",
    "match-confirmed",
    "offer-accepted",
    "move-completed",
    "ledger-posted",
    "previous-tenancy-ended",
}


@pytest.mark.rule("reciprocal.arc-in-all-communications")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_referral_to_move_over_nats_carries_only_the_arc(recip, nats_server):
    """Seed 002: "Using the ARC in all partnership communications for security purposes" —
    no name, contact or address appears in any subject, header or payload of the flow."""
    nc = await nats.connect(nats_server.url)
    seen: list = []

    async def collect(msg):
        seen.append(msg)

    await nc.subscribe("haven.>", cb=collect)
    await flushed(nc)
    c = recip.client

    arc = await recip.accepted()
    prop = await recip.offer("cambridge")
    assert await recip.offered(arc) == "cambridge"
    r = await c.post(f"/referrals/{arc}/offer", json={"accepted": True}, headers=recip.coordinator())
    assert r.status_code == 200, r.text
    r = await c.post(f"/referrals/{arc}/move", json={"tenancy_start": "2026-11-30"}, headers=recip.lead("cambridge"))
    assert r.status_code == 200, r.text
    assert r.json()["previous_tenancy_due_at"]
    r = await c.post(
        f"/referrals/{arc}/previous-tenancy-ended",
        json={"ended_on": "2026-12-06", "costs_pence": {"void_rent": 45000, "clearance": 12000}},
        headers=recip.lead("fenland"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["costs_pence"] == 57000

    status = await recip.status(arc, headers=recip.lead("fenland"))
    assert status["status"] == "completed"
    assert [s["stage"] for s in status["stages"]] == [
        "received",
        "awaiting_referring_signoff",
        "referring_signed_off",
        "accepted",
        "proposed",
        "awaiting_receiving_signoff",
        "offered",
        "offer_accepted",
        "moved",
        "completed",
    ]
    assert all(s["entered_at"] for s in status["stages"])
    assert status["property_ref"] == prop

    r = await c.get(f"/schemes/{recip.coord}/ledger", headers=recip.coordinator())
    balances = {(b["partner"], b["bedrooms"]): b["balance"] for b in r.json()["balances"]}
    assert balances == {("fenland", 2): -1, ("cambridge", 2): 1}
    assert r.json()["total"] == 0

    def types():
        return {m.headers["ce-type"].split(".")[2] for m in seen if m.subject.startswith("haven.reciprocal.evt")}

    await eventually(lambda: EXPECTED <= types())
    for msg in seen:
        blob = msg.subject + msg.data.decode() + msgspec.json.encode(msg.headers or {}).decode()
        for value in recip.personal:
            assert value not in blob, (msg.subject, value)
    bodies = [
        (m.headers["ce-type"], msgspec.json.decode(m.data))
        for m in seen
        if m.subject.startswith("haven.reciprocal.evt")
    ]
    assert {b.get("arc") for _, b in bodies} <= {arc, None}
    linking = {"haven.reciprocal.arc-issued.v1", "haven.reciprocal.referral-accepted.v1"}
    for kind, body in bodies:
        if body.get("arc") and kind not in linking:
            assert body.get("referral_ref") is None, kind
    addressed = [m.subject for m in seen if ".move-completed." in m.subject]
    assert addressed == ["haven.reciprocal.evt.move-completed.v1.cambridge.fenland"]
    await nc.close()


@pytest.mark.rule("reciprocal.tracking")
async def test_partners_follow_by_arc_and_others_cannot(recip):
    """Seed 002: the coordinator keeps "all partners up-to-date with progress"; a partner not
    involved in a referral is refused without learning whether it exists."""
    arc = await recip.accepted()
    assert (await recip.status(arc, headers=recip.lead("fenland")))["status"] == "accepted"
    r = await recip.client.get(f"/referrals/{arc}", headers=recip.lead("huntingdonshire"))
    assert r.status_code == 404  # the same answer either way
    r = await recip.client.get("/referrals/ARC-000000000000", headers=recip.lead("huntingdonshire"))
    assert r.status_code == 404  # the same answer either way
    listed = (await recip.client.get("/referrals", headers=recip.lead("fenland"))).json()
    assert [x["arc"] for x in listed] == [arc]
    assert (await recip.client.get("/referrals", headers=recip.lead("cambridge"))).json() == []
    admin = (await recip.client.get("/referrals", headers=recip.token("fenland", "admin", sub="fen-admin"))).json()
    assert [x["arc"] for x in admin] == [arc]
