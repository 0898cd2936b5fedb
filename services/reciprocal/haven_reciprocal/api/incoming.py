"""Referrals partners' options services sent the coordinator: listed, and taken up with the household's consented details."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import Body

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_reciprocal import incoming, referrals
from haven_reciprocal.api.bodies import HouseholdIn, ReferralIn, TakeUpIn
from haven_reciprocal.partners import partner, require_coordinator


class IncomingReferralsController(Controller):
    path = "/incoming-referrals"
    tags = ["referrals"]

    @get("", summary="Referrals partners' options services sent my scheme, waiting to be taken up (coordinator)")
    async def list_waiting(self, ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
        return [incoming.view(r) for r in await incoming.waiting(principal)]

    @post("/{ref:str}/take-up", summary="Take up a partner's referral: its household details are fetched with consent", status_code=201)
    async def take_up(self, ref: str, data: Annotated[TakeUpIn, Body()], ctx: ServiceContext, principal: Principal) -> dict[str, Any]:
        require_coordinator(ctx, principal)
        row = await incoming.load(principal, ref)
        person = await incoming.fetch_household(ctx, principal, row)
        member = await partner(row.scheme, row.referring_partner)
        body = ReferralIn(
            referring_partner=row.referring_partner, remit_explained_on=data.remit_explained_on, abuse_category=data.abuse_category,
            tenancy=data.tenancy, current_area=(member.area if member and member.area else row.referring_partner), bedrooms=row.bedrooms,
            household=HouseholdIn(lead_name=person.name, contact=person.phone, current_address=person.address),
            referring_partner_agrees_to_owe=data.referring_partner_agrees_to_owe, accessibility=list(data.accessibility),
            unsafe_areas=incoming.view(row)["unsafe_areas"], preferred_areas=list(data.preferred_areas),
        )
        created = await referrals.create(ctx, principal, body)
        await incoming.mark_taken_up(ctx, row, created.ref)
        return {"ref": row.ref, "status": "taken_up", "referral_ref": created.ref}
