"""Offers, matching and moves through the API (seed ``002_c1c7b199d9a53274.txt``; seed
``003_8738e4ccc4c4272a.txt`` principle 8: a transfer "on a like for like basis and where
possible, away from the victim's local area")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_reciprocal.moves import check_overdue
from haven_reciprocal.tables import PoolProperty, Refusal
from haven_runtime.testing.plugins import normalise, seed_text

BOTH_DATABASES = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
"""HTTP-only tests: they also run on PostgreSQL when HAVEN_TEST_POSTGRES_DSN is set."""


@pytest.mark.rule("reciprocal.another-area")
@BOTH_DATABASES
async def test_matcher_never_proposes_the_current_or_an_unsafe_area(recip):
    """Seed 002 §1: the reciprocal lets a household "move to another local authority area"; never
    into an area recorded as unsafe for it, and only at the size it needs ("an equal size property")."""
    arc = await recip.accepted(unsafe_areas=["fenland", "cambridge"], preferred_areas=[])
    await recip.offer("fenland", bedrooms=2)
    await recip.offer("cambridge", bedrooms=2)
    await recip.offer("huntingdonshire", bedrooms=3)
    assert (await recip.run_matching())["proposals"] == []
    prop = await recip.offer("huntingdonshire", bedrooms=2)
    run = await recip.run_matching()
    assert [(p["arc"], p["property_ref"]) for p in run["proposals"]] == [(arc, prop)]
    assert run["maximum_possible"] == 1


@BOTH_DATABASES
async def test_accessibility_needs_are_met(recip):
    """Only properties with the household's accessibility needs are proposed."""
    await recip.accepted(accessibility=["wheelchair"])
    await recip.offer("cambridge")
    assert (await recip.run_matching())["proposals"] == []
    prop = await recip.offer("cambridge", accessibility=["wheelchair", "step_free"])
    assert [p["property_ref"] for p in (await recip.run_matching())["proposals"]] == [prop]


@pytest.mark.rule("reciprocal.owed-property")
async def test_refusal_records_the_reason_and_returns_the_property(recip):
    """The household may refuse an offer; the reason is a code (any note is encrypted) and the
    property returns to the "centralised system" (seed 002 §1) for another household."""
    arc = await recip.accepted()
    prop = await recip.offer("cambridge")
    await recip.offered(arc)
    r = await recip.client.post(f"/referrals/{arc}/offer", json={"accepted": False}, headers=recip.coordinator())
    assert r.status_code == 422 and "reason" in r.text
    r = await recip.client.post(
        f"/referrals/{arc}/offer",
        json={"accepted": False, "reason": "area", "note": "too far from school"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    refusal = await Refusal.objects().first()
    assert refusal.reason == "area" and "school" not in refusal.note_enc
    assert (await PoolProperty.objects().where(PoolProperty.ref == prop).first()).status == "available"
    report = (await recip.client.get(f"/schemes/{recip.coord}/report", headers=recip.coordinator())).json()
    assert report["refusals_by_reason"] == {"area": 1}
    # the refused property is not proposed to the same household again, but to another one
    assert (await recip.run_matching())["proposals"] == []
    other = await recip.accepted()
    assert [(p["arc"], p["property_ref"]) for p in (await recip.run_matching())["proposals"]] == [(other, prop)]


@pytest.mark.rule("reciprocal.sign-off")
@BOTH_DATABASES
async def test_receiving_lead_signs_off_before_the_offer(recip):
    """Seed 002: "Requesting sign off from named leads" — the receiving partner's lead signs
    off before the household is offered the property; a decline returns it to the pool."""
    arc = await recip.accepted()
    await recip.offer("cambridge")
    run = await recip.run_matching()
    proposal = run["proposals"][0]["proposal_ref"]
    r = await recip.client.post(f"/matching/proposals/{proposal}/confirm", headers=recip.lead("cambridge"))
    assert r.status_code == 403
    await recip.client.post(f"/matching/proposals/{proposal}/confirm", headers=recip.coordinator())
    r = await recip.client.post(f"/referrals/{arc}/offer", json={"accepted": True}, headers=recip.coordinator())
    assert r.status_code == 409
    r = await recip.client.post(
        f"/referrals/{arc}/signoff", json={"decision": "declined"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 200
    status = await recip.status(arc)
    assert status["status"] == "accepted" and status["receiving_partner"] is None
    assert [s["decision"] for s in status["signoffs"]] == ["approved", "declined"]
    assert (await recip.run_matching())["proposals"] == []  # not the property declined for it
    other = await recip.offer("huntingdonshire")
    again = await recip.run_matching()
    assert [(p["arc"], p["property_ref"]) for p in again["proposals"]] == [(arc, other)]


@pytest.mark.rule("reciprocal.previous-tenancy-ended")
async def test_only_the_receiving_lead_grants_the_tenancy(recip):
    """Seed 002 §3: partners are responsible for "Ensuring previous tenancy is ended when a move is
    completed and costs associated with this" — a clock on the referring partner."""
    arc = await recip.accepted()
    await recip.offer("cambridge")
    await recip.offered(arc)
    await recip.client.post(f"/referrals/{arc}/offer", json={"accepted": True}, headers=recip.coordinator())
    r = await recip.client.post(
        f"/referrals/{arc}/move", json={"tenancy_start": "2026-12-01"}, headers=recip.lead("fenland")
    )
    assert r.status_code == 403
    r = await recip.client.post(
        f"/referrals/{arc}/move", json={"tenancy_start": "2026-10-01"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 422 and "tenancy_start" in r.text
    r = await recip.client.post(
        f"/referrals/{arc}/move", json={"tenancy_start": "2026-12-01"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 200
    # the previous tenancy is the referring partner's task, tracked until confirmed
    tasks = (
        await recip.client.get(f"/schemes/{recip.coord}/ledger/previous-tenancies", headers=recip.lead("fenland"))
    ).json()
    assert [t["arc"] for t in tasks] == [arc]
    due = datetime.fromisoformat(tasks[0]["previous_tenancy_due_at"])
    assert await check_overdue(recip.ctx, now=due - timedelta(minutes=1)) == []
    assert await check_overdue(recip.ctx, now=due + timedelta(minutes=1)) == [arc]
    assert await check_overdue(recip.ctx, now=due + timedelta(days=2)) == []
    outbox = recip.ctx.store.tables.outbox
    assert [r["subject"] for r in await outbox.select(outbox.subject) if "overdue" in r["subject"]] == [
        f"haven.reciprocal.evt.previous-tenancy-overdue.v1.{recip.coord}.fenland"
    ]
    r = await recip.client.post(
        f"/referrals/{arc}/previous-tenancy-ended", json={"ended_on": "2026-12-05"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 403


@BOTH_DATABASES
async def test_properties_only_from_signed_partners_named_leads(recip):
    """Seed 002 §2/§3: only partners that signed the memorandum, through their named leads, offer
    properties — and only in their own area where their profile says so."""
    r = await recip.client.post(
        "/properties",
        json={"area": "cambridge", "bedrooms": 2, "available_from": "2026-11-01"},
        headers=recip.token("cambridge", "named_lead", sub="someone-else"),
    )
    assert r.status_code == 403
    r = await recip.client.post(
        "/properties",
        json={"area": "peterborough", "bedrooms": 2, "available_from": "2026-11-01"},
        headers=recip.token("peterborough", "named_lead", sub="pb-lead"),
    )
    assert r.status_code == 422 and "scheme" in r.text
    r = await recip.client.post(
        "/properties",
        json={"area": "fenland", "bedrooms": 2, "available_from": "2026-11-01"},
        headers=recip.lead("cambridge"),
    )
    assert r.status_code == 422 and "area" in r.text


@pytest.mark.rule("ag013.reciprocal-when-own-stock-cannot")
@BOTH_DATABASES
async def test_a_registered_provider_may_sign_and_offer(recip):
    """Seed 003 principle 8: "If a transfer away from the local area cannot be achieved from within
    the Group's own stock, it will seek to make a reciprocal arrangement with another landlord"."""
    await recip.sign("dales-housing", area="huntingdonshire")
    partners = (await recip.client.get(f"/schemes/{recip.coord}/partners", headers=recip.coordinator())).json()
    dales = next(p for p in partners if p["org"] == "dales-housing")
    assert dales["kind"] == "registered_provider" and dales["status"] == "signed"
    assert dales["partner_signatory"] and dales["signed_on"] == "2026-10-01"
    arc = await recip.accepted(
        referring_partner="dales-housing",
        current_area="huntingdonshire",
        unsafe_areas=["huntingdonshire"],
        preferred_areas=[],
    )
    await recip.offer("cambridge")
    assert await recip.offered(arc) == "cambridge"


RECIPROCAL = "002_c1c7b199d9a53274.txt"
PARTNERS = (
    "The Cambridgeshire Housing Reciprocal agreement is a voluntary collaboration between local authorities and "
    "registered providers"
)


async def test_a_partner_with_stock_in_several_districts_offers_a_property_in_each(recip):
    """002_c1c7b199d9a53274.txt §1: "a voluntary collaboration between local authorities and registered providers" that
    lets a household "move to another local authority area". A partner's stock is not always in its own district:
    once the coordinator records where it holds stock, it offers a property in each of those areas (and the matcher
    proposes it), and still in no other."""
    assert normalise(PARTNERS) in seed_text(RECIPROCAL)
    url = f"/schemes/{recip.coord}/partners/fenland/stock-areas"
    assert (await recip.client.get(url, headers=recip.lead("fenland"))).json()["stock_areas"] == [
        "fenland"
    ]  # the plugin's default
    body = {"area": "huntingdonshire", "bedrooms": 2, "available_from": "2026-11-01"}
    refused = await recip.client.post("/properties", json=body, headers=recip.lead("fenland"))
    assert refused.status_code == 422 and "area" in refused.json()["detail"]

    unknown = await recip.client.put(url, json={"areas": ["fenland", "atlantis"]}, headers=recip.coordinator())
    assert unknown.status_code == 422 and "atlantis" in unknown.json()["detail"]
    assert (
        await recip.client.put(url, json={"areas": ["cambridge"]}, headers=recip.lead("cambridge"))
    ).status_code == 403
    recorded = await recip.client.put(url, json={"areas": ["huntingdonshire", "fenland"]}, headers=recip.coordinator())
    assert recorded.status_code == 200 and recorded.json()["stock_areas"] == ["fenland", "huntingdonshire"]

    arc = await recip.accepted(unsafe_areas=["fenland", "peterborough"], preferred_areas=[])
    prop = await recip.offer("fenland", area="huntingdonshire")
    await recip.offer("fenland", area="fenland")  # its own district still
    elsewhere = await recip.client.post("/properties", json=body | {"area": "cambridge"}, headers=recip.lead("fenland"))
    assert elsewhere.status_code == 422
    run = await recip.run_matching()
    assert [(p["arc"], p["property_ref"]) for p in run["proposals"]] == [(arc, prop)]
