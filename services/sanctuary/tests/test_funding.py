"""Funding by tenure (seed ``004_d4b796f614d2cfd3.txt`` s.6), recorded per referral and
summed in reports: "There is no cost to the victim for using the sanctuary scheme. For DBC
tenants, the scheme is funded within existing budgets. For private sector tenants or
owner-occupiers, the scheme is funded from Communities and Local Government Preventing
Homelessness Grant. For housing association tenants, the Council will request the RSL
resources the works, but will cover this cost if this is not possible."."""

from __future__ import annotations

import pytest


async def _refer(client, token, form, tenure: str) -> str:
    r = await client.post("/referrals", json=form(tenure=tenure), headers=token("bexley", "options_officer"))
    assert r.status_code == 201, r.text
    return r.json()["ref"]


async def _complete(w, ref: str, cost: int, tenure: str) -> dict:
    if tenure in ("housing_association_tenant", "private_sector_tenant"):
        await w.ok("POST", f"/referrals/{ref}/landlord-permission", json={"decision": "given"})
    await w.to_recommendations(ref)
    await w.ok("POST", f"/referrals/{ref}/works", json={"contractor": "Example Locks Ltd", "category": "emergency"})
    return await w.ok("POST", f"/referrals/{ref}/works/complete", json={"cost_pence": cost})


@pytest.mark.rule("dartford.funding-by-tenure")
@pytest.mark.parametrize(
    ("tenure", "funding", "status"),
    [
        ("council_tenant", "existing_budget", "decided"),
        ("private_sector_tenant", "preventing_homelessness_grant", "decided"),
        ("owner_occupier", "preventing_homelessness_grant", "decided"),
        ("housing_association_tenant", "landlord", "landlord_asked"),
    ],
)
async def test_funding_is_decided_by_tenure(start_service, token, form, walk, tenure, funding, status):
    """Seed 004_d4b796f614d2cfd3.txt s.6, one case per tenure."""
    client = await start_service("sanctuary")
    ref = await _refer(client, token, form, tenure)
    item = (await client.get("/referrals", headers=walk(client).officer)).json()[0]
    assert (item["ref"], item["funding"], item["funding_status"]) == (ref, funding, status)


@pytest.mark.rule("dartford.rsl-asked-council-covers")
@pytest.mark.parametrize(("decision", "funding"), [("accepts", "landlord"), ("declines", "council")])
async def test_housing_association_asked_to_fund_council_covers_if_it_declines(
    start_service, token, form, walk, decision, funding
):
    """Seed 004_d4b796f614d2cfd3.txt s.6: "the Council will request the RSL resources the
    works, but will cover this cost if this is not possible"."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = await _refer(client, token, form, "housing_association_tenant")
    body = await w.ok("POST", f"/referrals/{ref}/funding/landlord", json={"decision": decision})
    assert (body["funding"], body["funding_status"]) == (funding, "decided")
    again = await client.post(f"/referrals/{ref}/funding/landlord", json={"decision": "accepts"}, headers=w.officer)
    assert again.status_code == 409
    other = await _refer(client, token, form, "owner_occupier")
    r = await client.post(f"/referrals/{other}/funding/landlord", json={"decision": "accepts"}, headers=w.officer)
    assert r.status_code == 409 and "landlord was not asked" in r.text


@pytest.mark.rule("dartford.no-cost-to-victim")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_costs_are_summed_by_funding_source_and_never_charged_to_the_victim(
    start_service, token, form, walk, db_backend
):
    """Seed 004_d4b796f614d2cfd3.txt s.6: "There is no cost to the victim"; funding is recorded
    per referral and summed in reports."""
    client = await start_service("sanctuary")
    w = walk(client)
    costs = {
        "council_tenant": 10_000,
        "private_sector_tenant": 20_000,
        "owner_occupier": 30_000,
        "housing_association_tenant": 40_000,
    }
    for tenure, cost in costs.items():
        ref = await _refer(client, token, form, tenure)
        if tenure == "housing_association_tenant":
            await w.ok("POST", f"/referrals/{ref}/funding/landlord", json={"decision": "declines"})
        await _complete(w, ref, cost, tenure)
    report = (await client.get("/reports/funding", headers=w.officer)).json()
    assert report["by_funding"] == {
        "council": {"referrals": 1, "cost_pence": 40_000},
        "existing_budget": {"referrals": 1, "cost_pence": 10_000},
        "preventing_homelessness_grant": {"referrals": 2, "cost_pence": 50_000},
    }
    assert report["total_cost_pence"] == 100_000
    assert report["cost_to_victims_pence"] == 0
    assert (await client.get("/reports/funding", headers=token("bexley", "sanctuary_officer"))).json()[
        "total_cost_pence"
    ] == 0
    scheme = (await client.get("/schemes/dartford")).json()
    assert scheme["cost_to_victim_pence"] == 0
    assert {f["tenure"]: f["funding"] for f in scheme["funding"]} == {
        "council_tenant": "existing_budget",
        "private_sector_tenant": "preventing_homelessness_grant",
        "owner_occupier": "preventing_homelessness_grant",
        "housing_association_tenant": "landlord",
    }
