"""Referrals partners' options services sent the coordinator: listed, and taken up with the household's consented
details."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_reciprocal import incoming
from haven_reciprocal.bodies import TakeUpIn
from haven_reciprocal.responses import IncomingReferralOut, TakenUpOut
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.openapi import as_response


class IncomingReferralsController(Controller):
    path = "/incoming-referrals"
    tags = ["referrals"]

    @get("", summary="Referrals partners' options services sent my scheme, waiting to be taken up (coordinator)")
    async def list_waiting(self, ctx: ServiceContext, principal: Principal) -> list[IncomingReferralOut]:
        return [as_response(incoming.view(r), IncomingReferralOut) for r in await incoming.waiting(principal)]

    @post(
        "/{ref:str}/take-up",
        summary="Take up a partner's referral: its household details are fetched with consent",
        status_code=201,
    )
    async def take_up(
        self, ref: str, data: Annotated[TakeUpIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> TakenUpOut:
        return as_response(await incoming.take_up(ctx, principal, ref, data), TakenUpOut)
