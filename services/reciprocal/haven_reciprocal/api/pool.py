"""The property pool, the matcher and proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import Body

from haven_reciprocal import offers
from haven_reciprocal.bodies import PropertyIn
from haven_reciprocal.referrals import loads
from haven_reciprocal.responses import MatchingRun, PropertyOut, ProposalOut
from haven_reciprocal.tables import PoolProperty, Proposal
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal


def _prop(r: PoolProperty | dict) -> PropertyOut:
    get: Callable[[str], Any] = r.get if isinstance(r, dict) else lambda k: getattr(r, k)
    return PropertyOut(
        property_ref=get("ref"),
        scheme=get("scheme"),
        partner=get("partner"),
        area=get("area"),
        bedrooms=get("bedrooms"),
        accessibility=loads(get("accessibility")),
        available_from=get("available_from"),
        status=get("status"),
    )


def _proposal(p: Proposal | dict) -> ProposalOut:
    get: Callable[[str], Any] = p.get if isinstance(p, dict) else lambda k: getattr(p, k)
    return ProposalOut(
        proposal_ref=get("ref"),
        arc=get("arc"),
        property_ref=get("property_ref"),
        status=get("status"),
        proposed_at=get("proposed_at"),
    )


class PropertiesController(Controller):
    path = "/properties"
    tags = ["pool"]

    @post("", summary="Offer a property into the pool (partner named lead)", status_code=201)
    async def offer(
        self, data: Annotated[PropertyIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> PropertyOut:
        return _prop(await offers.offer_property(ctx, principal, data))

    @get("", summary="Properties in the pool (the coordinator sees all, a partner its own)")
    async def list_properties(
        self, ctx: ServiceContext, principal: Principal, status: str | None = None
    ) -> list[PropertyOut]:
        return [_prop(r) for r in await offers.properties_for(ctx, principal, status)]

    @post("/{ref:str}/withdraw", summary="Withdraw an available property", status_code=200)
    async def withdraw(self, ref: str, ctx: ServiceContext, principal: Principal) -> PropertyOut:
        return _prop(await offers.withdraw_property(ctx, principal, ref))


class MatchingController(Controller):
    path = "/matching"
    tags = ["pool"]

    @post("/run", summary="Propose households for available properties (coordinator)", status_code=200)
    async def run(self, ctx: ServiceContext, principal: Principal) -> MatchingRun:
        created, bound = await offers.propose(ctx, principal)
        return MatchingRun(proposals=[_proposal(p) for p in created], maximum_possible=bound)

    @get("/proposals", summary="Proposals (coordinator)")
    async def proposals(
        self, ctx: ServiceContext, principal: Principal, status: str | None = None
    ) -> list[ProposalOut]:
        return [_proposal(p) for p in await offers.proposals_for(ctx, principal, status)]

    @post(
        "/proposals/{ref:str}/confirm",
        summary="Confirm a proposal; asks the receiving partner to sign off",
        status_code=200,
    )
    async def confirm(self, ref: str, ctx: ServiceContext, principal: Principal) -> ProposalOut:
        return _proposal(await offers.confirm(ctx, principal, ref))

    @post("/proposals/{ref:str}/reject", summary="Reject a proposal; the property returns to the pool", status_code=200)
    async def reject(self, ref: str, ctx: ServiceContext, principal: Principal) -> ProposalOut:
        return _proposal(await offers.reject(ctx, principal, ref))
