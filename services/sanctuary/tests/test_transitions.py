"""Illegal transitions are 409 with the reason and change nothing ("works before
assessment, closing with open works")."""

from __future__ import annotations

import pytest

from haven_sanctuary.tables import SanctuaryReferral


async def _snapshot(ref: str) -> dict:
    row = (await SanctuaryReferral.select().where(SanctuaryReferral.ref == ref))[0]
    return {k: v for k, v in row.items()}


@pytest.mark.rule("dartford.works-within-24-hours")
async def test_works_before_assessment_is_409(start_service, token, form, walk):
    """Seed 004_d4b796f614d2cfd3.txt s.9: works are arranged "within 24 hours of receiving the
    assessment back" — never before the police recommendations."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.meet_all(ref)
    await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    before = await _snapshot(ref)
    r = await client.post(
        f"/referrals/{ref}/works", json={"contractor": "X Ltd", "category": "emergency"}, headers=w.officer
    )
    assert r.status_code == 409 and "before the police assessment" in r.json()["detail"]
    assert await _snapshot(ref) == before


@pytest.mark.rule("dartford.eligibility-criteria")
async def test_works_before_eligibility_is_409(start_service, token, form, walk):
    """Seed 004_d4b796f614d2cfd3.txt s.7: "The following criteria must be met before sanctuary
    measures are approved"."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.ok("POST", f"/referrals/{ref}/inspection/request", json={})
    await w.ok(
        "POST", f"/referrals/{ref}/inspection/recommendations", headers=w.police, json={"measures": ["door_chain"]}
    )
    r = await client.post(
        f"/referrals/{ref}/works", json={"contractor": "X Ltd", "category": "emergency"}, headers=w.officer
    )
    assert r.status_code == 409 and "eligible" in r.json()["detail"]


async def test_closing_with_open_works_is_409(start_service, token, form, walk):
    """Closing with open works is refused with the reason; after completion it closes."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.to_recommendations(ref)
    await w.ok(
        "POST", f"/referrals/{ref}/works", json={"contractor": "X Ltd", "contractor_due_at": "2099-01-01T12:00:00Z"}
    )
    before = await _snapshot(ref)
    r = await client.post(f"/referrals/{ref}/close", json={"outcome": "withdrawn"}, headers=w.officer)
    assert r.status_code == 409 and "open works" in r.json()["detail"]
    assert await _snapshot(ref) == before
    await w.ok("POST", f"/referrals/{ref}/works/complete", json={"cost_pence": 1})
    body = await w.ok("POST", f"/referrals/{ref}/close", json={"outcome": "completed"})
    assert body["status"] == "closed" and body["clocks"] == []
    r = await client.post(f"/referrals/{ref}/survey", json={"satisfaction": 4}, headers=w.officer)
    assert r.status_code == 409 and "closed" in r.json()["detail"]


async def test_step_validation_names_the_field(start_service, token, form, walk):
    """A 4xx naming the field — unknown catalogue measures, a works
    category the scheme does not have, a missing contractor timescale."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.meet_all(ref)
    await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    await w.ok("POST", f"/referrals/{ref}/inspection/request", json={})
    r = await client.post(
        f"/referrals/{ref}/inspection/recommendations", headers=w.police, json={"measures": ["door_chain", "moat"]}
    )
    assert r.status_code == 422 and "measures[1]" in r.text
    await w.ok(
        "POST", f"/referrals/{ref}/inspection/recommendations", headers=w.police, json={"measures": ["door_chain"]}
    )
    r = await client.post(
        f"/referrals/{ref}/works", json={"contractor": "X Ltd", "category": "complex"}, headers=w.officer
    )
    assert r.status_code == 422 and "category" in r.text
    r = await client.post(f"/referrals/{ref}/works", json={"contractor": "X Ltd"}, headers=w.officer)
    assert r.status_code == 422 and "contractor_due_at" in r.text
    r = await client.post(f"/referrals/{ref}/works", json={"contractor": "X Ltd", "colour": "red"}, headers=w.officer)
    assert r.status_code == 400 and "colour" in r.text
    r = await client.post(
        f"/referrals/{ref}/works",
        json={"contractor": "X Ltd", "contractor_due_at": "2099-01-01T10:00:00"},
        headers=w.officer,
    )
    assert r.status_code == 400 and "contractor_due_at" in r.text  # a deadline needs its UTC offset
    r = await client.post(
        f"/referrals/{ref}/works",
        json={"contractor": "X Ltd", "contractor_due_at": "2001-01-01T10:00:00Z"},
        headers=w.officer,
    )
    assert r.status_code == 422 and "contractor_due_at" in r.text


async def test_only_the_schemes_officers_and_police_act(start_service, token, form, walk):
    """Sanctuary officers act for the scheme operator; police_cpo officers record inspections;
    others get 403 (wrong role) or 404 (another organisation's referral)."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    assert (
        await client.post(f"/referrals/{ref}/inspection/request", json={}, headers=token("dartford", "police_cpo"))
    ).status_code == 403
    assert (
        await client.post(f"/referrals/{ref}/inspection/request", json={}, headers=token("bexley", "sanctuary_officer"))
    ).status_code == 404
    partner = token("kent-police", "police_cpo", sub="kent-cpo")
    inspection = {"purpose": "inspection"}
    # the address is released to the police only from the inspection request on
    for cpo in (partner, w.police):
        early = await client.get(f"/referrals/{ref}/inspection/visit", params=inspection, headers=cpo)
        assert early.status_code == 404 and "Example Road" not in early.text
    await w.ok("POST", f"/referrals/{ref}/inspection/request", json={})
    visit = await client.get(f"/referrals/{ref}/inspection/visit", params=inspection, headers=partner)
    assert visit.status_code == 200 and visit.json()["address"].startswith("1 Example Road")
    assert (
        await client.get(
            f"/referrals/{ref}/inspection/visit", params=inspection, headers=token("met-police", "police_cpo")
        )
    ).status_code == 404
    assert (
        await client.get(f"/referrals/{ref}/inspection/visit", headers=partner)
    ).status_code == 400  # purpose required
    r = await client.post(
        f"/referrals/{ref}/inspection/booking", json={"appointment_at": "2026-12-01T10:00:00Z"}, headers=partner
    )
    assert r.status_code == 200, r.text
