"""The England & Wales working-day calendar.

Dates are chosen from real calendars: 2026-04-03 Good Friday and 2026-04-06 Easter Monday;
Christmas 2027 falls on a Saturday, so Monday 27 and Tuesday 28 December are substitute
bank holidays; the clocks go back on 2026-10-25 and forward on 2027-03-28.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from haven_contracts.clocks import ALWAYS_OPEN, OfficeHours, ServiceLevel
from haven_runtime.calendar import LONDON, WorkingCalendar, is_bank_holiday

DARTFORD_HOURS = OfficeHours(
    days={**{d: (time(8, 45), time(17, 15)) for d in (1, 2, 3, 4)}, 5: (time(8, 45), time(16, 45))},
    source="004_d4b796f614d2cfd3.txt",
)
standard = WorkingCalendar()
dartford = WorkingCalendar(DARTFORD_HOURS)


def at(y, m, d, hh=12, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def local(dt: datetime) -> datetime:
    return dt.astimezone(LONDON).replace(tzinfo=None)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 4, 3), True),  # Good Friday
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2026, 12, 28), True),  # Boxing Day (substitute: 26th is a Saturday)
        (date(2027, 12, 27), True),  # Christmas Day substitute
        (date(2027, 12, 28), True),  # Boxing Day substitute
        (date(2027, 12, 29), False),
        (date(2026, 8, 31), True),  # late summer bank holiday
        (date(2026, 3, 17), False),  # St Patrick's Day is a holiday in Northern Ireland only
        (date(2026, 11, 30), False),  # St Andrew's Day: Scotland only
    ],
)
def test_bank_holidays_of_england_and_wales(day, expected):
    assert is_bank_holiday(day) is expected


def test_weekends_and_holidays_are_not_working_days():
    assert standard.is_working_day(date(2026, 11, 23))  # Monday
    assert not standard.is_working_day(date(2026, 11, 28))  # Saturday
    assert not standard.is_working_day(date(2026, 11, 29))  # Sunday
    assert not standard.is_working_day(date(2026, 4, 3))
    # an organisation open every day still has Monday-Friday working days
    always = WorkingCalendar(ALWAYS_OPEN)
    assert always.is_open(at(2026, 11, 28, 3)) and not always.is_working_day(date(2026, 11, 28))


def test_working_days_skip_the_weekend():
    # Thursday + 3 working days = close of Tuesday
    assert local(standard.add_working_days(at(2026, 11, 26, 10), 3)) == datetime(2026, 12, 1, 17, 0)


def test_working_days_skip_easter():
    # Thursday 2 April 2026 + 1 working day: Good Friday and Easter Monday are holidays
    assert local(standard.add_working_days(at(2026, 4, 2, 10), 1)) == datetime(2026, 4, 7, 17, 0)


def test_working_days_skip_christmas_substitute_days():
    # Friday 24 December 2027 + 1 working day: 27 and 28 December are substitute holidays
    assert local(standard.add_working_days(at(2027, 12, 24, 10), 1)) == datetime(2027, 12, 29, 17, 0)


def test_starting_on_a_holiday_counts_from_the_next_working_day():
    assert local(standard.add_working_days(at(2026, 12, 25, 10), 1)) == datetime(2026, 12, 29, 17, 0)


@pytest.mark.rule("dartford.office-hours")
def test_dartford_office_hours():
    """``004_d4b796f614d2cfd3.txt``: "between 8:45am and 5:15pm Monday to Thursday, and
    8:45am to 4:45pm on Friday"."""
    assert dartford.is_open(at(2026, 11, 26, 17, 0))  # Thursday 17:00
    assert not dartford.is_open(at(2026, 11, 26, 17, 15))
    assert dartford.is_open(at(2026, 11, 27, 16, 30))  # Friday
    assert not dartford.is_open(at(2026, 11, 27, 16, 50))
    assert not dartford.is_open(at(2026, 11, 23, 8, 30))
    assert dartford.is_open(at(2026, 11, 23, 8, 45))
    assert local(dartford.add_working_days(at(2026, 11, 24), 3)) == datetime(2026, 11, 27, 16, 45)
    assert local(dartford.add_working_days(at(2026, 11, 23), 3)) == datetime(2026, 11, 26, 17, 15)


@pytest.mark.rule("dartford.referral-hours")
@pytest.mark.parametrize(
    "start, opening",
    [
        (at(2026, 11, 27, 16, 50), datetime(2026, 11, 30, 8, 45)),  # Friday after 16:45 -> Monday
        (at(2026, 11, 26, 18, 0), datetime(2026, 11, 27, 8, 45)),  # Thursday evening -> Friday
        (at(2026, 11, 24, 7, 0), datetime(2026, 11, 24, 8, 45)),  # before opening -> same day
        (at(2026, 11, 28, 12, 0), datetime(2026, 11, 30, 8, 45)),  # Saturday -> Monday
        (at(2026, 4, 2, 19, 0), datetime(2026, 4, 7, 8, 45)),  # Maundy Thursday evening -> Tuesday after Easter
        (at(2026, 11, 24, 11, 0), datetime(2026, 11, 24, 11, 0)),  # open: the moment itself
    ],
)
def test_out_of_hours_start_moves_to_next_opening(start, opening):
    """``004_d4b796f614d2cfd3.txt``: "Sanctuary referrals can be made between 8:45am to 5:15pm
    Monday to Thursday and 8:45am to 4:45pm on Friday": a clock started outside those hours
    starts at the next opening."""
    assert local(dartford.clock_start(start, office_hours_only=True)) == opening
    assert dartford.clock_start(start, office_hours_only=False) == start


@pytest.mark.rule("dartford.police-within-3-working-days")
def test_dartford_police_within_three_working_days_of_an_out_of_hours_referral():
    """``004_d4b796f614d2cfd3.txt``: "DBC will ask the Police within 3 working days"; a
    referral made on Friday evening starts on Monday's opening."""
    d = dartford.due(at(2026, 11, 27, 19, 0), ServiceLevel(amount=3, unit="working_days"), office_hours_only=True)
    assert local(d.starts_at) == datetime(2026, 11, 30, 8, 45)
    assert local(d.due_at) == datetime(2026, 12, 3, 17, 15)
    assert d.target_at is None


@pytest.mark.rule("ag013.interview-next-working-day")
@pytest.mark.parametrize(
    "report, deadline",
    [
        (at(2026, 11, 23, 10), datetime(2026, 11, 24, 17, 0)),  # Monday -> Tuesday close
        (at(2026, 11, 27, 10), datetime(2026, 11, 30, 17, 0)),  # Friday -> Monday close
        (at(2026, 11, 28, 10), datetime(2026, 11, 30, 17, 0)),  # Saturday -> Monday close
        (at(2026, 12, 24, 15), datetime(2026, 12, 29, 17, 0)),  # Christmas Eve -> Tuesday 29th
        (at(2026, 4, 2, 16), datetime(2026, 4, 7, 17, 0)),  # before Easter -> Tuesday after
    ],
)
def test_interview_before_the_end_of_the_next_working_day(report, deadline):
    """``003_8738e4ccc4c4272a.txt`` principle 1: "Victims of domestic violence will be
    interviewed before the end of the next working day from making a report to housing
    services"."""
    for level in (ServiceLevel(amount=1, unit="next_working_day_end"), ServiceLevel(amount=1, unit="working_days")):
        assert local(standard.due(report, level).due_at) == deadline


@pytest.mark.rule("lewisham.sanctuary-assessment")
def test_range_has_target_and_deadline():
    """``001_2a45bb55c36fcb52.txt`` (Lewisham): "Between 24-48 hours to complete a Risk
    Assessment": the target is the first bound, the deadline the second."""
    level = ServiceLevel(target=24, amount=48, unit="hours", source="001: between 24-48 hours")
    d = standard.due(at(2026, 11, 23, 10), level)
    assert local(d.target_at) == datetime(2026, 11, 24, 10)
    assert local(d.due_at) == datetime(2026, 11, 25, 10)
    assert d.rule == "001: between 24-48 hours"
    assert d.target_at < d.due_at


@pytest.mark.rule("lewisham.sanctuary-assessment")
def test_working_day_range():
    """``001_2a45bb55c36fcb52.txt`` (Lewisham): "Within two working days, appointment made"
    as a target with five working days as the deadline (a range of working days)."""
    d = standard.due(at(2026, 11, 26, 10), ServiceLevel(target=2, amount=5, unit="working_days"))
    assert local(d.target_at) == datetime(2026, 11, 30, 17, 0)
    assert local(d.due_at) == datetime(2026, 12, 3, 17, 0)


def test_elapsed_hours_are_real_hours_across_the_clock_change():
    """As required: "N hours" is elapsed time: 24 hours from noon the day before the clocks go back ends at
    11:00 local the next day, not noon."""
    start = at(2026, 10, 24, 12)
    d = standard.due(start, ServiceLevel(amount=24, unit="hours"))
    assert (d.due_at - d.starts_at).total_seconds() == 24 * 3600
    assert local(d.due_at) == datetime(2026, 10, 25, 11, 0)
    spring = standard.due(at(2027, 3, 27, 12), ServiceLevel(amount=24, unit="hours"))
    assert local(spring.due_at) == datetime(2027, 3, 28, 13, 0)


@pytest.mark.rule("dartford.works-within-24-hours")
def test_dartford_works_within_24_hours_of_police_recommendations():
    """``004_d4b796f614d2cfd3.txt``: "make arrangements for the works to be carried out within
    24 hours of receiving the assessment back" — elapsed hours, weekends included."""
    d = dartford.due(at(2026, 11, 27, 16, 0), ServiceLevel(amount=24, unit="hours"))
    assert local(d.due_at) == datetime(2026, 11, 28, 16, 0)


def test_working_hours_count_office_time_only():
    # Friday 16:00 at Dartford + 2 working hours: 45 minutes on Friday, 75 on Monday
    end = dartford.add_working_hours(at(2026, 11, 27, 16, 0), 2)
    assert local(end) == datetime(2026, 11, 30, 10, 0)
    d = dartford.due(at(2026, 11, 27, 20, 0), ServiceLevel(amount=1, unit="working_hours"))
    assert local(d.due_at) == datetime(2026, 11, 30, 9, 45)


def test_same_working_day():
    level = ServiceLevel(amount=0, unit="same_working_day")
    assert local(standard.due(at(2026, 11, 23, 10), level).due_at) == datetime(2026, 11, 23, 17, 0)
    # after today's close, "the same working day" cannot end before it started
    late = standard.due(at(2026, 11, 23, 18), level)
    assert local(late.due_at) == datetime(2026, 11, 24, 17, 0)
    assert late.due_at > late.starts_at
    assert local(standard.due(at(2026, 11, 28, 10), level).due_at) == datetime(2026, 11, 30, 17, 0)


def test_deadlines_are_utc_and_never_before_the_start():
    start = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 23:30 BST
    for unit in ("working_days", "hours", "working_hours", "same_working_day", "next_working_day_end"):
        d = dartford.due(start, ServiceLevel(amount=2, unit=unit))
        assert d.due_at.tzinfo is not None and d.due_at.utcoffset().total_seconds() == 0
        assert d.due_at > d.starts_at >= start


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        standard.due(datetime(2026, 11, 23, 10), ServiceLevel(amount=1, unit="working_days"))


def test_default_hours_are_documented():
    assert "09:00-17:00" in standard.hours.source
