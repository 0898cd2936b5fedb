"""Customer-satisfaction survey and closing (seed ``004_d4b796f614d2cfd3.txt`` sections 9 and 11).

"The success of the scheme is monitored though customer satisfaction surveys, which will be
sent out by DBC after each sanctuary is completed." "The details of each case are then
logged" — every step is in the referral's history. A referral cannot be closed while works
are ordered and not completed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from haven_contracts.events.sanctuary import SanctuaryReferralClosed, SanctuarySurveyReturned, SanctuarySurveySent
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks
from haven_sanctuary.common import log_step, require_open
from haven_sanctuary.forms import Closing, SurveyResult
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryReferral


async def send(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, principal: Principal | None, at: datetime
) -> None:
    if row.survey_sent_at is not None:
        raise conflict("the survey was already sent")
    row.survey_sent_at = at
    await clocks.stop_clocks(row.ref, {"survey_sent"}, at)
    await clocks.start_clocks(scheme, row.ref, "survey_sent", at)
    await uow.emit(SanctuarySurveySent(org=row.org, referral_ref=row.ref, at=at), ref=row.ref)
    await log_step(row, "survey_sent", principal, at)


async def record(
    ctx: ServiceContext, uow: UnitOfWork, row: SanctuaryReferral, data: SurveyResult, principal: Principal, at: datetime
) -> None:
    require_open(row)
    if row.survey_sent_at is None:
        raise conflict("no survey has been sent: the works are not completed")
    if row.survey_returned_at is not None:
        raise conflict("the survey result was already recorded")
    row.survey_returned_at = at
    row.survey_satisfaction = data.satisfaction
    row.survey_felt_safer = data.felt_safer
    row.survey_comments_enc = (
        ctx.cipher.encrypt(data.comments, ref=row.ref, field="survey.comments") if data.comments else None
    )
    await uow.emit(
        SanctuarySurveyReturned(org=row.org, referral_ref=row.ref, at=at, satisfaction=data.satisfaction), ref=row.ref
    )
    await log_step(row, "survey_returned", principal, at, satisfaction=data.satisfaction)


async def close(uow: UnitOfWork, row: SanctuaryReferral, data: Closing, principal: Principal, at: datetime) -> None:
    require_open(row)
    if row.works_ordered_at is not None and row.works_completed_at is None:
        raise conflict("cannot close a referral with open works: complete the works first")
    if data.outcome == "completed" and row.works_completed_at is None:
        raise conflict("outcome completed needs completed works")
    if data.outcome == "ineligible" and row.eligibility != "ineligible":
        raise conflict("outcome ineligible needs an eligibility decision of ineligible")
    row.closed_at = at
    row.outcome = data.outcome
    await clocks.stop_all(row.ref, at)
    await uow.emit(SanctuaryReferralClosed(org=row.org, referral_ref=row.ref, at=at, outcome=data.outcome), ref=row.ref)
    await log_step(row, "closed", principal, at, outcome=data.outcome)


def status_of(row: SanctuaryReferral | dict) -> str:
    """The referral's current step, as shown to officers and to the referrer."""
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    for column, status in (
        ("closed_at", "closed"),
        ("survey_returned_at", "survey_returned"),
        ("survey_sent_at", "survey_sent"),
        ("works_completed_at", "works_completed"),
        ("works_ordered_at", "works_ordered"),
        ("recommendations_at", "recommendations_received"),
        ("inspection_booked_at", "inspection_booked"),
        ("inspection_requested_at", "inspection_requested"),
    ):
        if get(column) is not None:
            return status
    if get("eligibility") != "pending":
        return get("eligibility")
    return "received"
