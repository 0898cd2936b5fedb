"""The steps of a referral after the form (seed ``004_d4b796f614d2cfd3.txt`` sections 6, 7, 9, 11),
each with who may take it, the body it takes and what it does — one table the JSON API and the
officers' pages both call through :func:`perform`, so a step has one set of rules whichever way
it is taken.

Each step runs in one transaction through :func:`haven_sanctuary.views.run_step` (load the
referral for the actor, apply, save, audit). ``criteria`` records the whole eligibility
checklist at once (the pages' one form: only the criteria whose status changed are recorded);
the API records one criterion per call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_sanctuary import assessment, eligibility, funding, referrals, survey, works
from haven_sanctuary.common import for_officer, for_police
from haven_sanctuary.forms import (
    Body,
    Closing,
    CriterionUpdate,
    InspectionBooking,
    InspectionRequest,
    LandlordDecision,
    LandlordFunding,
    Recommendations,
    SurveyResult,
    WorksCompletion,
    WorksOrder,
)
from haven_sanctuary.views import Loader, Step, run_step

OFFICER = ("sanctuary_officer",)
POLICE = ("police_cpo", "sanctuary_officer")


class CriteriaUpdate(Body, kw_only=True, forbid_unknown_fields=True):
    """Every criterion of the eligibility checklist at once: ``{criterion key: status}``."""

    statuses: Annotated[
        dict[str, Literal["met", "not_met", "pending", "not_applicable"]], msgspec.Meta(min_length=1, max_length=50)
    ]


class NoBody(Body, kw_only=True, forbid_unknown_fields=True):
    pass


@dataclass(frozen=True)
class StepSpec:
    body: type[Body]
    roles: tuple[str, ...]
    loader: Loader
    action: str
    purpose: str
    apply: Callable[[ServiceContext, Principal, Any], Step]


async def _criteria(ctx: ServiceContext, principal: Principal, data: CriteriaUpdate, uow, row, scheme, now) -> None:
    """Record the criteria whose status changed; an unchanged one keeps who confirmed it and when."""
    current = {c["key"]: c["status"] for c in await eligibility.criteria(ctx, row.ref)}
    for key, status in data.statuses.items():
        if current.get(key) != status:
            await eligibility.set_criterion(ctx, row, key, status, None, principal, now)


async def _decide(ctx, principal, uow, row, scheme, now) -> dict:
    return {"decision": await eligibility.decide(ctx, uow, row, scheme, principal, now)}


STEPS: dict[str, StepSpec] = {
    "criteria": StepSpec(
        CriteriaUpdate,
        OFFICER,
        for_officer,
        "update",
        "eligibility",
        lambda ctx, p, d: lambda uow, row, scheme, now: _criteria(ctx, p, d, uow, row, scheme, now),
    ),
    "landlord-permission": StepSpec(
        LandlordDecision,
        OFFICER,
        for_officer,
        "update",
        "landlord permission",
        lambda ctx, p, d: (
            lambda uow, row, scheme, now: eligibility.landlord_permission(uow, row, d.decision == "given", p, now)
        ),
    ),
    "decide": StepSpec(
        NoBody,
        OFFICER,
        for_officer,
        "decide",
        "eligibility",
        lambda ctx, p, d: lambda uow, row, scheme, now: _decide(ctx, p, uow, row, scheme, now),
    ),
    "inspection-request": StepSpec(
        InspectionRequest,
        OFFICER,
        for_officer,
        "update",
        "inspection request",
        lambda ctx, p, d: lambda uow, row, scheme, now: assessment.request_inspection(uow, row, scheme, p, now),
    ),
    "inspection-booking": StepSpec(
        InspectionBooking,
        POLICE,
        for_police,
        "update",
        "inspection booking",
        lambda ctx, p, d: (
            lambda uow, row, scheme, now: assessment.book_inspection(uow, row, scheme, d.appointment_at, p, now)
        ),
    ),
    "recommendations": StepSpec(
        Recommendations,
        POLICE,
        for_police,
        "update",
        "police recommendations",
        lambda ctx, p, d: (
            lambda uow, row, scheme, now: assessment.record_recommendations(
                ctx, uow, row, scheme, d.measures, d.note, p, now
            )
        ),
    ),
    "works": StepSpec(
        WorksOrder,
        OFFICER,
        for_officer,
        "update",
        "order works",
        lambda ctx, p, d: lambda uow, row, scheme, now: works.order(uow, row, scheme, d, p, now),
    ),
    "works-complete": StepSpec(
        WorksCompletion,
        OFFICER,
        for_officer,
        "update",
        "works completed",
        lambda ctx, p, d: lambda uow, row, scheme, now: works.complete(uow, row, scheme, d.cost_pence, p, now),
    ),
    "funding": StepSpec(
        LandlordFunding,
        OFFICER,
        for_officer,
        "update",
        "funding",
        lambda ctx, p, d: (
            lambda uow, row, scheme, now: funding.landlord_decision(uow, row, scheme, d.decision == "accepts", now, p)
        ),
    ),
    "survey": StepSpec(
        SurveyResult,
        OFFICER,
        for_officer,
        "update",
        "survey",
        lambda ctx, p, d: lambda uow, row, scheme, now: survey.record(ctx, uow, row, d, p, now),
    ),
    "close": StepSpec(
        Closing,
        OFFICER,
        for_officer,
        "close",
        "close referral",
        lambda ctx, p, d: lambda uow, row, scheme, now: survey.close(uow, row, d, p, now),
    ),
}


async def perform(ctx: ServiceContext, principal: Principal, ref: str, name: str, data: Body) -> dict:
    """Take step ``name`` on referral ``ref`` with ``data`` (an instance of the step's body); the referral's summary
    after it."""
    spec = STEPS[name]
    return await run_step(
        ctx, ref, principal, spec.loader, spec.apply(ctx, principal, data), action=spec.action, purpose=spec.purpose
    )


async def set_criterion(ctx: ServiceContext, principal: Principal, ref: str, key: str, data: CriterionUpdate) -> dict:
    """One criterion (the API's call), with the checklist after it."""

    async def step(uow, row, scheme, now):
        await eligibility.set_criterion(ctx, row, key, data.status, data.note, principal, now)

    body = await run_step(ctx, ref, principal, for_officer, step, action="update", purpose="eligibility")
    return body | {"criteria": await eligibility.criteria(ctx, ref)}


async def fetch_details(ctx: ServiceContext, principal: Principal, ref: str) -> dict:
    row, scheme = await for_officer(ctx, ref, principal, action="fetch_details")
    return {"ref": ref} | await referrals.fetch_details(ctx, row, scheme, principal)
