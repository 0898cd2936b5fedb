"""The JWA one-night temporary accommodation booking is a clock.

Seed ``000_93a7cd5d2a8b6030.txt``: "if necessary and time depending boroughs agree that a one night
booking for temporary accommodation will be provided by borough B". By noon on the day the booking
ends (the core default: the document names no hour) the household has moved on or a senior officer
has extended the booking; otherwise ``ClockOverdue`` is raised once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven_options import clocks
from haven_runtime.app import context_of
from haven_runtime.identity import issue_token
from haven_runtime.testing.plugins import normalise, seed_text

pytestmark = pytest.mark.asyncio

JWA = "000_93a7cd5d2a8b6030.txt"
ONE_NIGHT = "a one night booking for temporary accommodation will be provided by borough B"
LONDON = ZoneInfo("Europe/London")
B = "bromley"


@pytest.mark.rule("jwa.one-night-ta")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_one_night_booking_must_end_or_be_extended_by_noon_next_day(start_service, token, h, haven_settings):
    """000_93a7cd5d2a8b6030.txt: "a one night booking" — due at noon on the day after the night; the household moving
    on stops the clock, a senior's extension moves it, a missed one raises ClockOverdue once, shown on the case page."""
    assert normalise(ONE_NIGHT) in seed_text(JWA)
    options = await start_service("options")
    ctx = context_of(options.app)
    officer = token(B)
    late, moved = (await h.open_case(options, officer))["ref"], (await h.open_case(options, officer))["ref"]
    night = datetime.now(LONDON).date() + timedelta(days=7)  # ahead, so the service's own sweep cannot reach it first
    booked = {}
    for ref in (late, moved):
        r = await options.post(
            f"/cases/{ref}/temporary-accommodation", json={"night_of": night.isoformat()}, headers=officer
        )
        assert r.status_code == 201, r.text
        booked[ref] = r.json()
    due = datetime.fromisoformat(booked[late]["due_at"])
    assert due == datetime.combine(night + timedelta(days=1), time(12, 0), tzinfo=LONDON)

    end = f"/cases/{moved}/temporary-accommodation/{booked[moved]['ref']}/end"
    future = await options.post(
        end, json={"ended_at": (datetime.now(LONDON) + timedelta(hours=1)).isoformat()}, headers=officer
    )
    assert future.status_code == 422 and "ended_at" in future.json()["detail"]
    ended = await options.post(end, json={}, headers=officer)
    assert ended.status_code == 200 and ended.json()["ended_at"] is not None
    assert (await options.post(end, json={}, headers=officer)).status_code == 409

    async def check(now):
        return (await h.on_app(options, lambda: clocks.check_overdue(ctx, now)))["one_night_ta"]

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(minutes=1)) == [booked[late]["ref"]]
    assert await check(due + timedelta(hours=2)) == []
    outbox = ctx.store.tables.outbox
    types = [r["type"] for r in await h.on_app(options, lambda: outbox.select(outbox.type))]
    assert types.count("haven.options.clock-overdue.v1") == 1

    options.cookies.set("haven_token", issue_token("officer-1", B, ("options_officer",), settings=haven_settings))
    page = await options.get(f"/pages/cases/{late}")
    assert page.status_code == 200 and "One-night temporary accommodation" in page.text and "Overdue" in page.text

    # a senior officer's decision extends the booking: a new deadline, which can be missed again
    extend = f"/cases/{late}/temporary-accommodation/{booked[late]['ref']}/extend"
    until: date = night + timedelta(days=3)
    extended = await options.post(
        extend,
        json={"until": until.isoformat(), "reason": "refuge space from Monday"},
        headers=token(B, "team_manager"),
    )
    assert extended.status_code == 200 and extended.json()["overdue"] is False
    new_due = datetime.fromisoformat(extended.json()["due_at"])
    assert new_due == datetime.combine(until, time(12, 0), tzinfo=LONDON)
    assert await check(new_due - timedelta(minutes=1)) == []
    assert await check(new_due + timedelta(minutes=1)) == [booked[late]["ref"]]
