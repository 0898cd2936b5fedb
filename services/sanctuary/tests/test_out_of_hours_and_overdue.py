"""Out-of-hours referrals, emergency temporary accommodation and overdue clocks, over a real
nats-server (seed ``004_d4b796f614d2cfd3.txt`` s.5, s.9 and s.10)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest

from haven_runtime.identity import Principal
from haven_runtime.testing import eventually
from haven_sanctuary import clocks, referrals
from haven_sanctuary.forms import ReferralForm

LONDON = ZoneInfo("Europe/London")
REFERRER = Principal(sub="idva-1", org="bexley", roles=frozenset({"options_officer"}))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.rule("dartford.out-of-hours-emergency-accommodation")
async def test_out_of_hours_unsafe_referral_requests_emergency_accommodation_at_once(
    start_service, form, ctx_of, bus_events
):
    """Seed 004_d4b796f614d2cfd3.txt s.5: "If the person requiring the Sanctuary Scheme contacts
    DBC through the out of hour's facility and it is unsafe for them to remain in their present
    accommodation, emergency temporary accommodation will be arranged." The referral is
    accepted; its clocks start at the next opening (Monday 08:45)."""
    client = await start_service("sanctuary")
    ctx = ctx_of(client)
    saturday = local(2026, 11, 28, 23, 30)
    data = msgspec.convert(form(unsafe_to_stay=True), ReferralForm)
    row = await referrals.submit(ctx, REFERRER, data, now=saturday)
    assert row.out_of_hours is True
    assert row.clocks_start_at == local(2026, 11, 30, 8, 45)
    await eventually(lambda: bus_events.of("emergency-accommodation-requested"))
    (emergency,) = bus_events.of("emergency-accommodation-requested")
    assert emergency["referral_ref"] == row.ref and emergency["trigger"] == "out_of_hours_unsafe"
    (received,) = bus_events.of("referral-received")
    assert received["out_of_hours"] is True
    assert datetime.fromisoformat(received["clocks_start_at"]) == local(2026, 11, 30, 8, 45)
    running = (await clocks.open_clocks([row.ref]))[row.ref]
    assert [(c["key"], c["due_at"]) for c in running] == [("police_request", local(2026, 12, 3, 17, 15))]


@pytest.mark.rule("dartford.out-of-hours-emergency-accommodation")
async def test_in_hours_safe_referral_requests_no_emergency_accommodation(start_service, form, ctx_of, bus_events):
    """Seed 004_d4b796f614d2cfd3.txt s.5: emergency accommodation is for a person unsafe to remain."""
    client = await start_service("sanctuary")
    row = await referrals.submit(
        ctx_of(client), REFERRER, msgspec.convert(form(), ReferralForm), now=local(2026, 11, 26, 10, 0)
    )
    assert row.out_of_hours is False and row.clocks_start_at == local(2026, 11, 26, 10, 0)
    await eventually(lambda: bus_events.of("referral-received"))
    assert bus_events.of("emergency-accommodation-requested") == []


@pytest.mark.rule("dartford.ta-during-works")
async def test_unsafe_during_works_requests_temporary_accommodation(start_service, token, form, walk, bus_events):
    """Seed 004_d4b796f614d2cfd3.txt s.10: "If it is unsafe for the victim to remain in their
    current accommodation during the process of carrying out the works, DBC will place the
    person into emergency temporary accommodation until it is safe for them to return"."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.to_recommendations(ref)
    await w.ok(
        "POST",
        f"/referrals/{ref}/works",
        json={"contractor": "X Ltd", "category": "emergency", "unsafe_during_works": True},
    )
    await eventually(lambda: bus_events.of("emergency-accommodation-requested"))
    assert bus_events.of("emergency-accommodation-requested")[0]["trigger"] == "unsafe_during_works"


@pytest.mark.rule("dartford.police-within-3-working-days", "dartford.works-within-24-hours")
async def test_missed_clocks_raise_overdue_events_once(start_service, token, form, walk, ctx_of, bus_events):
    """Seed 004_d4b796f614d2cfd3.txt s.9 (police asked within 3 working days; works arranged
    within 24 hours of the recommendations); "Every clock raises an overdue event when
    missed, and lists of open referrals show time remaining"."""
    client = await start_service("sanctuary")
    ctx = ctx_of(client)
    w = walk(client)
    thursday = local(2026, 11, 26, 10, 0)
    late = await referrals.submit(ctx, REFERRER, msgspec.convert(form(), ReferralForm), now=thursday)
    assert await clocks.check_overdue(ctx, now=local(2026, 12, 1, 17, 14)) == []
    assert await clocks.check_overdue(ctx, now=local(2026, 12, 1, 17, 16)) == [f"{late.ref}:police_request"]
    assert await clocks.check_overdue(ctx, now=local(2026, 12, 2, 9, 0)) == []
    await eventually(lambda: bus_events.of("inspection-overdue"))
    (overdue,) = bus_events.of("inspection-overdue")
    assert overdue["referral_ref"] == late.ref and overdue["clock"] == "police_request"
    assert overdue["awaiting"] == "inspection_requested"
    item = (await client.get("/referrals", headers=w.officer)).json()[0]
    assert item["clocks"][0]["overdue"] is True and item["clocks"][0]["overdue_flagged_at"]

    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.to_recommendations(ref)
    running = (await clocks.open_clocks([ref]))[ref]
    assert [c["key"] for c in running] == ["works_arranged"]
    after = running[0]["started_at"] + timedelta(hours=24, minutes=1)
    assert f"{ref}:works_arranged" in await clocks.check_overdue(ctx, now=after)
    await eventually(lambda: bus_events.of("works-overdue"))
    assert bus_events.of("works-overdue")[0]["clock"] == "works_arranged"
    history = (await client.get(f"/referrals/{ref}/history", headers=w.officer)).json()
    assert history[-1]["step"] == "works_arranged_overdue"
