"""Rent arrears at a transfer: disregarded while the transfer is decided, settled by a manager afterwards.

``003_8738e4ccc4c4272a.txt`` principle 8: "Rent arrears will be disregarded at this stage,
however a decision will be taken by the relevant manager as to how, or if, the arrears are
apportioned following any transfer."

So the arrears never enter the transfer decision — choosing a transfer option asks nothing
about them (:func:`haven_options.options_catalogue.decide` reads no arrears) — and the
apportionment decision can be recorded only once a transfer has been chosen, only by a
senior officer (the relevant manager), and once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from haven_options.tables import ArrearsDecision, Case, CaseOption
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal, require_senior
from haven_runtime.store import UnitOfWork

Decision = Literal["apportioned", "not_apportioned"]


async def chosen_transfer(case_ref: str) -> CaseOption | None:
    return (
        await CaseOption.objects()
        .where((CaseOption.case_ref == case_ref) & (CaseOption.kind == "transfer") & (CaseOption.status == "chosen"))
        .first()
    )


async def decide(
    uow: UnitOfWork, principal: Principal, case: Case, decision: str, now: datetime | None = None
) -> ArrearsDecision:
    """Record the manager's decision on apportioning the arrears (403 below senior; 409 out of turn)."""
    require_senior(principal)
    if not case.rent_arrears:
        raise conflict(f"case {case.ref} records no rent arrears")
    transfer = await chosen_transfer(case.ref)
    if transfer is None:
        raise conflict(
            "the arrears are disregarded at this stage: their apportionment is decided following a transfer, "
            "and no transfer has been chosen on this case"
        )
    if await find(case.ref) is not None:
        raise conflict("the decision on the arrears is already recorded")
    row = ArrearsDecision(
        case_ref=case.ref,
        org=case.org,
        transfer_option_id=transfer.option_id,
        decision=decision,
        decided_by=principal.sub,
        decided_at=(now or datetime.now(UTC)).astimezone(UTC),
    )
    await ArrearsDecision.insert(row)
    await uow.audit(
        principal,
        "update",
        "case",
        case.ref,
        entity_org=case.org,
        purpose="rent arrears decision",
        detail={"decision": decision, "transfer_option_id": transfer.option_id},
    )
    return row


async def find(case_ref: str) -> ArrearsDecision | None:
    return await ArrearsDecision.objects().where(ArrearsDecision.case_ref == case_ref).first()
