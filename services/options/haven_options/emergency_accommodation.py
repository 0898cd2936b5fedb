"""Emergency temporary accommodation a sanctuary scheme asks its own organisation for.

``004_d4b796f614d2cfd3.txt`` (Dartford) s.5: "If the person requiring the Sanctuary Scheme
contacts DBC through the out of hour's facility and it is unsafe for them to remain in their
present accommodation, emergency temporary accommodation will be arranged"; s.10: "DBC will
place the person into emergency temporary accommodation until it is safe for them to
return". ``001_2a45bb55c36fcb52.txt`` (Bromley, Greenwich): "If emergency accommodation is
required Housing Options staff contact Refugeline or if necessary can access the council's
own emergency overnight accommodation."

The sanctuary service raises ``SanctuaryEmergencyAccommodationRequested`` for the scheme
operator; the options service of the deployment hosting that organisation turns it into a
task (:func:`receive_requested`, a durable consumer: applied once per event, acknowledged
after the commit). The task's clock is the time to arrange the accommodation
(:data:`ARRANGE_LEVEL` on the organisation's calendar); an officer records it arranged
(:func:`arrange`), which stops the clock, and the task stays open until a return-is-safe
decision is recorded (:func:`record_return_safe`). A missed clock raises ``ClockOverdue``
once (:func:`check_overdue`, run by the options overdue sweep).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from piccolo.custom_types import Combinable

from haven_contracts.clocks import ServiceLevel
from haven_contracts.events.sanctuary import SanctuaryEmergencyAccommodationRequested
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_options.overdue_tasks import raise_overdue
from haven_options.tables import Case, EmergencyAccommodation
from haven_runtime.audit import refuse
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal
from haven_runtime.store import Store, UnitOfWork
from haven_runtime.validation import recorded_at

REQUESTED = "the accommodation was requested"

CLOCK = "emergency_accommodation"

#: "will be arranged" names no hours; the request comes out of hours, so the clock counts elapsed hours.
ARRANGE_LEVEL = ServiceLevel(
    amount=2,
    unit="hours",
    source="core default (004_d4b796f614d2cfd3.txt s.5 'emergency temporary accommodation will be arranged' names "
    "no hours; the request may come out of hours, so elapsed hours): 2 hours",
)


async def receive_requested(
    ctx: ServiceContext, event: SanctuaryEmergencyAccommodationRequested, envelope: Envelope, uow: UnitOfWork
) -> None:
    """Open the task for the scheme's organisation, unless one is already open for the referral
    (a second trigger on the same referral — unsafe out of hours, then during the works — is the
    same placement). The case is linked only when it is the organisation's own."""
    if not ctx.deployment.hosts(event.org):
        return
    t = EmergencyAccommodation
    if await t.exists().where((t.referral_ref == event.referral_ref) & t.return_safe_at.is_null()):
        return
    case_ref = None
    if event.case_ref and await Case.exists().where((Case.ref == event.case_ref) & (Case.org == event.org)):
        case_ref = event.case_ref
    requested = event.at.astimezone(UTC)
    due = ctx.calendar(event.org).due(requested, ARRANGE_LEVEL).due_at
    await t.insert(
        t(
            ref=new_reference("EA"),
            org=event.org,
            referral_ref=event.referral_ref,
            case_ref=case_ref,
            trigger=event.trigger,
            requested_at=requested,
            received_at=ctx.now(),
            due_at=due,
        )
    )


async def load(
    store: Store, principal: Principal, ref: str, *, purpose: str, action: str = "update"
) -> EmergencyAccommodation:
    """The task ``ref`` of the officer's own organisation (else an audited 403)."""
    row = await EmergencyAccommodation.objects().where(EmergencyAccommodation.ref == ref).first()
    if row is None or row.org != principal.org:
        await refuse(
            store,
            principal,
            action,
            "emergency_accommodation",
            ref,
            entity_org=row.org if row else "",
            purpose=purpose,
            reason="no such task" if row is None else "another organisation's task",
            status_code=403,
        )
    return row


async def arrange(
    uow: UnitOfWork, principal: Principal, row: EmergencyAccommodation, at: datetime | None, now: datetime
) -> None:
    """Record the accommodation arranged at ``at`` (default now): stops the clock."""
    if row.return_safe_at is not None:
        raise conflict(f"{row.ref} has ended: return was recorded as safe")
    if row.arranged_at is not None:
        raise conflict(f"{row.ref} is already recorded as arranged")
    row.arranged_at, row.arranged_by = (
        recorded_at("arranged_at", at, now=now, not_before=row.requested_at, since=REQUESTED),
        principal.sub,
    )
    await row.save([EmergencyAccommodation.arranged_at, EmergencyAccommodation.arranged_by])
    await uow.audit(
        principal,
        "update",
        "emergency_accommodation",
        row.ref,
        entity_org=row.org,
        purpose="emergency accommodation arranged",
        detail={"arranged_at": row.arranged_at.isoformat()},
    )


async def record_return_safe(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    row: EmergencyAccommodation,
    at: datetime | None,
    reason: str | None,
    now: datetime,
) -> None:
    """The decision that it is safe for the person to return: the only thing that ends the task."""
    if row.return_safe_at is not None:
        raise conflict(f"{row.ref} already has a return-is-safe decision")
    row.return_safe_at = recorded_at(
        "decided_at", at, now=now, not_before=row.requested_at, since="the accommodation was requested"
    )
    row.return_safe_by = principal.sub
    row.return_safe_reason_enc = ctx.cipher.encrypt(reason, ref=row.ref, field="return_safe_reason") if reason else None
    await row.save(
        [
            EmergencyAccommodation.return_safe_at,
            EmergencyAccommodation.return_safe_by,
            EmergencyAccommodation.return_safe_reason_enc,
        ]
    )
    await uow.audit(
        principal,
        "close",
        "emergency_accommodation",
        row.ref,
        entity_org=row.org,
        purpose="return is safe",
        detail={"decided_at": row.return_safe_at.isoformat()},
    )


def view(row: EmergencyAccommodation | dict, now: datetime) -> dict:
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    running = get("arranged_at") is None and get("return_safe_at") is None
    return {
        "ref": get("ref"),
        "referral_ref": get("referral_ref"),
        "case_ref": get("case_ref"),
        "trigger": get("trigger"),
        "requested_at": get("requested_at"),
        "due_at": get("due_at"),
        "arranged_at": get("arranged_at"),
        "return_safe_at": get("return_safe_at"),
        "status": "ended" if get("return_safe_at") else "arranged" if get("arranged_at") else "requested",
        "overdue": running and (get("overdue_at") is not None or get("due_at") <= now),
    }


async def listing(org: str, include_ended: bool = False) -> list[dict]:
    t = EmergencyAccommodation
    where: Combinable = t.org == org
    if not include_ended:
        where = where & t.return_safe_at.is_null()
    return await t.select().where(where).order_by(t.requested_at)


async def tasks(ctx: ServiceContext, principal: Principal, include_ended: bool = False) -> list[dict]:
    """The tasks the officer's organisation's sanctuary scheme asked for (open ones unless ``include_ended``)."""
    now = ctx.now()
    return [view(r, now) for r in await listing(principal.org, include_ended)]


async def read(ctx: ServiceContext, principal: Principal, ref: str) -> dict:
    """One task of the officer's organisation (an audited read)."""
    row = await load(ctx.store, principal, ref, purpose="emergency accommodation", action="read")
    await ctx.store.audit_committed(
        principal, "read", "emergency_accommodation", ref, entity_org=row.org, purpose="emergency accommodation"
    )
    return view(row, ctx.now())


async def arranged(ctx: ServiceContext, principal: Principal, ref: str, at: datetime | None) -> dict:
    """Record task ``ref``'s accommodation arranged at ``at`` (default now): stops its clock."""
    now = ctx.now()
    async with ctx.store.transaction() as uow:
        row = await load(ctx.store, principal, ref, purpose="emergency accommodation arranged")
        await arrange(uow, principal, row, at, now)
    return view(row, now)


async def return_safe(
    ctx: ServiceContext, principal: Principal, ref: str, at: datetime | None, reason: str | None
) -> dict:
    """Record the decision that return is safe for task ``ref``: ends it."""
    now = ctx.now()
    async with ctx.store.transaction() as uow:
        row = await load(ctx.store, principal, ref, purpose="return is safe")
        await record_return_safe(ctx, uow, principal, row, at, reason, now)
    return view(row, now)


async def check_overdue(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``ClockOverdue`` once per task not arranged by its deadline (claimed atomically)."""
    t = EmergencyAccommodation
    return await raise_overdue(ctx, t, now, t.arranged_at.is_null() & t.return_safe_at.is_null(), CLOCK)


CONSUMER = ConsumerSpec(
    purpose="emergency-accommodation",
    from_service="sanctuary",
    # every version: one this build does not read is dead-lettered, not unseen
    filter_subject=event_filter("sanctuary", SanctuaryEmergencyAccommodationRequested.name, addressed=False),
    handler=receive_requested,
)
