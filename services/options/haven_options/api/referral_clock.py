"""Stopping referral clocks: the officer records a chosen option's referral, or a referral it opened, completed."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_options import cases, referral_clocks, referrals
from haven_options.bodies import CompletedIn, ReferralCompletedIn
from haven_options.responses import OptionReferralCompleted, ReferralOut
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles


class ReferralClockController(Controller):
    path = "/cases/{ref:str}/options/{option_id:str}/referral-completed"
    tags = ["options"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post("", summary="Record a chosen option's referral completed (stops its referral clock)", status_code=200)
    async def complete(
        self,
        ref: str,
        option_id: str,
        data: Annotated[ReferralCompletedIn, Body()],
        ctx: ServiceContext,
        principal: Principal,
    ) -> OptionReferralCompleted:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="option referral completed", action="update")
            row = await referral_clocks.complete(uow, principal, case, option_id, data.completed_at)
        return OptionReferralCompleted(
            option_id=row.option_id,
            referral_due_at=row.referral_due_at,
            referral_completed_at=row.referral_completed_at,
            on_time=row.referral_completed_at <= row.referral_due_at,
        )


class CaseReferralsController(Controller):
    path = "/cases/{ref:str}/referrals"
    tags = ["options"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @get("", summary="The referrals the case's chosen options opened, with their clocks")
    async def list_referrals(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[ReferralOut]:
        return [ReferralOut(**r) for r in await referrals.for_case(ctx, principal, ref)]

    @post("/{referral_ref:str}/completed", summary="Record a referral completed (stops its clock)", status_code=200)
    async def complete(
        self,
        ref: str,
        referral_ref: str,
        data: Annotated[CompletedIn, Body()],
        ctx: ServiceContext,
        principal: Principal,
    ) -> ReferralOut:
        return ReferralOut(**await referrals.complete_for(ctx, principal, ref, referral_ref, data.completed_at))
