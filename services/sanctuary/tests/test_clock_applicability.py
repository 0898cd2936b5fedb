"""Clocks that no longer apply stop; clocks start when the referral was really received.

Seed ``004_d4b796f614d2cfd3.txt``: s.7 "The following criteria must be met before sanctuary measures
are approved"; s.9 "Once a referral is made, DBC will ask the Police within 3 working days"; s.5 "Sanctuary
referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import normalise, seed_text
from haven_sanctuary import clocks

DARTFORD = "004_d4b796f614d2cfd3.txt"
CRITERIA_FIRST = "The following criteria must be met before sanctuary measures are approved"


async def _refer(client, token, form) -> dict:
    r = await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))
    assert r.status_code == 201, r.text
    return r.json()


async def test_an_ineligible_referral_stops_its_police_request_clock_and_raises_no_overdue(
    start_service, token, form, walk, ctx_of, bus_events
):
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


LONDON = ZoneInfo("Europe/London")
WITHIN_3_DAYS = "Once a referral is made, DBC will ask the Police within 3 working days"
OFFICE_HOURS = (
    "Sanctuary referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday"
)
PHONED_IN = datetime(2026, 11, 20, 16, 50, tzinfo=LONDON)  # a Friday, after Dartford's 16:45 close
NEXT_OPENING = datetime(2026, 11, 23, 8, 45, tzinfo=LONDON)
POLICE_DUE = datetime(2026, 11, 26, 17, 15, tzinfo=LONDON)


def _police_clock(body: dict) -> dict:
    (clock,) = [c for c in body["clocks"] if c["key"] == "police_request"]
    return clock


async def test_a_referral_phoned_in_on_friday_and_keyed_later_runs_its_clocks_from_the_call(
    start_service, token, form, walk, stored
):
    """004_d4b796f614d2cfd3.txt s.9: "Once a referral is made, DBC will ask the Police within 3 working days"; s.5:
    "Sanctuary referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday" — a
    call on Friday at 16:50, keyed in later, is out of hours: its clock starts on Monday at 08:45, not when it was
    keyed. The received time is audited beside the keying time, and may not be in the future."""
    assert normalise(OFFICE_HOURS) in seed_text(DARTFORD)
    assert normalise(WITHIN_3_DAYS) in seed_text(DARTFORD)
    client = await start_service("sanctuary")
    w = walk(client)
    referrer = token("bexley", "options_officer")
    ahead = await client.post(
        "/referrals", json=form(received_at=(datetime.now(UTC) + timedelta(hours=1)).isoformat()), headers=referrer
    )
    assert ahead.status_code == 422 and "received_at" in ahead.json()["detail"]

    r = await client.post("/referrals", json=form(received_at=PHONED_IN.isoformat()), headers=referrer)
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    body = await w.ok("GET", f"/referrals/{ref}", params={"purpose": "casework"})
    assert datetime.fromisoformat(body["received_at"]) == PHONED_IN and body["out_of_hours"] is True
    assert datetime.fromisoformat(body["clocks_start_at"]) == NEXT_OPENING
    assert datetime.fromisoformat(_police_clock(body)["due_at"]) == POLICE_DUE
    (created,) = [a for a in await stored("haven_audit", "entity_ref", ref) if a["action"] == "create"]
    detail = json.loads(created["detail"]) if isinstance(created["detail"], str) else created["detail"]
    assert (
        datetime.fromisoformat(detail["received_at"]) == PHONED_IN
        and datetime.fromisoformat(detail["keyed_at"]) > PHONED_IN
    )


async def test_a_referral_from_an_options_case_is_received_when_the_client_approached(start_service, token):
    """004_d4b796f614d2cfd3.txt s.9: "Once a referral is made, DBC will ask the Police within 3 working days" — the
    referral from an options case is made when the client approached the borough (Friday 16:50, out of hours), not
    when the officer later chose the scheme; the sanctuary service, over the bus, starts the clock at Monday's
    opening."""
    assert normalise(WITHIN_3_DAYS) in seed_text(DARTFORD)
    sanctuary = await start_service("sanctuary")
    options = await start_service("options")
    officer = token("dartford", "options_officer")
    opened = await options.post(
        "/cases",
        headers=officer,
        json={
            "person": {"name": "Alex Invented"},
            "channel": "telephone",
            "tenure": "owner_occupier",
            "perpetrator_at_property": False,
            "approached_at": PHONED_IN.isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()
    url = f"/cases/{case['ref']}/options"
    assert (
        await options.post(f"{url}/offer", json={"option_ids": ["sanctuary_scheme"]}, headers=officer)
    ).status_code == 201
    chosen = await options.post(f"{url}/sanctuary_scheme/decision", json={"decision": "chosen"}, headers=officer)
    assert chosen.status_code == 200, chosen.text
    ref = chosen.json()["referral"]["ref"]

    async def referral():
        listed = (await sanctuary.get("/referrals", headers=token("dartford", "sanctuary_officer"))).json()
        return next((x for x in listed if x["ref"] == ref), None)

    body = await eventually(referral)
    assert datetime.fromisoformat(body["received_at"]) == PHONED_IN
    assert datetime.fromisoformat(body["clocks_start_at"]) == NEXT_OPENING
    assert datetime.fromisoformat(_police_clock(body)["due_at"]) == POLICE_DUE
