"""Works (seed ``004_d4b796f614d2cfd3.txt`` sections 9 and 10).

"DBC ... will make arrangements for the works to be carried out within 24 hours of
receiving the assessment back. The timescales for the completion of the works should be
according to contractor timescales, however in some cases this may need to be treated as
an emergency." "If it is unsafe for the victim to remain in their current accommodation
during the process of carrying out the works, DBC will place the person into emergency
temporary accommodation until it is safe for them to return."

Works may be ordered only after the police recommendations and a decision that the
referral is eligible; completion issues the customer-satisfaction survey.
"""

from __future__ import annotations

from datetime import datetime

from haven_contracts.events.sanctuary import SanctuaryWorksCompleted, SanctuaryWorksOrdered
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks, survey
from haven_sanctuary.common import as_utc, log_step, require_open
from haven_sanctuary.forms import WorksOrder
from haven_sanctuary.referrals import request_emergency_accommodation
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryReferral


def json_list(value) -> list[str]:
    import msgspec

    if isinstance(value, (str, bytes)):
        return list(msgspec.json.decode(value or "[]"))
    return list(value or [])


async def order(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, data: WorksOrder, principal: Principal, at: datetime
) -> None:
    require_open(row)
    if row.recommendations_at is None:
        raise conflict("works cannot be ordered before the police assessment: no recommendations received yet")
    if row.eligibility != "eligible":
        raise conflict(
            f"works cannot be ordered before the referral is found eligible (eligibility: {row.eligibility})"
        )
    if row.works_ordered_at is not None:
        raise conflict("works were already ordered for this referral")
    if data.category not in scheme.works_categories:
        raise unprocessable("category", f"must be one of {', '.join(scheme.works_categories)} for {scheme.name}")
    recommended = json_list(row.recommended_measures)
    measures = data.measures if data.measures is not None else recommended
    known = scheme.measure_keys()
    for i, key in enumerate(measures):
        if key not in known:
            raise unprocessable(f"measures[{i}]", f"{key!r} is not in the {scheme.name} catalogue")
    due = as_utc(data.contractor_due_at)
    needs_due = [r for r in clocks.rules_starting(scheme, "works_ordered", data.category) if r.level is None]
    if needs_due and due is None:
        raise unprocessable("contractor_due_at", f"required: {needs_due[0].label}")
    if due is not None and due <= at:
        raise unprocessable("contractor_due_at", "must be in the future")
    row.works_ordered_at = at
    row.works_category = data.category
    row.works_contractor = data.contractor
    row.works_measures = list(dict.fromkeys(measures))
    row.unsafe_during_works = data.unsafe_during_works
    await clocks.stop_clocks(row.ref, {"works_ordered"}, at)
    started = await clocks.start_clocks(scheme, row.ref, "works_ordered", at, category=data.category, due_at=due)
    completion = [c.due_at for c in started if c.awaiting == "works_completed"]
    row.works_due_at = min(completion) if completion else due
    await uow.emit(
        SanctuaryWorksOrdered(
            org=row.org,
            referral_ref=row.ref,
            at=at,
            category=data.category,
            due_at=row.works_due_at,
            measures=row.works_measures,
        ),
        ref=row.ref,
    )
    await log_step(
        row,
        "works_ordered",
        principal,
        at,
        category=data.category,
        due_at=row.works_due_at,
        measures=row.works_measures,
    )
    if data.unsafe_during_works and row.emergency_accommodation_requested_at is None:
        await request_emergency_accommodation(uow, row, "unsafe_during_works", at, principal)


async def complete(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, cost_pence: int, principal: Principal, at: datetime
) -> None:
    require_open(row)
    if row.works_ordered_at is None:
        raise conflict("no works have been ordered for this referral")
    if row.works_completed_at is not None:
        raise conflict("the works were already completed")
    row.works_completed_at = at
    row.works_cost_pence = cost_pence
    await clocks.stop_clocks(row.ref, {"works_completed"}, at)
    await clocks.start_clocks(scheme, row.ref, "works_completed", at)
    await uow.emit(SanctuaryWorksCompleted(org=row.org, referral_ref=row.ref, at=at), ref=row.ref)
    await log_step(row, "works_completed", principal, at, cost_pence=cost_pence, funding=row.funding)
    if scheme.survey:
        await survey.send(uow, row, scheme, principal, at)
