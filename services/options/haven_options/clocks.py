"""The overdue checker: every clock the options service keeps raises an event when missed.

Clocks: the interview (``InterviewOverdue``), JWA information responses
(``InformationOverdue``, escalated to the responder's team manager) and the statutory
prevention / relief / main-duty-decision clocks (``DutyClockExpired``). :func:`check_overdue`
takes the time to check against, so tests drive it directly; :data:`OVERDUE_SWEEP` runs it
periodically (``HAVEN_OPTIONS_CHECK_SECONDS``, default 60) while the service is up.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.options import DutyClockExpired, InterviewOverdue
from haven_runtime.context import ServiceContext
from haven_runtime.periodic import PeriodicTask

from haven_options import jwa_requests
from haven_options.tables import Case, DutyClock


async def check_interviews(ctx: ServiceContext, now: datetime) -> list[str]:
    pending = await Case.objects().where(
        (Case.status == "open") & Case.interviewed_at.is_null() & (Case.interview_overdue == False) & Case.interview_due_at.is_not_null()  # noqa: E712
    )
    raised = []
    for case in pending:
        if case.interview_due_at > now:
            continue
        async with ctx.store.transaction() as uow:
            case.interview_overdue = True
            await case.save([Case.interview_overdue])
            await uow.emit(InterviewOverdue(org=case.org, case_ref=case.ref, due_at=case.interview_due_at, detected_at=now), ref=case.ref)
        raised.append(case.ref)
    return raised


async def check_duties(ctx: ServiceContext, now: datetime) -> list[str]:
    running = await DutyClock.objects().where(DutyClock.ended_at.is_null() & (DutyClock.expired_raised == False) & DutyClock.due_at.is_not_null())  # noqa: E712
    raised = []
    for clock in running:
        if clock.due_at > now:
            continue
        async with ctx.store.transaction() as uow:
            clock.expired_raised = True
            await clock.save([DutyClock.expired_raised])
            await uow.emit(DutyClockExpired(org=clock.org, case_ref=clock.case_ref, duty=clock.duty, due_at=clock.due_at, detected_at=now),
                           ref=clock.case_ref)
        raised.append(f"{clock.case_ref}:{clock.duty}")
    return raised


async def check_overdue(ctx: ServiceContext, now: datetime | None = None) -> dict[str, list[str]]:
    """Raise every missed clock's event once; returns what was raised, by kind."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "interviews": await check_interviews(ctx, now),
        "information_requests": await jwa_requests.check_overdue(ctx, now),
        "duties": await check_duties(ctx, now),
    }


OVERDUE_SWEEP = PeriodicTask("overdue-sweep", check_overdue, interval_seconds=60.0, interval_env="HAVEN_OPTIONS_CHECK_SECONDS")
