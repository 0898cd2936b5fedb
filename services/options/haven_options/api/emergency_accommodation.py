"""Emergency temporary accommodation tasks: listed, arranged, and ended by a return-is-safe decision."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_options import emergency_accommodation as ea
from haven_options.bodies import ArrangedIn, ReturnSafeIn
from haven_options.responses import EmergencyAccommodationOut
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles


class EmergencyAccommodationController(Controller):
    path = "/emergency-accommodation"
    tags = ["options"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @get(
        "",
        summary="Emergency accommodation my organisation's sanctuary scheme asked for (open ones unless include_ended)",
    )
    async def list_tasks(
        self, ctx: ServiceContext, principal: Principal, include_ended: bool = False
    ) -> list[EmergencyAccommodationOut]:
        return [EmergencyAccommodationOut(**t) for t in await ea.tasks(ctx, principal, include_ended)]

    @get("/{ref:str}", summary="One emergency accommodation task")
    async def show(self, ref: str, ctx: ServiceContext, principal: Principal) -> EmergencyAccommodationOut:
        return EmergencyAccommodationOut(**await ea.read(ctx, principal, ref))

    @post("/{ref:str}/arranged", summary="Record the accommodation arranged (stops its clock)", status_code=200)
    async def arranged(
        self, ref: str, data: Annotated[ArrangedIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> EmergencyAccommodationOut:
        return EmergencyAccommodationOut(**await ea.arranged(ctx, principal, ref, data.arranged_at))

    @post(
        "/{ref:str}/return-safe",
        summary="Record the decision that it is safe to return home (ends the task)",
        status_code=200,
    )
    async def return_safe(
        self, ref: str, data: Annotated[ReturnSafeIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> EmergencyAccommodationOut:
        return EmergencyAccommodationOut(**await ea.return_safe(ctx, principal, ref, data.decided_at, data.reason))
