"""Duty of care, support and local links while a household waits and moves
(seed ``002_c1c7b199d9a53274.txt`` §3).

* Local authorities: "Uphold statutory duty of care for each individual from the Local
  Authority that is actively engaged with the Housing Reciprocal, including temporary or
  emergency accommodation if needed whilst awaiting a reciprocal move." — recorded by
  the referring local authority; a registered provider has no such statutory duty (409).
* The coordinator: "Providing specialist IDVA or outreach support to all applicants
  throughout their relocation and linking to local services in the new area." — support
  episodes, and links to directory services in the receiving area (by directory id).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from haven_reciprocal.partners import partner
from haven_reciprocal.referrals import ACTIVE, load_for, refused
from haven_reciprocal.tables import DutyOfCare, PoolProperty, Support
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal

#: Every stage a referral passes through before its move
AWAITING = set(ACTIVE) - {"moved"}
RECEIVING_KNOWN = {"awaiting_receiving_signoff", "offered", "offer_accepted", "moved", "completed"}


async def record_duty(
    ctx: ServiceContext, principal: Principal, ref: str, accommodation: str, from_date: date, to_date: date | None
) -> DutyOfCare:
    if to_date is not None and to_date < from_date:
        raise unprocessable("to_date", "before from_date")
    referral = await load_for(ctx, principal, ref)
    if principal.org != referral.referring_partner:
        await refused(
            ctx,
            principal,
            ref,
            referral,
            action="duty_of_care",
            status_code=403,
            reason="only the referring local authority records its duty of care",
        )
    row_partner = await partner(referral.scheme, referral.referring_partner)
    if row_partner is None or row_partner.kind != "local_authority":
        raise conflict("the statutory duty of care is a local authority's; the referring partner is not one")
    if referral.status not in AWAITING:
        raise conflict(f"the duty is recorded while a move is awaited (stage {referral.status!r})")
    row = DutyOfCare(
        referral_ref=referral.ref,
        partner=principal.org,
        accommodation=accommodation,
        from_date=from_date,
        to_date=to_date,
        recorded_at=datetime.now(UTC),
        recorded_by=principal.sub,
    )
    async with ctx.store.transaction() as uow:
        await DutyOfCare.insert(row)
        await uow.audit(
            principal, "duty_of_care", "reciprocal_referral", referral.arc or referral.ref, entity_org=referral.scheme
        )
    return row


async def record_support(
    ctx: ServiceContext,
    principal: Principal,
    ref: str,
    kind: str,
    started_on: date,
    ended_on: date | None,
    reference: str | None,
) -> Support:
    if kind == "local_service" and reference is None:
        raise unprocessable("reference", "the directory id of the local service is required")
    referral = await load_for(ctx, principal, ref, lock_coordinator=True)
    area = None
    if kind == "local_service":
        if referral.status not in RECEIVING_KNOWN:
            raise conflict("local services are linked in the new area, once the receiving property is known")
        prop = await PoolProperty.objects().where(PoolProperty.ref == referral.property_ref).first()
        area = prop.area if prop else None
    row = Support(
        referral_ref=referral.ref,
        kind=kind,
        reference=reference,
        area=area,
        started_on=started_on,
        ended_on=ended_on,
        recorded_at=datetime.now(UTC),
        recorded_by=principal.sub,
    )
    async with ctx.store.transaction() as uow:
        await Support.insert(row)
        await uow.audit(
            principal, "support", "reciprocal_referral", referral.arc or referral.ref, entity_org=referral.scheme
        )
    return row


async def of(referral_ref: str) -> dict:
    duty = (
        await DutyOfCare.select(
            DutyOfCare.accommodation, DutyOfCare.from_date, DutyOfCare.to_date, DutyOfCare.recorded_at
        )
        .where(DutyOfCare.referral_ref == referral_ref)
        .order_by(DutyOfCare.recorded_at)
    )
    support = (
        await Support.select(Support.kind, Support.reference, Support.area, Support.started_on, Support.ended_on)
        .where(Support.referral_ref == referral_ref)
        .order_by(Support.recorded_at)
    )
    return {"duty_of_care": duty, "support": support}
