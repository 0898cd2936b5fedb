"""Floating support referrals the boroughs' procedures make automatically, each on a clock.

Seed ``001_2a45bb55c36fcb52.txt``: Greenwich's sanctuary clients "are always referred for floating
support"; Lewisham and Southwark's rent incentive schemes: "In any cases where this is taken up,
referral is made to the floating support providers". Seed ``003_8738e4ccc4c4272a.txt`` principle 8:
emergency security measures "provided on an emergency basis" (the option's own 24-hour clock,
``test_referral_clock.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_options import clocks
from haven_runtime.app import context_of
from haven_runtime.testing.plugins import normalise, seed_text

pytestmark = pytest.mark.asyncio

BOROUGHS = "001_2a45bb55c36fcb52.txt"
ALWAYS = "They are always referred for floating support."
TAKEN_UP = "In any cases where this is taken up, referral is made to the floating support providers"


async def _choose_option(
    options, h, headers, option_id: str, *, consent_to: str | None = None, **facts
) -> tuple[str, dict]:
    ref = (await h.open_case(options, headers, **facts))["ref"]
    url = f"/cases/{ref}/options"
    assert (await options.post(f"{url}/offer", json={"option_ids": [option_id]}, headers=headers)).status_code == 201
    if consent_to:
        given = await options.post(
            f"/cases/{ref}/consents", json={"purpose": "contact_agency", "recipient": consent_to}, headers=headers
        )
        assert given.status_code == 201, given.text
    chosen = await options.post(f"{url}/{option_id}/decision", json={"decision": "chosen"}, headers=headers)
    assert chosen.status_code == 200, chosen.text
    return ref, chosen.json()


@pytest.mark.rule("greenwich.floating-support")
async def test_greenwich_sanctuary_always_refers_for_floating_support_on_a_clock(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Greenwich): "They are always referred for floating support." — choosing the
    sanctuary option opens the floating support referral too, due by the end of the next working day (core
    default); a missed one raises ClockOverdue once, and a refused sanctuary option opens none."""
    assert normalise(ALWAYS) in seed_text(BOROUGHS)
    options = await start_service("options")
    ctx = context_of(options.app)
    officer = token("greenwich")
    facts = {"tenure": "council_secure", "perpetrator_at_property": False}
    ref, chosen = await _choose_option(options, h, officer, "greenwich-sanctuary", **facts)
    assert chosen["referral"] is not None  # the sanctuary referral itself
    (support,) = chosen["referrals"]
    assert (support["kind"], support["option_id"], support["to_org"]) == (
        "floating_support",
        "greenwich-floating-support",
        "greenwich",
    )
    created, due = datetime.fromisoformat(support["created_at"]), datetime.fromisoformat(support["due_at"])
    assert timedelta(0) < due - created <= timedelta(days=4)

    other = (await h.open_case(options, officer, **facts))["ref"]
    await options.post(f"/cases/{other}/options/offer", json={"option_ids": ["greenwich-sanctuary"]}, headers=officer)
    refused = await options.post(
        f"/cases/{other}/options/greenwich-sanctuary/decision", json={"decision": "refused"}, headers=officer
    )
    assert refused.status_code == 200 and refused.json()["referrals"] == []
    assert (await options.get(f"/cases/{other}/referrals", headers=officer)).json() == []

    async def check(now):
        return (await h.on_app(options, lambda: clocks.check_overdue(ctx, now)))["referrals"]

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(minutes=1)) == [support["ref"]]
    assert await check(due + timedelta(days=2)) == []
    listed = (await options.get(f"/cases/{ref}/referrals", headers=officer)).json()
    assert [(r["kind"], r["overdue"]) for r in listed] == [("sanctuary_scheme", False), ("floating_support", True)]


@pytest.mark.rule("lewisham.rent-incentive-floating-support", "southwark.sanctuary-finders-fee-idvas")
@pytest.mark.parametrize("org", ["lewisham", "southwark"])
async def test_taking_up_the_rent_incentive_scheme_refers_for_floating_support(start_service, token, h, org):
    """001_2a45bb55c36fcb52.txt (Lewisham, Southwark): "In any cases where this is taken up, referral is made to the
    floating support providers" — choosing the rent incentive option opens the floating support referral; recording
    it made stops its clock."""
    assert normalise(TAKEN_UP) in seed_text(BOROUGHS)
    options = await start_service("options")
    officer = token(org)
    ref, chosen = await _choose_option(
        options,
        h,
        officer,
        f"{org}-rent-incentive",
        consent_to=f"{org}-rent-incentive",
        tenure="private_rented",
        homelessness="threatened",
    )
    (support,) = chosen["referrals"]
    assert (support["kind"], support["option_id"]) == ("floating_support", f"{org}-floating-support")
    done = await options.post(f"/cases/{ref}/referrals/{support['ref']}/completed", json={}, headers=officer)
    assert done.status_code == 200 and done.json()["on_time"] is True
