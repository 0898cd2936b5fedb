"""Interview and statutory clocks on the working-day calendar.

Seed ``003_8738e4ccc4c4272a.txt`` principle 1: "Victims of domestic violence will be
interviewed before the end of the next working day from making a report to housing
services, or on the receipt of a referral".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven_options.interview import DEFAULT_INTERVIEW_LEVEL
from haven_runtime.calendar import WorkingCalendar

LONDON = ZoneInfo("Europe/London")


def due(local: datetime) -> datetime:
    return WorkingCalendar().due(local, DEFAULT_INTERVIEW_LEVEL).due_at.astimezone(LONDON)


@pytest.mark.rule("ag013.interview-next-working-day")
def test_report_on_a_tuesday_is_due_by_close_on_wednesday():
    assert due(datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)) == datetime(2026, 11, 25, 17, 0, tzinfo=LONDON)


@pytest.mark.rule("ag013.interview-next-working-day")
def test_report_on_friday_is_due_monday_across_the_weekend():
    assert due(datetime(2026, 11, 27, 16, 0, tzinfo=LONDON)) == datetime(2026, 11, 30, 17, 0, tzinfo=LONDON)


@pytest.mark.rule("ag013.interview-next-working-day")
def test_report_on_saturday_is_due_monday():
    assert due(datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)) == datetime(2026, 11, 30, 17, 0, tzinfo=LONDON)


@pytest.mark.rule("ag013.interview-next-working-day")
def test_christmas_and_boxing_day_bank_holidays_are_skipped():
    """Thursday 24 December 2026: Friday 25th and Monday 28th (Boxing Day substitute) are bank holidays."""
    assert due(datetime(2026, 12, 24, 12, 0, tzinfo=LONDON)) == datetime(2026, 12, 29, 17, 0, tzinfo=LONDON)


@pytest.mark.rule("ag013.interview-next-working-day")
def test_easter_bank_holidays_are_skipped():
    """Thursday 2 April 2026: Good Friday 3rd and Easter Monday 6th are bank holidays."""
    assert due(datetime(2026, 4, 2, 9, 30, tzinfo=LONDON)) == datetime(2026, 4, 7, 17, 0, tzinfo=LONDON)


@pytest.mark.rule("jwa.information-as-soon-as-requested")
def test_same_working_day_response_after_close_rolls_to_next_working_day():
    """JWA default information-response clock: the same working day ("as soon as requested")."""
    from haven_contracts.plugin.options import JwaSettings

    level = JwaSettings().information_response
    cal = WorkingCalendar()
    assert cal.due(datetime(2026, 11, 24, 11, 0, tzinfo=LONDON), level).due_at == datetime(
        2026, 11, 24, 17, 0, tzinfo=LONDON
    ).astimezone(UTC)
    assert cal.due(datetime(2026, 11, 27, 18, 0, tzinfo=LONDON), level).due_at == datetime(
        2026, 11, 30, 17, 0, tzinfo=LONDON
    ).astimezone(UTC)


def test_fifty_six_days_are_calendar_days():
    from haven_options.duties import DUTY_DAYS

    assert DUTY_DAYS == 56
    start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert (start + timedelta(days=DUTY_DAYS)).date().isoformat() == "2027-01-18"
