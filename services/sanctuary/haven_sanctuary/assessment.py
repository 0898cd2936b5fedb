"""Police / crime-prevention-officer assessment (seed ``004_d4b796f614d2cfd3.txt`` section 9).

"Once a referral is made, DBC will ask the Police within 3 working days, to carry out an
assessment in the form of an inspection at the victim's property to establish what
additional security is required. Once the inspection is complete, the Police will fax their
recommendations to DBC." Schemes set their own levels (Greenwich: a property risk
assessment with the CPO within 24 hours, usually complete within 2 working days; Lewisham:
CPO appointment within 2 working days) as clock rules on the milestones below.

Steps: ``inspection_requested`` (sanctuary officer) → ``inspection_booked`` (appointment)
→ ``recommendations_received`` (measures from the scheme's catalogue; implies the visit).
"""

from __future__ import annotations

from datetime import datetime

from haven_contracts.events.sanctuary import (
    SanctuaryInspectionBooked,
    SanctuaryInspectionRequested,
    SanctuaryRecommendationsReceived,
)
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks
from haven_sanctuary.common import as_utc, log_step, require_open
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryReferral

INSPECTION_STEPS = {"inspection_booked", "inspected", "recommendations_received"}


async def reach(scheme: Scheme, row: SanctuaryReferral, milestones: list[str], at: datetime) -> None:
    """Stop the clocks awaiting ``milestones`` and start the ones they begin."""
    await clocks.stop_clocks(row.ref, set(milestones), at)
    for milestone in milestones:
        await clocks.start_clocks(scheme, row.ref, milestone, at)


async def request_inspection(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, principal: Principal, at: datetime
) -> None:
    require_open(row)
    if row.eligibility == "ineligible":
        raise conflict("the referral was found ineligible: no inspection is needed")
    if row.inspection_requested_at is not None:
        raise conflict("the inspection was already requested")
    row.inspection_requested_at = at
    await reach(scheme, row, ["inspection_requested"], at)
    due = await clocks.earliest_due(row.ref, INSPECTION_STEPS)
    await uow.emit(
        SanctuaryInspectionRequested(
            org=row.org, referral_ref=row.ref, at=at, police_org=scheme.police_org, due_at=due
        ),
        ref=row.ref,
    )
    await log_step(row, "inspection_requested", principal, at, police_org=scheme.police_org)


async def book_inspection(
    uow: UnitOfWork,
    row: SanctuaryReferral,
    scheme: Scheme,
    appointment_at: datetime,
    principal: Principal,
    at: datetime,
) -> None:
    require_open(row)
    if row.inspection_requested_at is None:
        raise conflict("the inspection has not been requested yet")
    if row.recommendations_at is not None:
        raise conflict("the police recommendations were already received")
    first = row.inspection_booked_at is None
    row.inspection_booked_at = row.inspection_booked_at or at
    row.inspection_appointment_at = as_utc(appointment_at)
    if first:
        await reach(scheme, row, ["inspection_booked"], at)
    await uow.emit(
        SanctuaryInspectionBooked(
            org=row.org, referral_ref=row.ref, at=at, appointment_at=row.inspection_appointment_at
        ),
        ref=row.ref,
    )
    await log_step(row, "inspection_booked", principal, at, appointment_at=row.inspection_appointment_at)


async def record_recommendations(
    ctx: ServiceContext,
    uow: UnitOfWork,
    row: SanctuaryReferral,
    scheme: Scheme,
    measures: list[str],
    note: str | None,
    principal: Principal,
    at: datetime,
) -> None:
    """The police recommendations: measures must come from the scheme's catalogue."""
    require_open(row)
    if row.inspection_requested_at is None:
        raise conflict("the inspection has not been requested yet")
    if row.recommendations_at is not None:
        raise conflict("the police recommendations were already received")
    known = scheme.measure_keys()
    for i, key in enumerate(measures):
        if key not in known:
            raise unprocessable(f"measures[{i}]", f"{key!r} is not in the {scheme.name} catalogue")
    implied = [
        m
        for m, done in (("inspection_booked", row.inspection_booked_at), ("inspected", row.inspected_at))
        if done is None
    ]
    row.inspection_booked_at = row.inspection_booked_at or at
    row.inspected_at = row.inspected_at or at
    row.recommendations_at = at
    row.recommended_measures = list(dict.fromkeys(measures))
    row.recommendations_note_enc = ctx.cipher.encrypt(note, ref=row.ref, field="recommendations.note") if note else None
    await reach(scheme, row, [*implied, "recommendations_received"], at)
    await uow.emit(
        SanctuaryRecommendationsReceived(org=row.org, referral_ref=row.ref, at=at, measures=row.recommended_measures),
        ref=row.ref,
    )
    await log_step(row, "recommendations_received", principal, at, measures=row.recommended_measures)
