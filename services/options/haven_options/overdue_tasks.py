"""The overdue sweep shared by options' clocked tasks: referrals, one-night bookings and
emergency accommodation.

Each is a row with ``ref``, ``org``, ``case_ref``, ``due_at`` and an ``overdue_at`` flag; a
task still open when its deadline passes raises ``ClockOverdue`` exactly once. The flag is
claimed in the same unit of work as the event (``UnitOfWork.claim``), so replicas sweeping
together raise it once and a failed commit raises nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from haven_contracts.events.options import ClockOverdue
from haven_runtime.context import ServiceContext


async def raise_overdue(
    ctx: ServiceContext, table: Any, now: datetime, still_open: Any, clock: str | None
) -> list[str]:
    """Raise ``ClockOverdue`` once per row of ``table`` whose ``due_at`` has passed while
    ``still_open`` (a Piccolo condition) holds; the clock is ``clock``, or the row's ``kind``
    when ``None``. Returns the refs raised."""
    returning = [table.ref, table.org, table.case_ref, table.due_at, *([table.kind] if clock is None else [])]
    async with ctx.store.transaction() as uow:
        claimed = await uow.claim(
            table.overdue_at, now, table.due_at.is_not_null() & still_open & (table.due_at <= now), *returning
        )
        for row in claimed:
            await uow.emit(
                ClockOverdue(
                    org=row["org"],
                    clock=clock or row["kind"],
                    ref=row["ref"],
                    case_ref=row["case_ref"],
                    due_at=row["due_at"],
                    detected_at=now,
                ),
                ref=row["ref"],
            )
    return [row["ref"] for row in claimed]
