"""The duty an organisation accepted to the client: what the JWA's advance contact follows."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_options import cases, casework
from haven_options.bodies import DutyAcceptedIn
from haven_options.responses import DutyOut
from haven_options.tables import Case
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles


def _duty(case: Case) -> DutyOut:
    return DutyOut(
        ref=case.ref,
        duty_accepted=bool(case.duty_accepted),
        accepted_at=case.duty_accepted_at,
        accepted_by=case.duty_accepted_by,
    )


class DutyController(Controller):
    """``000_93a7cd5d2a8b6030.txt``: "Where borough A has accepted a duty to a client ..." — recorded here."""

    path = "/cases/{ref:str}/duty-accepted"
    tags = ["cases"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post(
        "", summary="Record that a duty to the client was accepted after the case was opened (audited)", status_code=200
    )
    async def accept(
        self, ref: str, data: Annotated[DutyAcceptedIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> DutyOut:
        return _duty(await casework.accept_duty(ctx, principal, ref, data.accepted_at))

    @get("", summary="Whether and when a duty to the client was accepted")
    async def show(self, ref: str, ctx: ServiceContext, principal: Principal) -> DutyOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="duty accepted")
        return _duty(case)


__all__ = ["DutyController"]
