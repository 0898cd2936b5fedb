"""Referral rules of the memorandum (seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

import pytest

from haven_cambridgeshire.reciprocal import ABUSE_CATEGORIES
from haven_reciprocal.tables import Referral, StageEntry

BOTH_DATABASES = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
"""HTTP-only tests: they also run on PostgreSQL when HAVEN_TEST_POSTGRES_DSN is set."""


@pytest.mark.rule("reciprocal.perpetrator-when-safe")
async def test_perpetrator_needs_a_recorded_safe_assessment(recip):
    """Seed 002: "In some instances when assessed as safe to do so the reciprocal may also be
    used to relocate a perpetrator of abuse, for instance on release from prison"."""
    r = await recip.client.post("/referrals", json=_body(recip, subject="perpetrator"), headers=recip.coordinator())
    assert r.status_code == 422 and "safety_assessment" in r.text
    unsafe = {"assessed_on": "2026-11-01", "assessed_by_org": "cambridgeshire-da-services", "outcome": "not_safe"}
    r = await recip.client.post(
        "/referrals", json=_body(recip, subject="perpetrator", safety_assessment=unsafe), headers=recip.coordinator()
    )
    assert r.status_code == 422 and "safety_assessment.outcome" in r.text
    assert await Referral.count() == 0
    arc = await recip.accepted(
        subject="perpetrator", safety_assessment=unsafe | {"outcome": "safe", "reference": "MAPPA-7"}
    )
    status = await recip.status(arc)
    assert status["subject_kind"] == "perpetrator"


@pytest.mark.rule("reciprocal.non-social-tenancy")
@BOTH_DATABASES
async def test_no_social_tenancy_only_when_the_referring_partner_agrees_to_owe(recip):
    """Seed 002: "households can apply through the reciprocal who don't have a social tenancy but
    are in priority need/due to receive one, as long as the LA/RP agrees to owe a social housing
    property to the centralised system in return" — "at the originating LA/RP leads discretion"."""
    r = await recip.client.post(
        "/referrals", json=_body(recip, tenancy="none_priority_need"), headers=recip.coordinator()
    )
    assert r.status_code == 422 and "referring_partner_agrees_to_owe" in r.text
    ref = (await recip.refer(tenancy="none_due_to_receive", referring_partner_agrees_to_owe=True))["referral_ref"]
    await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())
    r = await recip.client.post(
        f"/referrals/{ref}/signoff", json={"decision": "approved"}, headers=recip.lead("fenland")
    )
    assert r.status_code == 409 and "agrees_to_owe" in r.text
    assert (await recip.status(ref))["status"] == "awaiting_referring_signoff"
    r = await recip.client.post(
        f"/referrals/{ref}/signoff", json={"decision": "approved", "agrees_to_owe": True}, headers=recip.lead("fenland")
    )
    assert r.status_code == 200
    r = await recip.client.post(f"/referrals/{ref}/accept", headers=recip.coordinator())
    assert r.status_code == 200 and r.json()["arc"].startswith("ARC-")


@pytest.mark.rule("reciprocal.arc", "reciprocal.sign-off")
async def test_arc_is_issued_only_after_the_referring_lead_signs_off(recip):
    """Seed 002: the coordinator is accountable for "Requesting sign off from named leads" and
    "Issuing an Application Reference Code (ARC) for newly accepted cases"."""
    ref = (await recip.refer())["referral_ref"]
    r = await recip.client.post(f"/referrals/{ref}/accept", headers=recip.coordinator())
    assert r.status_code == 409 and "sign off" in r.json()["detail"]
    await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())
    # only the referring partner's named lead may sign off
    r = await recip.client.post(
        f"/referrals/{ref}/signoff", json={"decision": "approved"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 404  # not involved: refused like a made-up reference
    r = await recip.client.post(
        f"/referrals/{ref}/signoff",
        json={"decision": "approved"},
        headers=recip.token("fenland", "named_lead", sub="not-a-named-lead"),
    )
    assert r.status_code == 403
    row = await Referral.objects().where(Referral.ref == ref).first()
    assert row.arc is None and row.status == "awaiting_referring_signoff"


@pytest.mark.rule("reciprocal.sign-off")
async def test_declined_sign_off_informs_the_referring_partner(recip):
    """Seed 002: "informing the Named Leads of the outcome of the referral"."""
    ref = (await recip.refer())["referral_ref"]
    await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())
    r = await recip.client.post(
        f"/referrals/{ref}/signoff", json={"decision": "declined"}, headers=recip.lead("fenland")
    )
    assert r.status_code == 200
    status = await recip.status(ref, headers=recip.lead("fenland"))
    assert status["status"] == "declined" and status["arc"] is None
    outbox = recip.ctx.store.tables.outbox
    subjects = [r["subject"] for r in await outbox.select(outbox.subject)]
    assert "haven.reciprocal.evt.referral-declined.v1.cambridgeshire-da-services.fenland" in subjects


async def test_illegal_transitions_are_409_and_change_nothing(recip):
    """Steps happen in the memorandum's order; anything else is 409 with the reason and changes nothing."""
    ref = (await recip.refer())["referral_ref"]
    for path, body in [
        ("/move", {"tenancy_start": "2026-12-01"}),
        ("/offer", {"accepted": True}),
        ("/previous-tenancy-ended", {"ended_on": "2026-12-01"}),
    ]:
        headers = recip.coordinator() if path == "/offer" else recip.lead("fenland")
        r = await recip.client.post(f"/referrals/{ref}{path}", json=body, headers=headers)
        assert r.status_code in (403, 409), (path, r.text)
    r = await recip.client.post(f"/referrals/{ref}/withdraw", headers=recip.coordinator())
    assert r.status_code == 200
    r = await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())
    assert r.status_code == 409 and "withdrawn" in r.json()["detail"]
    assert [s["stage"] for s in await StageEntry.select(StageEntry.stage).where(StageEntry.referral_ref == ref)] == [
        "received",
        "withdrawn",
    ]


async def test_bad_input_names_the_field(recip):
    """As required: "Bad input gets a clear answer: a 4xx naming the field"."""
    c, h = recip.client, recip.coordinator()
    r = await c.post("/referrals", json=_body(recip, surprise=1), headers=h)
    assert r.status_code == 400 and "surprise" in r.text
    r = await c.post("/referrals", json=_body(recip, bedrooms=12), headers=h)
    assert r.status_code == 400 and "bedrooms" in r.text
    r = await c.post("/referrals", json=_body(recip, unsafe_areas=["atlantis"]), headers=h)
    assert r.status_code == 422 and "unsafe_areas" in r.text
    r = await c.post("/referrals", json=_body(recip, abuse_category="burglary"), headers=h)
    assert r.status_code == 422 and "abuse_category" in r.text
    r = await c.post("/referrals", json=_body(recip, referring_partner="south-cambridgeshire"), headers=h)
    assert r.status_code == 422 and "referring_partner" in r.text and "not signed" in r.text
    r = await c.post(
        "/referrals", json=_body(recip, preferred_areas=["peterborough"], unsafe_areas=["peterborough"]), headers=h
    )
    assert r.status_code == 422 and "preferred_areas" in r.text
    r = await c.post("/referrals", json=_body(recip, preferred_areas=["fenland"]), headers=h)
    assert r.status_code == 422 and "preferred_areas" in r.text
    assert await Referral.count() == 0


@pytest.mark.rule("reciprocal.remit")
async def test_applicant_is_told_the_remit_before_referral(recip):
    """Seed 002 §3: the coordinator is accountable for "Ensuring applicants are aware of the remit
    of the housing pathway"."""
    body = _body(recip)
    del body["remit_explained_on"]
    r = await recip.client.post("/referrals", json=body, headers=recip.coordinator())
    assert r.status_code == 400 and "remit_explained_on" in r.text
    r = await recip.client.post(
        "/referrals", json=_body(recip, remit_explained_on="2999-01-01"), headers=recip.coordinator()
    )
    assert r.status_code == 422 and "remit_explained_on" in r.text
    assert (await Referral.objects().first()) is None


@pytest.mark.rule("reciprocal.coordinator-refers")
@BOTH_DATABASES
async def test_only_the_coordinator_refers(recip):
    """Seed 002: Cambridgeshire Specialist DA Services is accountable for "Making reciprocal referrals"."""
    r = await recip.client.post("/referrals", json=_body(recip), headers=recip.lead("fenland"))
    assert r.status_code == 403
    r = await recip.client.post("/referrals", json=_body(recip))
    assert r.status_code == 401


@pytest.mark.rule("reciprocal.vawg-strands")
@BOTH_DATABASES
async def test_vawg_strands_of_the_footnote_are_accepted(recip):
    """Seed 002 footnote 1: "Sexual Violence, Sexual Exploitation including prostitution and Child
    Sexual Exploitation, Modern Slavery/Trafficking, Forced Marriage, Female Genital Mutilation
    (FGM), So Called 'Honour Based Violence and Stalking"."""
    schemes = (await recip.client.get("/schemes", headers=recip.coordinator())).json()
    codes = {c["code"] for c in schemes[0]["abuse_categories"]}
    # the plugin's own test checks these against the footnote, one by one
    assert codes == {c.code for c in ABUSE_CATEGORIES} and "stalking" in codes
    assert schemes[0]["supporting_partners"] == ["Standing Together", "DAHA", "Safer London"]
    for code in ("forced_marriage", "stalking"):
        await recip.refer(abuse_category=code)


def _body(recip, **overrides):
    return {
        "referring_partner": "fenland",
        "remit_explained_on": "2026-10-20",
        "abuse_category": "domestic_violence",
        "tenancy": "social",
        "current_area": "fenland",
        "bedrooms": 2,
        "household": recip.household,
    } | overrides


async def test_a_stale_transition_is_refused(recip):
    """Two officers acting on the same referral at once: the second, acting on the stage it
    read before the first committed, gets 409 and changes nothing."""
    from haven_reciprocal.referrals import enter
    from haven_runtime.errors import Conflict

    ref = (await recip.refer())["referral_ref"]
    first = await Referral.objects().where(Referral.ref == ref).first()
    second = await Referral.objects().where(Referral.ref == ref).first()
    async with recip.ctx.store.transaction():
        await enter(first, "awaiting_referring_signoff", "coord-1")
    with pytest.raises(Conflict) as refused:
        async with recip.ctx.store.transaction():
            await enter(second, "declined", "coord-2")
    assert refused.value.status_code == 409
    status = await recip.status(ref)
    assert status["status"] == "awaiting_referring_signoff"
    assert [s["stage"] for s in status["stages"]] == ["received", "awaiting_referring_signoff"]
