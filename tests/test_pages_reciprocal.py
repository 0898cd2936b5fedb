"""Reciprocal pages over the in-process client: referrals by ARC and stage, proposals, the ledger chart."""

from __future__ import annotations

import pytest

from haven_runtime.identity import issue_token
from haven_reciprocal.pages import ledger_chart
from haven_runtime.web.words import check_pages


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``, ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


COORD = "cambridgeshire-da-services"
HOUSEHOLD = {"lead_name": "Jo Invented-Example", "contact": "07700 900123", "current_address": "1 Example Road, Fenland"}


@pytest.mark.rule("reciprocal.owed-property")
def test_ledger_chart_scales_bars_to_the_largest_balance_and_totals_each_partner():
    """Seed 002_c1c7b199d9a53274.txt: "The referring Local Authority or registered provider then owes an
    equal size property" — a partner's balances by bedroom size, negative where it owes the pool."""
    rows, peak = ledger_chart([{"partner": "fenland", "bedrooms": 2, "balance": -2}, {"partner": "fenland", "bedrooms": 1, "balance": 1},
                               {"partner": "cambridge", "bedrooms": 2, "balance": 2}])
    assert peak == 2
    assert [r["partner"] for r in rows] == ["cambridge", "fenland"]
    fenland = rows[1]
    assert fenland["total"] == -1 and [b["bedrooms"] for b in fenland["bars"]] == [1, 2] and fenland["bars"][1]["pct"] == 50.0


async def seed_move(client, settings) -> str:
    """Sign Fenland and Cambridge, refer from Fenland, match into Cambridge and move: one ledger transaction."""
    def h(org, role, sub):
        return {"Authorization": f"Bearer {issue_token(sub, org, [role], settings=settings)}"}

    coord = h(COORD, "reciprocal_coordinator", "coord-1")
    for org in ("fenland", "cambridge"):
        r = await client.post(f"/schemes/{COORD}/partners", headers=coord, json={
            "org": org, "signed_on": "2026-10-01", "partner_signatory": f"Director of Housing, {org}",
            "coordinator_signatory": "Service Manager (invented)"})
        assert r.status_code == 201, r.text
        r = await client.post(f"/schemes/{COORD}/partners/{org}/named-leads", headers=coord,
                              json={"officer_id": f"{org}-lead-1", "name": f"Named Lead {org}"})
        assert r.status_code == 201, r.text
    r = await client.post("/referrals", headers=coord, json={
        "referring_partner": "fenland", "remit_explained_on": "2026-10-20", "abuse_category": "domestic_violence", "tenancy": "social",
        "current_area": "fenland", "bedrooms": 2, "household": HOUSEHOLD, "unsafe_areas": ["fenland"], "preferred_areas": ["cambridge"]})
    assert r.status_code == 201, r.text
    ref = r.json()["referral_ref"]
    assert (await client.post(f"/referrals/{ref}/signoff-request", headers=coord)).status_code == 201
    r = await client.post(f"/referrals/{ref}/signoff", json={"decision": "approved", "agrees_to_owe": False},
                          headers=h("fenland", "named_lead", "fenland-lead-1"))
    assert r.status_code == 200, r.text
    arc = (await client.post(f"/referrals/{ref}/accept", headers=coord)).json()["arc"]
    r = await client.post("/properties", json={"area": "cambridge", "bedrooms": 2, "available_from": "2026-11-01"},
                          headers=h("cambridge", "named_lead", "cambridge-lead-1"))
    assert r.status_code == 201, r.text
    return arc


async def test_board_shows_arcs_by_stage_and_the_coordinator_confirms_a_proposal_from_the_page(start_service, haven_settings):
    client = await start_service("reciprocal")
    arc = await seed_move(client, haven_settings)
    client.cookies.set("haven_token", issue_token("coord-1", COORD, ["reciprocal_coordinator"], settings=haven_settings))
    board = await client.get("/pages/")
    assert board.status_code == 200 and arc in board.text and "Jo Invented" not in board.text
    run = await client.post("/pages/matching/run", follow_redirects=False)
    assert run.status_code == 303
    board = await client.get("/pages/")
    assert 'id="proposals"' in board.text and "Confirm" in board.text
    proposal = board.text.split('action="/pages/proposals/')[1].split("/")[0]
    confirmed = await client.post(f"/pages/proposals/{proposal}/confirm", follow_redirects=False)
    assert confirmed.status_code == 303
    ledger = await client.get(f"/pages/ledger/{COORD}")
    assert ledger.status_code == 200 and "Ledger" in ledger.text
