"""The England & Wales working-day calendar every clock uses.

Bank holidays come from the maintained ``holidays`` library (``GB``, subdivision ``ENG``;
England and Wales share their bank holidays). Rules:

* "N working days" ends at the close of the Nth working day after the start, at the
  organisation's closing time that day.
* "before the end of the next working day" is 1 working day (AG/013 principle 1).
* A working day is Monday to Friday, not an England & Wales bank holiday, and a day the
  organisation has office hours; an organisation open at weekends has weekend *openings*
  (for "next opening" and working hours) but its working days stay Monday to Friday.
* "N hours" is elapsed clock time (computed in UTC, so a clock across the October or
  March clock change is still exactly N hours); "N working hours" counts only office hours.
* "the same working day" ends at today's close, or the next working day's close when the
  clock starts after today's close or on a non-working day.
* Where a procedure takes referrals only in office hours, a clock that starts outside them
  starts at the next opening (:meth:`WorkingCalendar.clock_start`).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from haven_contracts.clocks import STANDARD_OFFICE_HOURS, Deadline, OfficeHours, ServiceLevel

LONDON = ZoneInfo("Europe/London")


@functools.lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays  # on the first clock, not at start-up: ≈ 6 MB and 0.3 s

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


class WorkingCalendar:
    """Working days and office hours of one organisation, in Europe/London local time."""

    def __init__(self, hours: OfficeHours | None = None) -> None:
        self.hours = hours or STANDARD_OFFICE_HOURS

    def is_open_day(self, day: date) -> bool:
        """The organisation opens on ``day`` (any weekday it has hours, bank holidays excepted)."""
        return self.hours.window(day.isoweekday()) is not None and not is_bank_holiday(day)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, not a bank holiday, and a day the organisation is open."""
        return day.isoweekday() <= 5 and self.is_open_day(day)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("clock times must be timezone-aware")
        return moment.astimezone(LONDON)

    def _at(self, day: date, t) -> datetime:
        return datetime.combine(day, t, tzinfo=LONDON)

    def is_open(self, moment: datetime) -> bool:
        local = self._local(moment)
        window = self.hours.window(local.isoweekday())
        if window is None or is_bank_holiday(local.date()):
            return False
        return window[0] <= local.time() < window[1]

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when open, otherwise the start of the next opening."""
        local = self._local(moment)
        if self.is_open(local):
            return local
        day = local.date()
        window = self.hours.window(day.isoweekday())
        if window and self.is_open_day(day) and local.time() < window[0]:
            return self._at(day, window[0])
        for _ in range(400):
            day += timedelta(days=1)
            opening = self.hours.window(day.isoweekday())
            if opening is not None and self.is_open_day(day):
                return self._at(day, opening[0])
        raise RuntimeError("no working day within 400 days")

    def clock_start(self, moment: datetime, *, office_hours_only: bool) -> datetime:
        return self.next_opening(moment) if office_hours_only else self._local(moment)

    def close_of_working_day(self, day: date) -> datetime:
        """Closing time on ``day`` (an open day of this organisation)."""
        window = self.hours.window(day.isoweekday())
        if window is None:
            raise ValueError(f"{day} is not an open day")
        return self._at(day, window[1])

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Close of the Nth working day after ``start``'s day (n=0: close of that day or the next working day)."""
        local = self._local(start)
        day = local.date()
        if n == 0:
            while not self.is_working_day(day) or local >= self.close_of_working_day(day):
                day += timedelta(days=1)
            return self.close_of_working_day(day)
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return self.close_of_working_day(day)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """``hours`` of office time from ``start`` (or its next opening); arithmetic in UTC."""
        remaining = timedelta(hours=hours)
        cursor = self.next_opening(start)
        while True:
            close = self.close_of_working_day(cursor.date())
            open_for = close.astimezone(UTC) - cursor.astimezone(UTC)
            if remaining <= open_for:
                return (cursor.astimezone(UTC) + remaining).astimezone(LONDON)
            remaining -= open_for
            cursor = self.next_opening(close + timedelta(seconds=1))

    def due(self, start: datetime, level: ServiceLevel, *, office_hours_only: bool = False) -> Deadline:
        """Apply a service level to a start time."""
        begins = self.clock_start(start, office_hours_only=office_hours_only)

        def apply(amount: int) -> datetime:
            if level.unit == "working_days":
                return self.add_working_days(begins, amount)
            if level.unit == "next_working_day_end":
                return self.add_working_days(begins, 1)
            if level.unit == "same_working_day":
                return self.add_working_days(begins, 0)
            if level.unit == "working_hours":
                return self.add_working_hours(begins, amount)
            return (begins.astimezone(UTC) + timedelta(hours=amount)).astimezone(LONDON)

        target = apply(level.target) if level.target is not None else None
        return Deadline(
            starts_at=begins.astimezone(UTC),
            due_at=apply(level.amount).astimezone(UTC),
            target_at=target.astimezone(UTC) if target else None,
            rule=level.source or f"{level.amount} {level.unit}",
        )
