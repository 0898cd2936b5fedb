"""Works, funding and survey endpoints."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.params import Body

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_sanctuary import funding, survey, works
from haven_sanctuary.api.views import run_step
from haven_sanctuary.common import for_officer
from haven_sanctuary.forms import LandlordFunding, SurveyResult, WorksCompletion, WorksOrder


class WorksController(Controller):
    path = "/referrals/{ref:str}"
    tags = ["works"]
    guards = [requires_roles("sanctuary_officer")]

    @post("/works", summary="Order the works (409 before the police recommendations or eligibility)", status_code=200)
    async def order(self, ref: str, data: Annotated[WorksOrder, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        async def step(uow, row, scheme, now):
            await works.order(uow, row, scheme, data, principal, now)

        return await run_step(ctx, ref, principal, for_officer, step, action="update", purpose="order works")

    @post("/works/complete", summary="Record completion of the works; issues the survey", status_code=200)
    async def complete(self, ref: str, data: Annotated[WorksCompletion, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        async def step(uow, row, scheme, now):
            await works.complete(uow, row, scheme, data.cost_pence, principal, now)

        return await run_step(ctx, ref, principal, for_officer, step, action="update", purpose="works completed")

    @post("/funding/landlord", summary="The housing association accepts or declines to fund the works", status_code=200)
    async def landlord_funding(self, ref: str, data: Annotated[LandlordFunding, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        async def step(uow, row, scheme, now):
            await funding.landlord_decision(uow, row, scheme, data.decision == "accepts", now, principal)

        return await run_step(ctx, ref, principal, for_officer, step, action="update", purpose="funding")

    @post("/survey", summary="Record the customer-satisfaction survey result", status_code=200)
    async def survey_result(self, ref: str, data: Annotated[SurveyResult, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        async def step(uow, row, scheme, now):
            await survey.record(ctx, uow, row, data, principal, now)

        return await run_step(ctx, ref, principal, for_officer, step, action="update", purpose="survey")
