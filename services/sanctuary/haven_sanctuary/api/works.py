"""Works, funding and survey endpoints."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.params import Body

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response
from haven_sanctuary import steps
from haven_sanctuary.forms import LandlordFunding, SurveyResult, WorksCompletion, WorksOrder
from haven_sanctuary.responses import ReferralSummary


class WorksController(Controller):
    path = "/referrals/{ref:str}"
    tags = ["works"]
    guards = [requires_roles("sanctuary_officer")]

    @post("/works", summary="Order the works (409 before the police recommendations or eligibility)", status_code=200)
    async def order(
        self, ref: str, data: Annotated[WorksOrder, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "works", data), ReferralSummary)

    @post("/works/complete", summary="Record completion of the works; issues the survey", status_code=200)
    async def complete(
        self, ref: str, data: Annotated[WorksCompletion, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "works-complete", data), ReferralSummary)

    @post("/funding/landlord", summary="The housing association accepts or declines to fund the works", status_code=200)
    async def landlord_funding(
        self, ref: str, data: Annotated[LandlordFunding, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "funding", data), ReferralSummary)

    @post("/survey", summary="Record the customer-satisfaction survey result", status_code=200)
    async def survey_result(
        self, ref: str, data: Annotated[SurveyResult, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "survey", data), ReferralSummary)
