"""The manager's decision on rent arrears following a transfer (AG/013 principle 8)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_options import arrears, cases
from haven_options.bodies import ArrearsDecisionIn
from haven_options.responses import ArrearsDecisionOut, ArrearsUndecided
from haven_options.tables import ArrearsDecision
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response


def _decision(row: ArrearsDecision) -> ArrearsDecisionOut:
    return as_response(row, ArrearsDecisionOut)


class ArrearsController(Controller):
    path = "/cases/{ref:str}/arrears-decision"
    tags = ["options"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post(
        "",
        summary="The relevant manager decides whether the rent arrears are apportioned, following a transfer",
        status_code=201,
    )
    async def decide(
        self, ref: str, data: Annotated[ArrearsDecisionIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ArrearsDecisionOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="rent arrears decision", action="update")
            row = await arrears.decide(uow, principal, case, data.decision)
        return _decision(row)

    @get("", summary="The decision on the rent arrears, if one is recorded")
    async def show(self, ref: str, ctx: ServiceContext, principal: Principal) -> ArrearsDecisionOut | ArrearsUndecided:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="rent arrears decision")
        row = await arrears.find(ref)
        if row is not None:
            return _decision(row)
        return ArrearsUndecided(
            case_ref=ref,
            decision=None,
            rent_arrears=bool(case.rent_arrears),
            transfer_chosen=await arrears.chosen_transfer(ref) is not None,
        )
