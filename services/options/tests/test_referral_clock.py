"""A chosen option's referral timescale is a clock: it stops when the referral is completed, else it breaches once.

Seed ``001_2a45bb55c36fcb52.txt`` (Lewisham, sanctuary): "Between 24-48 hours to complete a Risk Assessment."
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_options import referral_clocks
from haven_runtime.app import context_of
from haven_runtime.testing.plugins import normalise, seed_text

BOROUGHS = "001_2a45bb55c36fcb52.txt"
RISK_ASSESSMENT = "Between 24-48 hours to complete a Risk Assessment."


async def _choose_sanctuary(options, token, h) -> tuple[str, datetime]:
    case = await h.open_case(options, token("lewisham"), tenure="council_secure", perpetrator_at_property=False)
    url = f"/cases/{case['ref']}/options"
    assert (
        await options.post(f"{url}/offer", json={"option_ids": ["lewisham-sanctuary"]}, headers=token("lewisham"))
    ).status_code == 201
    chosen = await options.post(
        f"{url}/lewisham-sanctuary/decision", json={"decision": "chosen"}, headers=token("lewisham")
    )
    assert chosen.status_code == 200, chosen.text
    return case["ref"], datetime.fromisoformat(chosen.json()["referral_due_at"])


@pytest.mark.rule("lewisham.sanctuary-assessment")
async def test_lewisham_sanctuary_risk_assessment_clock_breaches_once_unless_completed(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Lewisham): "Between 24-48 hours to complete a Risk Assessment." — choosing the
    sanctuary option starts a 48-hour clock; recording the referral completed stops it; a missed one raises
    OptionReferralOverdue once."""
    assert normalise(RISK_ASSESSMENT) in seed_text(BOROUGHS)
    options = await start_service("options")
    ctx = context_of(options.app)
    late, due = await _choose_sanctuary(options, token, h)
    done, done_due = await _choose_sanctuary(options, token, h)

    url = f"/cases/{done}/options/lewisham-sanctuary/referral-completed"
    future = await options.post(
        url,
        json={"completed_at": (datetime.now(due.tzinfo) + timedelta(hours=1)).isoformat()},
        headers=token("lewisham"),
    )
    assert future.status_code == 422 and "completed_at" in future.json()["detail"]
    completed = await options.post(url, json={}, headers=token("lewisham"))
    assert completed.status_code == 200 and completed.json()["on_time"] is True
    assert (await options.post(url, json={}, headers=token("lewisham"))).status_code == 409
    not_chosen = await options.post(
        f"/cases/{late}/options/refuge/referral-completed", json={}, headers=token("lewisham")
    )
    assert not_chosen.status_code == 409

    async def check(now):
        return await h.on_app(options, lambda: referral_clocks.check_overdue(ctx, now))

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(max(due, done_due) + timedelta(minutes=1)) == [f"{late}:lewisham-sanctuary"]
    assert await check(due + timedelta(hours=5)) == []
    outbox = ctx.store.tables.outbox
    types = [r["type"] for r in await h.on_app(options, lambda: outbox.select(outbox.type))]
    assert types.count("haven.options.option-referral-overdue.v1") == 1


CPO_24_HOURS = "Undertakes a property risk assessment with crime prevention officer within 24 hours"


@pytest.mark.rule("greenwich.sanctuary-cpo-assessment")
async def test_greenwich_sanctuary_referral_clock_is_24_hours_and_breaches_once(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Greenwich): "Undertakes a property risk assessment with crime prevention officer within
    24 hours" — the deadline the options side computes when the sanctuary option is chosen is a clock: a missed one
    raises OptionReferralOverdue once; recording the referral completed stops the other."""
    assert normalise(CPO_24_HOURS) in seed_text(BOROUGHS)
    options = await start_service("options")
    ctx = context_of(options.app)
    officer = token("greenwich")
    chosen = {}
    for _ in range(2):
        case = await h.open_case(options, officer, tenure="council_secure", perpetrator_at_property=False)
        url = f"/cases/{case['ref']}/options"
        await options.post(f"{url}/offer", json={"option_ids": ["greenwich-sanctuary"]}, headers=officer)
        r = await options.post(f"{url}/greenwich-sanctuary/decision", json={"decision": "chosen"}, headers=officer)
        assert r.status_code == 200, r.text
        chosen[case["ref"]] = datetime.fromisoformat(r.json()["referral_due_at"])
    (late, due), (done, _) = chosen.items()
    completed = await options.post(
        f"/cases/{done}/options/greenwich-sanctuary/referral-completed", json={}, headers=officer
    )
    assert completed.status_code == 200 and completed.json()["on_time"] is True

    async def check(now):
        return await h.on_app(options, lambda: referral_clocks.check_overdue(ctx, now))

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(max(chosen.values()) + timedelta(minutes=1)) == [f"{late}:greenwich-sanctuary"]
    assert await check(due + timedelta(hours=5)) == []


EMERGENCY_BASIS = (
    "the Group will, wherever possible and in partnership with other agencies take the lead to arrange for these to "
    "be provided on an emergency basis"
)


@pytest.mark.rule("ag013.emergency-security-measures")
async def test_ag013_emergency_security_measures_are_a_24_hour_clock(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 8: security measures "provided on an emergency basis" — the document names no
    hours, so the option carries the core default (24 hours, as for emergency works, and says so); choosing it starts
    the clock, and a missed clock raises OptionReferralOverdue."""
    assert normalise(EMERGENCY_BASIS) in seed_text("003_8738e4ccc4c4272a.txt")
    options = await start_service("options")
    ctx = context_of(options.app)
    case = await h.open_case(
        options, token("dales-housing"), tenure="housing_association", perpetrator_at_property=False
    )
    url = f"/cases/{case['ref']}/options"
    listed = {o["id"]: o for o in (await options.get(url, headers=token("dales-housing"))).json()}
    level = listed["dales-housing-emergency-security"]["referral_level"]
    assert (level["amount"], level["unit"]) == (24, "hours") and level["source"].startswith("core default")
    await options.post(
        f"{url}/offer", json={"option_ids": ["dales-housing-emergency-security"]}, headers=token("dales-housing")
    )
    chosen = await options.post(
        f"{url}/dales-housing-emergency-security/decision", json={"decision": "chosen"}, headers=token("dales-housing")
    )
    assert chosen.status_code == 200, chosen.text
    due = datetime.fromisoformat(chosen.json()["referral_due_at"])
    assert await h.on_app(options, lambda: referral_clocks.check_overdue(ctx, due - timedelta(minutes=1))) == []
    raised = await h.on_app(options, lambda: referral_clocks.check_overdue(ctx, due + timedelta(minutes=1)))
    assert raised == [f"{case['ref']}:dales-housing-emergency-security"]


REFUGE_LIST = "Applicant is provided with a list of refuges if they cannot return home on the day"


@pytest.mark.rule("se-london.refuge-list-and-ta")
async def test_the_refuge_list_is_given_on_the_day_or_the_clock_breaches_once(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Lewisham, Southwark): "Applicant is provided with a list of refuges if they cannot
    return home on the day" — choosing the refuge list starts a clock ending with that working day; a list not
    recorded as given by then raises OptionReferralOverdue once."""
    assert normalise(REFUGE_LIST) in seed_text(BOROUGHS)
    options = await start_service("options")
    ctx = context_of(options.app)
    officer = token("southwark")
    case = await h.open_case(options, officer, tenure="council_secure", unable_to_return_home=True)
    url = f"/cases/{case['ref']}/options"
    listed = {o["id"]: o for o in (await options.get(url, headers=officer)).json()}
    assert listed["southwark-refuge-list"]["eligible"], listed["southwark-refuge-list"]
    assert (
        await options.post(f"{url}/offer", json={"option_ids": ["southwark-refuge-list"]}, headers=officer)
    ).status_code == 201
    chosen = await options.post(f"{url}/southwark-refuge-list/decision", json={"decision": "chosen"}, headers=officer)
    assert chosen.status_code == 200, chosen.text
    due = datetime.fromisoformat(chosen.json()["referral_due_at"])

    async def check(now):
        return await h.on_app(options, lambda: referral_clocks.check_overdue(ctx, now))

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(minutes=1)) == [f"{case['ref']}:southwark-refuge-list"]
    assert await check(due + timedelta(hours=5)) == []
