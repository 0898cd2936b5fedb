"""Statutory homelessness duties beside the local procedure, as clocks on the case.

* Homelessness Reduction Act 2017: the **prevention** duty (Housing Act 1996 s195) lasts
  56 days from when the authority is satisfied the client is threatened with homelessness;
  the **relief** duty (s189B) lasts 56 days from when they are homeless, and at day 56 the
  relief duty ends into the **main-duty decision** (s193), so that decision is due then.
* Domestic Abuse Act 2021 s78: a person homeless as a result of being a victim of domestic
  abuse has priority need automatically. So where there is reason to believe the client
  may be homeless, the **interim accommodation** duty (s188) applies at once: it is flagged
  the moment the case says so, with no waiting clock.
* Local connection (s198(2)(b) / (2A)): a referral to another authority is not allowed where
  anyone in the household would be at risk of domestic abuse in that district.

The 56 days are calendar days (the Act's wording), not working days.

Accepting a duty is what lets the Joint Working Agreement's advance contact begin
(``000_93a7cd5d2a8b6030.txt``: "Where borough A has accepted a duty to a client who then
decides to approach borough B ..."). It is recorded on opening, or later by
:func:`accept_duty` when the decision comes after the approach.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven_contracts.events.options import DutyClockStarted, LocalConnectionReferralRefused
from haven_options.tables import Case, DutyClock
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

DUTY_DAYS = 56
DUTIES = ("prevention", "relief", "main_duty_decision", "interim_accommodation")


async def _start(uow: UnitOfWork, case: Case, duty: str, started_at: datetime, due_at: datetime | None) -> DutyClock:
    row = DutyClock(case_ref=case.ref, org=case.org, duty=duty, started_at=started_at, due_at=due_at)
    await DutyClock.insert(row)
    await uow.emit(
        DutyClockStarted(org=case.org, case_ref=case.ref, duty=duty, started_at=started_at, due_at=due_at), ref=case.ref
    )
    return row


def may_be_homeless(case: Case) -> bool:
    """Reason to believe the client may be homeless: homeless now, or unable to return home
    (a home it is not reasonable to occupy because of domestic abuse is no home, s177)."""
    return case.homelessness == "homeless" or bool(case.unable_to_return_home)


async def open_clocks(case_ref: str) -> list[DutyClock]:
    return list(
        await DutyClock.objects()
        .where((DutyClock.case_ref == case_ref) & DutyClock.ended_at.is_null())
        .order_by(DutyClock.id)
    )


async def start_for_homelessness(uow: UnitOfWork, case: Case, at: datetime | None = None) -> list[DutyClock]:
    """Start the clocks the case's homelessness status calls for (called on opening)."""
    at = (at or case.approached_at).astimezone(UTC)
    started: list[DutyClock] = []
    if case.homelessness == "threatened":
        started.append(await _start(uow, case, "prevention", at, at + timedelta(days=DUTY_DAYS)))
    elif case.homelessness == "homeless":
        started.extend(await _relief(uow, case, at))
    if may_be_homeless(case):
        started.append(await _start(uow, case, "interim_accommodation", at, None))
    return started


async def _relief(uow: UnitOfWork, case: Case, at: datetime) -> list[DutyClock]:
    relief_end = at + timedelta(days=DUTY_DAYS)
    return [
        await _start(uow, case, "relief", at, relief_end),
        await _start(uow, case, "main_duty_decision", relief_end, relief_end),
    ]


async def move_to_relief(
    uow: UnitOfWork, principal: Principal, case: Case, at: datetime | None = None
) -> list[DutyClock]:
    """The client became homeless: the prevention duty ends and the relief duty starts."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    clocks = {c.duty: c for c in await open_clocks(case.ref)}
    if "relief" in clocks:
        raise conflict("the relief duty is already running")
    if "prevention" in clocks:
        clocks["prevention"].ended_at = at
        await clocks["prevention"].save([DutyClock.ended_at])
    case.homelessness = "homeless"
    await case.save([Case.homelessness])
    started = await _relief(uow, case, at)
    if "interim_accommodation" not in clocks:
        started.append(await _start(uow, case, "interim_accommodation", at, None))
    await uow.audit(principal, "update", "case", case.ref, entity_org=case.org, purpose="relief duty started")
    return started


async def refuse_if_at_risk(
    uow: UnitOfWork, principal: Principal, case: Case, to_org: str, at_risk_there: bool
) -> None:
    """Refuse (409) a local-connection referral to ``to_org`` when someone is at risk there."""
    if not at_risk_there:
        return
    now = datetime.now(UTC)
    await uow.emit(
        LocalConnectionReferralRefused(org=case.org, case_ref=case.ref, refused_at=now, considered_org=to_org),
        ref=case.ref,
    )
    await uow.audit(
        principal, "refuse", "case", case.ref, entity_org=case.org, purpose="local connection referral refused"
    )


async def accept_duty(
    uow: UnitOfWork, principal: Principal, case: Case, at: datetime | None = None, now: datetime | None = None
) -> Case:
    """Record that the organisation accepted a duty to the client at ``at`` (default now), audited.

    The time may not be in the future nor before the approach; a duty already accepted is a 409.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    at = (at or now).astimezone(UTC)
    if case.duty_accepted:
        raise conflict(f"a duty to the client on case {case.ref} is already recorded as accepted")
    if at > now:
        raise unprocessable("accepted_at", "cannot be in the future")
    if at < case.approached_at:
        raise unprocessable("accepted_at", "cannot be before the client approached")
    case.duty_accepted, case.duty_accepted_at, case.duty_accepted_by = True, at, principal.sub
    await case.save([Case.duty_accepted, Case.duty_accepted_at, Case.duty_accepted_by])
    await uow.audit(
        principal,
        "accept_duty",
        "case",
        case.ref,
        entity_org=case.org,
        purpose="duty accepted",
        detail={"accepted_at": at.isoformat()},
    )
    return case
