"""Referrals: create, follow by ARC, sign off, accept, care and outcomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import Body

from haven_reciprocal import arc, care, moves, offers, referrals, signoff, tracking
from haven_reciprocal.bodies import (
    DutyIn,
    MoveIn,
    OfferAnswerIn,
    PreviousTenancyIn,
    ReferralIn,
    SignOffIn,
    SupportIn,
)
from haven_reciprocal.partners import require_coordinator
from haven_reciprocal.responses import (
    DutyOut,
    MoveOut,
    PreviousTenancyOut,
    ReferralBrief,
    ReferralStatus,
    SignOffDecided,
    SignOffRequested,
    StuckReferral,
    SupportOut,
)
from haven_reciprocal.tables import Referral
from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.openapi import as_response


def _brief(r: Referral | dict, coordinator: bool = True) -> ReferralBrief:
    get: Callable[[str], Any] = r.get if isinstance(r, dict) else lambda k: getattr(r, k)
    ref = get("ref") if coordinator or not get("arc") else None
    return ReferralBrief(
        referral_ref=ref,
        arc=get("arc"),
        status=get("status"),
        stage_since=get("stage_since"),
        referring_partner=get("referring_partner"),
        receiving_partner=get("receiving_partner"),
        property_ref=get("property_ref"),
    )


class ReferralsController(Controller):
    path = "/referrals"
    tags = ["referrals"]

    @post("", summary="Refer a household (coordinator)", status_code=201)
    async def create(
        self, data: Annotated[ReferralIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralBrief:
        return _brief(await referrals.create(ctx, principal, data))

    @get("", summary="Referrals I may follow")
    async def list_referrals(
        self, ctx: ServiceContext, principal: Principal, status: str | None = None
    ) -> list[ReferralBrief]:
        rows, coordinator = await referrals.listing(ctx, principal, status)
        return [_brief(r, coordinator) for r in rows]

    @get("/stuck", summary="Referrals past the scheme's level for their stage (coordinator)")
    async def stuck(self, ctx: ServiceContext, principal: Principal) -> list[StuckReferral]:
        scheme = require_coordinator(ctx, principal)
        return as_response(await tracking.stuck(ctx, scheme.coordinator), list[StuckReferral])

    @get("/{ref:str}", summary="Status of a referral, by ARC (stages, clocks, tasks; no personal data)")
    async def status(self, ref: str, ctx: ServiceContext, principal: Principal) -> ReferralStatus:
        return as_response(await tracking.follow(ctx, principal, ref), ReferralStatus)

    @get("/{ref:str}/identity", summary="Reveal the household behind an ARC (audited)")
    async def identity(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> arc.Identity:
        return await arc.reveal_for(ctx, principal, ref, purpose)

    @post("/{ref:str}/signoff-request", summary="Ask the referring partner's named leads to sign off", status_code=201)
    async def request_signoff(self, ref: str, ctx: ServiceContext, principal: Principal) -> SignOffRequested:
        row = await signoff.request_referring(ctx, principal, ref)
        return SignOffRequested(
            signoff_ref=row.ref, partner=row.partner, stage=row.stage, requested_at=row.requested_at
        )

    @post("/{ref:str}/signoff", summary="A named lead signs off (or declines)", status_code=200)
    async def sign_off(
        self, ref: str, data: Annotated[SignOffIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> SignOffDecided:
        row = await signoff.decide(ctx, principal, ref, data.decision, data.agrees_to_owe)
        return SignOffDecided(signoff_ref=row.ref, stage=row.stage, decision=row.decision, decided_at=row.decided_at)

    @post("/{ref:str}/accept", summary="Accept a signed-off referral and issue its ARC", status_code=200)
    async def accept(self, ref: str, ctx: ServiceContext, principal: Principal) -> ReferralBrief:
        return _brief(await signoff.accept(ctx, principal, ref))

    @post("/{ref:str}/decline", summary="Decline a referral", status_code=200)
    async def decline(self, ref: str, ctx: ServiceContext, principal: Principal) -> ReferralBrief:
        return _brief(await signoff.decline(ctx, principal, ref))

    @post("/{ref:str}/withdraw", summary="Withdraw a referral", status_code=200)
    async def withdraw(self, ref: str, ctx: ServiceContext, principal: Principal) -> ReferralBrief:
        return _brief(await referrals.withdraw(ctx, principal, ref))

    @post("/{ref:str}/offer", summary="The household's answer to the offer (refusal reason recorded)", status_code=200)
    async def answer(
        self, ref: str, data: Annotated[OfferAnswerIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralBrief:
        return _brief(await offers.answer(ctx, principal, ref, data.accepted, data.reason, data.note))

    @post("/{ref:str}/move", summary="The receiving partner grants the tenancy", status_code=200)
    async def move(
        self, ref: str, data: Annotated[MoveIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> MoveOut:
        return as_response(await moves.complete(ctx, principal, ref, data.tenancy_start), MoveOut)

    @post(
        "/{ref:str}/previous-tenancy-ended",
        summary="The referring partner confirms the previous tenancy is ended",
        status_code=200,
    )
    async def previous_tenancy(
        self, ref: str, data: Annotated[PreviousTenancyIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> PreviousTenancyOut:
        costs = {k: getattr(data.costs_pence, k) for k in data.costs_pence.__struct_fields__}
        row = await moves.previous_tenancy_ended(ctx, principal, ref, data.ended_on, costs)
        return PreviousTenancyOut(
            arc=row.arc, ended_on=row.previous_tenancy_ended_on, costs_pence=row.previous_tenancy_costs_pence
        )

    @post("/{ref:str}/duty-of-care", summary="The referring local authority records its duty of care", status_code=201)
    async def duty(
        self, ref: str, data: Annotated[DutyIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> DutyOut:
        return as_response(
            await care.record_duty(ctx, principal, ref, data.accommodation, data.from_date, data.to_date), DutyOut
        )

    @post(
        "/{ref:str}/support",
        summary="IDVA/outreach support, or a link to a local service in the new area",
        status_code=201,
    )
    async def support(
        self, ref: str, data: Annotated[SupportIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> SupportOut:
        row = await care.record_support(ctx, principal, ref, data.kind, data.started_on, data.ended_on, data.reference)
        return as_response(row, SupportOut)
