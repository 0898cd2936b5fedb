"""The overdue checker: every clock the options service keeps raises an event when missed.

Clocks: the interview (``InterviewOverdue``), JWA information responses
(``InformationOverdue``, escalated to the responder's team manager) and the statutory
prevention / relief / main-duty-decision clocks (``DutyClockExpired``), and the task clocks
raising ``ClockOverdue``: emergency accommodation a sanctuary scheme asked for, and the
referrals a chosen option opened (landlord transfer, reciprocal, floating support), and the
JWA one-night temporary accommodation booking. :func:`check_overdue`
takes the time to check against, so tests drive it directly; :data:`OVERDUE_SWEEP` runs it
periodically (``HAVEN_OPTIONS_CHECK_SECONDS``, default 60) while the service is up.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.options import DutyClockExpired, InterviewOverdue
from haven_options import emergency_accommodation, jwa_requests, referrals, ta
from haven_options.tables import Case, DutyClock
from haven_runtime.context import ServiceContext
from haven_runtime.periodic import PeriodicTask


async def check_interviews(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``InterviewOverdue`` once per open case whose interview clock ran out; claimed
    atomically so replicas sweeping together raise each one once."""
    async with ctx.store.transaction() as uow:
        claimed = await uow.claim(
            Case.interview_overdue,
            True,
            (Case.status == "open")
            & Case.interviewed_at.is_null()
            & Case.interview_due_at.is_not_null()
            & (Case.interview_due_at <= now),
            Case.ref,
            Case.org,
            Case.interview_due_at,
        )
        for case in claimed:
            await uow.emit(
                InterviewOverdue(
                    org=case["org"], case_ref=case["ref"], due_at=case["interview_due_at"], detected_at=now
                ),
                ref=case["ref"],
            )
    return [case["ref"] for case in claimed]


async def check_duties(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``DutyClockExpired`` once per running duty clock past its deadline (claimed atomically)."""
    async with ctx.store.transaction() as uow:
        claimed = await uow.claim(
            DutyClock.expired_raised,
            True,
            DutyClock.ended_at.is_null() & DutyClock.due_at.is_not_null() & (DutyClock.due_at <= now),
            DutyClock.org,
            DutyClock.case_ref,
            DutyClock.duty,
            DutyClock.due_at,
        )
        for clock in claimed:
            await uow.emit(
                DutyClockExpired(
                    org=clock["org"],
                    case_ref=clock["case_ref"],
                    duty=clock["duty"],
                    due_at=clock["due_at"],
                    detected_at=now,
                ),
                ref=clock["case_ref"],
            )
    return [f"{clock['case_ref']}:{clock['duty']}" for clock in claimed]


async def check_overdue(ctx: ServiceContext, now: datetime | None = None) -> dict[str, list[str]]:
    """Raise every missed clock's event once; returns what was raised, by kind."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "interviews": await check_interviews(ctx, now),
        "information_requests": await jwa_requests.check_overdue(ctx, now),
        "duties": await check_duties(ctx, now),
        "emergency_accommodation": await emergency_accommodation.check_overdue(ctx, now),
        "referrals": await referrals.check_overdue(ctx, now),
        "one_night_ta": await ta.check_overdue(ctx, now),
    }


OVERDUE_SWEEP = PeriodicTask(
    "overdue-sweep", check_overdue, interval_seconds=60.0, interval_setting="overdue_check_seconds"
)
