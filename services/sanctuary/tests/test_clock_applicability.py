"""Clocks that no longer apply stop; clocks start when the referral was really received.

Seed ``004_d4b796f614d2cfd3.txt``: s.7 "The following criteria must be met before sanctuary measures
are approved"; s.9 "DBC will ask the Police ... within 3 working days of the referral"; s.5 "Sanctuary
referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from haven_runtime.plugintest import normalise, seed_text
from haven_runtime.testing import eventually
from haven_sanctuary import clocks

DARTFORD = "004_d4b796f614d2cfd3.txt"
CRITERIA_FIRST = "The following criteria must be met before sanctuary measures are approved"


async def _refer(client, token, form) -> dict:
    r = await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))
    assert r.status_code == 201, r.text
    return r.json()


async def test_an_ineligible_referral_stops_its_police_request_clock_and_raises_no_overdue(start_service, token, form, walk,
                                                                                        ctx_of, bus_events):
    """004_d4b796f614d2cfd3.txt s.7: "The following criteria must be met before sanctuary measures are approved" — an
    ineligible referral gets no inspection, so its police-request clock (s.9, 3 working days) stops and never breaches;
    a referral still being assessed keeps its clock and does breach."""
    assert normalise(CRITERIA_FIRST) in seed_text(DARTFORD)
    client = await start_service("sanctuary")
    w = walk(client)
    ineligible, pending = (await _refer(client, token, form))["ref"], (await _refer(client, token, form))["ref"]
    assert [c["key"] for c in (await clocks.open_clocks([ineligible]))[ineligible]] == ["police_request"]

    await w.ok("PUT", f"/referrals/{ineligible}/criteria/right_to_occupy", json={"status": "not_met"})
    decided = await w.ok("POST", f"/referrals/{ineligible}/eligibility/decide")
    assert decided["eligibility"] == "ineligible" and decided["clocks"] == []
    log = await w.ok("GET", f"/referrals/{ineligible}/history")
    stopped = [e for e in log if e["step"] == "clocks_stopped"]
    assert [e["detail"] for e in stopped] == [{"clocks": ["police_request"], "reason": "ineligible"}]
    refused = await client.post(f"/referrals/{ineligible}/inspection/request", json={}, headers=w.officer)
    assert refused.status_code == 409  # the clock awaited a step that will not happen

    later = datetime.fromisoformat(decided["received_at"]) + timedelta(days=30)
    assert await clocks.check_overdue(ctx_of(client), now=later) == [f"{pending}:police_request"]
    await eventually(lambda: bus_events.of("inspection-overdue"))
    assert [e["referral_ref"] for e in bus_events.of("inspection-overdue")] == [pending]
    assert not [e for e in await w.ok("GET", f"/referrals/{ineligible}/history") if e["step"].endswith("_overdue")]
