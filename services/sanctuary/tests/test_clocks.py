"""Sanctuary timescales across weekends, bank holidays, British Summer Time and out-of-hours
referrals ("N working days" ends at the close of the Nth working day
after the start; "N hours" is elapsed time; a clock starting outside office hours starts at
the next opening). Scheme values come from each borough's plugin."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from haven_runtime.plugins import build_plugin_manager
from haven_runtime.settings import load_settings
from haven_sanctuary import clocks
from haven_sanctuary.schemes import scheme_for

LONDON = ZoneInfo("Europe/London")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture(scope="module")
def schemes():
    ctx = SimpleNamespace(plugins=build_plugin_manager(load_settings({"HAVEN_ENV": "test"})), extras={})
    return lambda org: scheme_for(ctx, org)


def due(scheme, key: str, start: datetime, **kw):
    rule = next(r for r in scheme.clocks if r.key == key)
    return clocks.plan(scheme, rule, start, **kw)


@pytest.mark.rule("dartford.police-within-3-working-days", "dartford.referral-hours")
@pytest.mark.parametrize(
    ("received", "starts", "due_at"),
    [
        # Thursday afternoon in hours: Fri, Mon, Tue -> close of Tuesday (17:15)
        (local(2026, 11, 26, 16, 0), local(2026, 11, 26, 16, 0), local(2026, 12, 1, 17, 15)),
        # Thursday 17:00 is still open (Mon-Thu close 17:15)
        (local(2026, 11, 26, 17, 0), local(2026, 11, 26, 17, 0), local(2026, 12, 1, 17, 15)),
        # Friday 17:00 is after Friday's 16:45 close: starts Monday 08:45
        (local(2026, 11, 27, 17, 0), local(2026, 11, 30, 8, 45), local(2026, 12, 3, 17, 15)),
        # Saturday: starts Monday 08:45
        (local(2026, 11, 28, 11, 0), local(2026, 11, 30, 8, 45), local(2026, 12, 3, 17, 15)),
        # Monday before opening: starts 08:45 the same day
        (local(2026, 11, 30, 7, 30), local(2026, 11, 30, 8, 45), local(2026, 12, 3, 17, 15)),
        # Christmas Eve: Christmas Day (Fri) and Boxing Day observed (Mon 28) are not working days
        (local(2026, 12, 24, 10, 0), local(2026, 12, 24, 10, 0), local(2026, 12, 31, 17, 15)),
        # On a bank holiday: starts Tuesday 29 Dec; New Year's Day is skipped too
        (local(2026, 12, 28, 10, 0), local(2026, 12, 29, 8, 45), local(2027, 1, 4, 17, 15)),
        # Easter 2027 (Good Friday, Easter Monday) and the change to BST
        (local(2027, 3, 25, 12, 0), local(2027, 3, 25, 12, 0), local(2027, 4, 1, 17, 15)),
    ],
)
def test_dartford_police_asked_within_3_working_days(schemes, received, starts, due_at):
    """Seed 004_d4b796f614d2cfd3.txt s.9: "DBC will ask the Police within 3 working days";
    s.5: "Sanctuary referrals can be made between 8:45am to 5:15pm Monday to Thursday and
    8:45am to 4:45pm on Friday" — an out-of-hours referral's clock starts at the next opening."""
    deadline = due(schemes("dartford"), "police_request", received)
    assert deadline.starts_at == starts
    assert deadline.due_at == due_at


@pytest.mark.rule("dartford.office-hours")
def test_dartford_office_hours_come_from_its_plugin(schemes):
    """Seed 004_d4b796f614d2cfd3.txt s.3: "8:45am and 5:15pm Monday to Thursday, and 8:45am to
    4:45pm on Friday" — not the core default of 09:00-17:00."""
    calendar = schemes("dartford").calendar
    assert calendar.is_open(local(2026, 11, 26, 17, 10))  # Thursday 17:10
    assert not calendar.is_open(local(2026, 11, 27, 16, 50))  # Friday 16:50
    assert calendar.is_open(local(2026, 11, 27, 8, 50))
    assert not calendar.is_open(local(2026, 11, 28, 10, 0))  # Saturday
    assert not calendar.is_open(local(2026, 12, 25, 10, 0))  # Christmas Day


@pytest.mark.rule("dartford.works-within-24-hours")
def test_dartford_works_arranged_within_24_hours_of_recommendations(schemes):
    """Seed 004_d4b796f614d2cfd3.txt s.9: "make arrangements for the works to be carried out
    within 24 hours of receiving the assessment back" — elapsed hours, over a weekend too."""
    deadline = due(schemes("dartford"), "works_arranged", local(2026, 11, 27, 15, 0))
    assert deadline.due_at == local(2026, 11, 28, 15, 0)


@pytest.mark.rule("dartford.works-completion")
def test_dartford_completion_follows_the_contractor_or_emergency(schemes):
    """Seed 004_d4b796f614d2cfd3.txt s.9: "The timescales for the completion of the works
    should be according to contractor timescales, however in some cases this may need to be
    treated as an emergency" (emergency: core default of 24 hours)."""
    scheme = schemes("dartford")
    ordered = local(2026, 11, 27, 15, 0)
    assert due(scheme, "works_completion", ordered) is None
    assert due(scheme, "works_completion", ordered, due_at=local(2026, 12, 9, 12, 0)).due_at == local(
        2026, 12, 9, 12, 0
    )
    assert due(scheme, "works_completion_emergency", ordered).due_at == local(2026, 11, 28, 15, 0)


@pytest.mark.rule("greenwich.sanctuary-cpo-assessment")
def test_greenwich_cpo_assessment_24_hours_completed_in_2_working_days(schemes):
    """Seed 001_2a45bb55c36fcb52.txt (Greenwich): "Undertakes a property risk assessment with
    crime prevention officer within 24 hours and usually completed within 2 working days"."""
    scheme = schemes("greenwich")
    assert "police_request" not in {r.key for r in scheme.clocks}
    friday = local(2026, 11, 27, 16, 0)
    assert due(scheme, "cpo_assessment", friday).due_at == local(2026, 11, 28, 16, 0)
    assert due(scheme, "assessment_complete", friday).due_at == local(2026, 12, 1, 17, 0)
    saturday = local(2026, 11, 28, 10, 0)
    assert due(scheme, "cpo_assessment", saturday).due_at == local(2026, 12, 1, 9, 0)


@pytest.mark.rule("lewisham.sanctuary-assessment")
def test_lewisham_risk_assessment_range_and_cpo_appointment(schemes):
    """Seed 001_2a45bb55c36fcb52.txt (Lewisham): "Between 24-48 hours to complete a Risk
    Assessment. Within two working days, appointment made for CPO to assess property"."""
    scheme = schemes("lewisham")
    wednesday = local(2026, 11, 25, 10, 0)
    risk = due(scheme, "risk_assessment", wednesday)
    assert risk.target_at == local(2026, 11, 26, 10, 0)
    assert risk.due_at == local(2026, 11, 27, 10, 0)
    assert due(scheme, "cpo_appointment", wednesday).due_at == local(2026, 11, 27, 17, 0)
    # Friday before a weekend: Mon, Tue
    assert due(scheme, "cpo_appointment", local(2026, 11, 27, 11, 0)).due_at == local(2026, 12, 1, 17, 0)


@pytest.mark.rule("lewisham.sanctuary-installation")
def test_lewisham_installation_5_or_10_working_days_over_a_bank_holiday(schemes):
    """Seed 001_2a45bb55c36fcb52.txt (Lewisham): "Within 5 working days, contractor will install
    the security measures. For more complicated sanctuary, within 10 working days." Spring
    Bank Holiday (25 May 2026) is not a working day."""
    scheme = schemes("lewisham")
    ordered = local(2026, 5, 21, 10, 0)
    assert [r.key for r in clocks.rules_starting(scheme, "works_ordered", "standard")] == ["installation"]
    assert [r.key for r in clocks.rules_starting(scheme, "works_ordered", "complex")] == ["installation_complex"]
    assert due(scheme, "installation", ordered).due_at == local(2026, 5, 29, 17, 0)
    assert due(scheme, "installation_complex", ordered).due_at == local(2026, 6, 5, 17, 0)


@pytest.mark.parametrize("org", ["bromley", "southwark", "bexley"])
def test_schemes_without_seed_timescales_use_the_core_defaults(schemes, org):
    """Seed 001_2a45bb55c36fcb52.txt gives Bromley, Southwark and Bexley no sanctuary
    timescales: the documented core defaults apply (the reference process of seed 004)."""
    scheme = schemes(org)
    assert {r.key for r in scheme.clocks} == {
        "police_request",
        "works_arranged",
        "works_completion",
        "works_completion_emergency",
    }
    assert due(scheme, "police_request", local(2026, 11, 26, 16, 0)).due_at == local(2026, 12, 1, 17, 0)


@pytest.mark.rule("greenwich.sanctuary-cpo-assessment", "lewisham.sanctuary-assessment")
@pytest.mark.parametrize(
    ("org", "key", "received", "target", "due_at"),
    [
        # Greenwich over Easter 2027: Thursday -> Tue 30 Mar, Wed 31 Mar (BST)
        ("greenwich", "assessment_complete", local(2027, 3, 25, 11, 0), None, local(2027, 3, 31, 17, 0)),
        # Greenwich out of hours on Good Friday: starts Tuesday 09:00 after Easter Monday
        ("greenwich", "cpo_assessment", local(2027, 3, 26, 11, 0), None, local(2027, 3, 31, 9, 0)),
        # Lewisham on Christmas Eve: Tue 29, Wed 30 Dec
        ("lewisham", "cpo_appointment", local(2026, 12, 24, 11, 0), None, local(2026, 12, 30, 17, 0)),
        # Lewisham on a Friday evening: starts Monday 09:00; target Tuesday 09:00, deadline Wednesday 09:00
        ("lewisham", "risk_assessment", local(2026, 11, 27, 18, 0), local(2026, 12, 1, 9, 0), local(2026, 12, 2, 9, 0)),
    ],
)
def test_se_london_timescales_over_bank_holidays_and_out_of_hours(schemes, org, key, received, target, due_at):
    """Seed 001_2a45bb55c36fcb52.txt: Greenwich "within 24 hours and usually completed within 2
    working days"; Lewisham "Between 24-48 hours to complete a Risk Assessment. Within two
    working days, appointment made for CPO" — on the England & Wales calendar, with clocks
    starting at the next opening (core default hours 09:00-17:00) for out-of-hours referrals."""
    deadline = due(schemes(org), key, received)
    assert deadline.target_at == target
    assert deadline.due_at == due_at
