"""Sanctuary clocks: every scheme timescale becomes a clock that raises an overdue event.

A scheme's :class:`ClockRule` runs from one milestone of a referral to another. When the
starting milestone is reached the clock is planned with the scheme's working-day calendar
(England & Wales bank holidays, the scheme's office hours); a clock starting at ``received``
uses the referral's clock start, which is the next opening when the referral arrived out
of hours. Reaching the stopping milestone stops it. :func:`check_overdue` (run periodically
and callable from tests with a given ``now``) raises one overdue event per missed clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.clocks import Deadline
from haven_contracts.events.sanctuary import (
    SanctuaryClockOverdue,
    SanctuaryInspectionOverdue,
    SanctuaryWorksOverdue,
)
from haven_contracts.plugin.sanctuary import ClockRule
from haven_runtime.context import ServiceContext
from haven_runtime.periodic import PeriodicTask
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryClockRow, SanctuaryHistory

CHECK_SECONDS = 60.0
_INSPECTION_STEPS = {"inspection_requested", "inspection_booked", "inspected", "recommendations_received"}
_WORKS_STEPS = {"works_ordered", "works_completed"}


def plan(scheme: Scheme, rule: ClockRule, start: datetime, *, due_at: datetime | None = None) -> Deadline | None:
    """The deadline of ``rule`` started at ``start``; ``due_at`` supplies a rule without a level."""
    if rule.level is None:
        if due_at is None:
            return None
        return Deadline(starts_at=start.astimezone(UTC), due_at=due_at.astimezone(UTC), rule=rule.label)
    return scheme.calendar.due(start, rule.level, office_hours_only=rule.office_hours_only)


def rules_starting(scheme: Scheme, milestone: str, category: str | None = None) -> list[ClockRule]:
    return [r for r in scheme.clocks if r.starts == milestone and (not r.categories or category in r.categories)]


async def start_clocks(
    scheme: Scheme,
    referral_ref: str,
    milestone: str,
    start: datetime,
    *,
    category: str | None = None,
    due_at: datetime | None = None,
) -> list[SanctuaryClockRow]:
    """Insert the clocks ``milestone`` starts (inside the caller's transaction)."""
    rows = []
    for rule in rules_starting(scheme, milestone, category):
        deadline = plan(scheme, rule, start, due_at=due_at)
        if deadline is None:
            continue
        row = SanctuaryClockRow(
            referral_ref=referral_ref,
            org=scheme.org,
            key=rule.key,
            label=rule.label,
            awaiting=rule.stops,
            started_at=deadline.starts_at,
            target_at=deadline.target_at,
            due_at=deadline.due_at,
            rule=deadline.rule,
        )
        await SanctuaryClockRow.insert(row)
        rows.append(row)
    return rows


async def stop_clocks(referral_ref: str, milestones: set[str], at: datetime) -> None:
    """Stop the running clocks of ``referral_ref`` that await any of ``milestones``."""
    t = SanctuaryClockRow
    await t.update({t.stopped_at: at}).where(
        (t.referral_ref == referral_ref) & t.awaiting.is_in(list(milestones)) & t.stopped_at.is_null()
    )


async def stop_all(referral_ref: str, at: datetime) -> None:
    t = SanctuaryClockRow
    await t.update({t.stopped_at: at}).where((t.referral_ref == referral_ref) & t.stopped_at.is_null())


async def open_clocks(referral_refs: list[str]) -> dict[str, list[dict]]:
    if not referral_refs:
        return {}
    t = SanctuaryClockRow
    rows = await t.select().where(t.referral_ref.is_in(referral_refs) & t.stopped_at.is_null()).order_by(t.due_at)
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["referral_ref"], []).append(r)
    return out


def overdue_event(row: dict, now: datetime):
    cls = (
        SanctuaryInspectionOverdue
        if row["awaiting"] in _INSPECTION_STEPS
        else SanctuaryWorksOverdue
        if row["awaiting"] in _WORKS_STEPS
        else SanctuaryClockOverdue
    )
    return cls(
        org=row["org"],
        referral_ref=row["referral_ref"],
        at=now,
        clock=row["key"],
        awaiting=row["awaiting"],
        due_at=row["due_at"],
    )


async def check_overdue(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Raise an overdue event for each running clock past its deadline; returns the clock keys.

    Each clock is flagged once (``overdue_at``), so repeated checks raise nothing new.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    t = SanctuaryClockRow
    raised: list[str] = []
    async with ctx.store.transaction() as uow:
        rows = await t.select().where(t.stopped_at.is_null() & t.overdue_at.is_null() & (t.due_at < now))
        for row in rows:
            if not await uow.claim(t.overdue_at, now, t.id == row["id"], t.id):  # another replica flagged it first
                continue
            await uow.emit(overdue_event(row, now), ref=row["referral_ref"])
            await SanctuaryHistory.insert(
                SanctuaryHistory(
                    referral_ref=row["referral_ref"],
                    org=row["org"],
                    at=now,
                    step=f"{row['key']}_overdue",
                    actor="system",
                    actor_org=row["org"],
                    detail={"clock": row["key"], "due_at": row["due_at"].isoformat()},
                )
            )
            raised.append(f"{row['referral_ref']}:{row['key']}")
    return raised


OVERDUE_SWEEP = PeriodicTask("overdue-sweep", check_overdue, interval_seconds=CHECK_SECONDS)


async def earliest_due(referral_ref: str, awaiting: set[str]) -> datetime | None:
    """The nearest deadline among the running clocks of a referral awaiting ``awaiting``."""
    t = SanctuaryClockRow
    rows = (
        await t.select(t.due_at)
        .where((t.referral_ref == referral_ref) & t.awaiting.is_in(list(awaiting)) & t.stopped_at.is_null())
        .order_by(t.due_at)
        .limit(1)
    )
    return rows[0]["due_at"] if rows else None


def remaining_seconds(row: dict, now: datetime) -> int:
    return int((row["due_at"] - now).total_seconds())
