"""Emergency temporary accommodation a sanctuary scheme asks for becomes a task on a clock in
its organisation's options service, over a real nats-server with both services started.

Seed ``004_d4b796f614d2cfd3.txt`` s.5 and s.10 (Dartford): "emergency temporary accommodation
will be arranged"; "until it is safe for them to return".
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_contracts.events.sanctuary import SanctuaryEmergencyAccommodationRequested
from haven_contracts.messages import envelope_for
from haven_options import clocks
from haven_options import emergency_accommodation as ea
from haven_runtime.app import context_of
from haven_runtime.identity import issue_token
from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import normalise, seed_text

pytestmark = pytest.mark.asyncio

DARTFORD = "004_d4b796f614d2cfd3.txt"
ARRANGED = "emergency temporary accommodation will be arranged"
UNTIL_SAFE = "DBC will place the person into emergency temporary accommodation until it is safe for them to return"

# Invented: no real survivor data exists anywhere in this project.
FORM = {
    "scheme": "dartford",
    "person": {
        "name": "Alex Invented",
        "address": "1 Example Road, Dartford DA1 1AA",
        "telephone": "01322 000000",
        "date_of_birth": "1990-01-02",
    },
    "property_type": "house",
    "tenure": "owner_occupier",
    "reason": "Invented reason for the referral.",
    "unsafe_to_stay": True,
    "referrer": {
        "name": "Sam Referrer",
        "position": "IDVA",
        "organisation": "Example Support",
        "telephone": "01322 111111",
        "email": "sam@example.org",
    },
}


async def _requested(start_service, token):
    sanctuary = await start_service("sanctuary")
    options = await start_service("options")
    r = await sanctuary.post("/referrals", json=FORM, headers=token("bexley", "options_officer"))
    assert r.status_code == 201, r.text
    referral = r.json()["ref"]
    officer = token("dartford", "options_officer")

    async def listed():
        rows = (await options.get("/emergency-accommodation", headers=officer)).json()
        return [t for t in rows if t["referral_ref"] == referral]

    (task,) = await eventually(listed)
    return options, officer, referral, task


@pytest.mark.rule("dartford.out-of-hours-emergency-accommodation", "dartford.ta-during-works")
async def test_requested_accommodation_is_a_task_on_a_clock_that_ends_only_when_return_is_safe(start_service, token):
    """004_d4b796f614d2cfd3.txt: the scheme's request reaches Dartford's options service as a task due two hours
    after the request (the core default: "will be arranged" names no hours); recording it arranged stops the clock,
    and the task stays open until the return-is-safe decision."""
    text = seed_text(DARTFORD)
    assert normalise(ARRANGED) in text and normalise(UNTIL_SAFE) in text
    options, officer, referral, task = await _requested(start_service, token)
    assert task["status"] == "requested" and task["trigger"] in ("out_of_hours_unsafe", "unsafe_to_stay")
    requested, due = datetime.fromisoformat(task["requested_at"]), datetime.fromisoformat(task["due_at"])
    assert due - requested == timedelta(hours=2)
    url = f"/emergency-accommodation/{task['ref']}"

    # another organisation's officer neither sees nor acts on it
    assert (await options.get("/emergency-accommodation", headers=token("bromley", "options_officer"))).json() == []
    assert (
        await options.post(f"{url}/arranged", json={}, headers=token("bromley", "options_officer"))
    ).status_code == 403

    future = await options.post(
        f"{url}/arranged",
        json={"arranged_at": (datetime.now(due.tzinfo) + timedelta(hours=1)).isoformat()},
        headers=officer,
    )
    assert future.status_code == 422 and "arranged_at" in future.json()["detail"]
    arranged = await options.post(f"{url}/arranged", json={}, headers=officer)
    assert arranged.status_code == 200 and arranged.json()["status"] == "arranged"
    assert (await options.post(f"{url}/arranged", json={}, headers=officer)).status_code == 409
    # arranged is not the end: the task is still listed until it is safe to return
    assert [t["status"] for t in (await options.get("/emergency-accommodation", headers=officer)).json()] == [
        "arranged"
    ]

    ended = await options.post(
        f"{url}/return-safe", json={"reason": "Invented: the perpetrator is in custody."}, headers=officer
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert (await options.post(f"{url}/return-safe", json={}, headers=officer)).status_code == 409
    assert (await options.get("/emergency-accommodation", headers=officer)).json() == []
    listed = (await options.get("/emergency-accommodation", params={"include_ended": "true"}, headers=officer)).json()
    assert [t["ref"] for t in listed] == [task["ref"]]


@pytest.mark.rule("dartford.out-of-hours-emergency-accommodation")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_accommodation_not_arranged_in_time_raises_clock_overdue_once(start_service, token, h):
    """004_d4b796f614d2cfd3.txt s.5: the arranging clock raises ClockOverdue once when missed; the same request
    delivered again opens no second task; the start page shows it overdue."""
    options, officer, referral, task = await _requested(start_service, token)
    ctx = context_of(options.app)
    due = datetime.fromisoformat(task["due_at"])

    async def check(now):
        return (await h.on_app(options, lambda: clocks.check_overdue(ctx, now)))["emergency_accommodation"]

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(minutes=1)) == [task["ref"]]
    assert await check(due + timedelta(hours=3)) == []
    outbox = ctx.store.tables.outbox
    types = [r["type"] for r in await h.on_app(options, lambda: outbox.select(outbox.type))]
    assert types.count("haven.options.clock-overdue.v1") == 1

    again = SanctuaryEmergencyAccommodationRequested(
        org="dartford", referral_ref=referral, at=due, trigger="unsafe_during_works"
    )

    async def deliver_again():
        async with ctx.store.transaction() as uow:
            await ea.receive_requested(ctx, again, envelope_for(again), uow)

    await h.on_app(options, deliver_again)
    assert len((await options.get("/emergency-accommodation", headers=officer)).json()) == 1

    options.cookies.set(
        "haven_token", issue_token("officer-1", "dartford", ("options_officer",), settings=ctx.settings)
    )
    page = await options.get("/")
    assert page.status_code == 200
    assert task["ref"] in page.text and "Emergency accommodation not arranged" in page.text
    done = await options.post(f"/pages/emergency-accommodation/{task['ref']}/return-safe", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert (await options.get("/emergency-accommodation", headers=officer)).json() == []


@pytest.mark.rule("se-london.emergency-accommodation")
async def test_a_borough_case_referred_to_its_own_scheme_shows_the_emergency_task_on_the_case_page(
    start_service, token, h, haven_settings
):
    """001_2a45bb55c36fcb52.txt (Greenwich): "If emergency accommodation is required Housing Options staff contact
    Refugeline or if necessary can access the council's own emergency overnight accommodation" — a Greenwich case
    referred to Greenwich's sanctuary scheme while unsafe to stay comes back as an emergency accommodation task on
    that case, shown on its page."""
    assert normalise("can access the council's own emergency overnight accommodation") in seed_text(
        "001_2a45bb55c36fcb52.txt"
    )
    await start_service("sanctuary")
    options = await start_service("options")
    officer = token("greenwich")
    ref = (
        await h.open_case(
            options, officer, tenure="council_secure", perpetrator_at_property=False, unable_to_return_home=True
        )
    )["ref"]
    await options.post(f"/cases/{ref}/options/offer", json={"option_ids": ["greenwich-sanctuary"]}, headers=officer)
    chosen = await options.post(
        f"/cases/{ref}/options/greenwich-sanctuary/decision", json={"decision": "chosen"}, headers=officer
    )
    assert chosen.status_code == 200, chosen.text

    async def linked():
        rows = (await options.get("/emergency-accommodation", headers=officer)).json()
        return [t for t in rows if t["case_ref"] == ref]

    (task,) = await eventually(linked)
    options.cookies.set(
        "haven_token", issue_token("officer-1", "greenwich", ("options_officer",), settings=haven_settings)
    )
    page = await options.get(f"/pages/cases/{ref}")
    assert page.status_code == 200 and task["ref"] in page.text and "Safe to return" in page.text
