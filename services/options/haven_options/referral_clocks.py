"""The referral clock of a chosen option: from the choice until the referral is completed.

An option's ``referral_level`` is a seed timescale — Lewisham's sanctuary "Between 24-48
hours to complete a Risk Assessment", Greenwich's "Undertakes a property risk assessment
with crime prevention officer within 24 hours" (``001_2a45bb55c36fcb52.txt``) — and every
timescale is a clock that raises an overdue event when missed.
Choosing the option sets the deadline (:func:`haven_options.options_catalogue.decide`); an
officer records the referral completed (:func:`complete`), which stops the clock; a missed
clock raises ``OptionReferralOverdue`` once (:func:`check_overdue`, run by
:data:`REFERRAL_SWEEP`, and callable from tests with a given ``now``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.options import OptionReferralOverdue
from haven_options.tables import Case, CaseOption
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import recorded_at


async def complete(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    option_id: str,
    at: datetime | None = None,
    now: datetime | None = None,
) -> CaseOption:
    """Record the chosen option's referral completed at ``at`` (default now; not in the future), stopping its clock."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    row = (
        await CaseOption.objects()
        .where((CaseOption.case_ref == case.ref) & (CaseOption.option_id == option_id))
        .first()
    )
    if row is None or row.status != "chosen":
        raise conflict(f"option {option_id} has not been chosen on this case")
    if row.referral_due_at is None:
        raise conflict(f"option {option_id} has no referral clock")
    if row.referral_completed_at is not None:
        raise conflict(f"the referral for option {option_id} is already recorded as completed")
    at = recorded_at("completed_at", at, now=now, not_before=row.decided_at, since="the option was chosen")
    row.referral_completed_at, row.referral_completed_by = at, principal.sub
    await row.save([CaseOption.referral_completed_at, CaseOption.referral_completed_by])
    await uow.audit(
        principal,
        "update",
        "case",
        case.ref,
        entity_org=case.org,
        purpose="option referral completed",
        detail={"option_id": option_id, "completed_at": at.isoformat()},
    )
    return row


async def check_overdue(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Raise ``OptionReferralOverdue`` once for every running referral clock past its deadline."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    t = CaseOption
    raised: list[str] = []
    async with ctx.store.transaction() as uow:
        rows = await t.select().where(
            t.referral_due_at.is_not_null()
            & t.referral_completed_at.is_null()
            & t.referral_overdue_at.is_null()
            & (t.status == "chosen")
            & (t.referral_due_at < now)
        )
        for row in rows:
            claimed = (
                await t.update({t.referral_overdue_at: now})
                .where((t.id == row["id"]) & t.referral_overdue_at.is_null())
                .returning(t.id)
            )
            if not claimed:  # another replica flagged it first
                continue
            await uow.emit(
                OptionReferralOverdue(
                    org=row["org"],
                    case_ref=row["case_ref"],
                    option_id=row["option_id"],
                    kind=row["kind"],
                    due_at=row["referral_due_at"],
                    detected_at=now,
                ),
                ref=row["case_ref"],
            )
            raised.append(f"{row['case_ref']}:{row['option_id']}")
    return raised


REFERRAL_SWEEP = PeriodicTask(
    "option-referral-sweep", check_overdue, interval_seconds=60.0, interval_setting="overdue_check_seconds"
)
