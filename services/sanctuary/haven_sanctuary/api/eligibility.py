"""Eligibility endpoints: the criteria with who confirmed them, landlord permission, the decision."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.params import Body

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response
from haven_sanctuary import eligibility, steps
from haven_sanctuary.common import for_officer
from haven_sanctuary.forms import CriterionUpdate, LandlordDecision
from haven_sanctuary.responses import CriterionOut, CriterionRecorded, DecidedReferral, ReferralSummary


class EligibilityController(Controller):
    path = "/referrals/{ref:str}"
    tags = ["eligibility"]
    guards = [requires_roles("sanctuary_officer")]

    @get("/criteria", summary="The eligibility criteria of a referral and who confirmed each")
    async def list_criteria(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[CriterionOut]:
        row, _ = await for_officer(ctx, ref, principal, action="read_criteria")
        async with ctx.store.transaction() as uow:
            await uow.audit(
                principal, "read_criteria", "sanctuary_referral", ref, entity_org=row.org, purpose="eligibility"
            )
        return as_response(await eligibility.criteria(ctx, ref), list[CriterionOut])

    @put("/criteria/{key:str}", summary="Record a criterion as met / not met / pending / not applicable")
    async def set_criterion(
        self, ref: str, key: str, data: Annotated[CriterionUpdate, Body()], ctx: ServiceContext, principal: Principal
    ) -> CriterionRecorded:
        return as_response(await steps.set_criterion(ctx, principal, ref, key, data), CriterionRecorded)

    @post("/landlord-permission", summary="Record the landlord's answer to the request for permission", status_code=200)
    async def landlord_permission(
        self, ref: str, data: Annotated[LandlordDecision, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "landlord-permission", data), ReferralSummary)

    @post("/eligibility/decide", summary="Decide eligibility; each unmet criterion is explained", status_code=200)
    async def decide(self, ref: str, ctx: ServiceContext, principal: Principal) -> DecidedReferral:
        return as_response(await steps.perform(ctx, principal, ref, "decide", steps.NoBody()), DecidedReferral)
