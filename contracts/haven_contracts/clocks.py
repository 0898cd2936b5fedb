"""Value types for service levels and deadlines.

A seed timescale is stored as a :class:`ServiceLevel` on a plugin record and becomes a
:class:`Deadline` when the runtime's working-day calendar applies it to a start time.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

import msgspec

Unit = Literal["working_days", "hours", "working_hours", "same_working_day", "next_working_day_end"]


class ServiceLevel(msgspec.Struct, frozen=True, kw_only=True):
    """One timescale: ``amount`` ``unit`` with an optional earlier ``target``.

    A range such as Lewisham's "between 24-48 hours" is ``target=24, amount=48, unit="hours"``:
    the target is the first bound and the deadline the second. ``source`` quotes the seed.
    """

    amount: Annotated[int, msgspec.Meta(ge=0)]
    unit: Unit
    target: int | None = None
    source: str = ""


class OfficeHours(msgspec.Struct, frozen=True, kw_only=True):
    """Opening hours by ISO weekday (1 = Monday); a missing day is closed.

    ``opens``/``closes`` are local (Europe/London) wall-clock times.
    """

    days: dict[int, tuple[time, time]]
    source: str = ""

    def window(self, isoweekday: int) -> tuple[time, time] | None:
        return self.days.get(isoweekday)


ALWAYS_OPEN = OfficeHours(days={d: (time(0, 0), time(23, 59, 59)) for d in range(1, 8)}, source="core default")
STANDARD_OFFICE_HOURS = OfficeHours(
    days={d: (time(9, 0), time(17, 0)) for d in range(1, 6)},
    source="core default: 09:00-17:00 Monday to Friday where no plugin sets hours",
)


class Deadline(msgspec.Struct, frozen=True, kw_only=True):
    """A computed clock: when it started, its target (if a range) and when it is due."""

    starts_at: datetime
    due_at: datetime
    target_at: datetime | None = None
    rule: str = ""
