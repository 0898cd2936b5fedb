"""Schemes, partners and named leads."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_reciprocal import partners
from haven_reciprocal.bodies import NamedLeadIn, PanelInvitationIn, SignIn
from haven_reciprocal.responses import (
    AbuseCategoryOut,
    NamedLeadEnded,
    NamedLeadOut,
    PanelInvitationOut,
    PanelInvitationRow,
    PartnerOut,
    SchemeOut,
    SignedOut,
)
from haven_runtime.context import ServiceContext
from haven_runtime.errors import forbidden
from haven_runtime.identity import Principal
from haven_runtime.openapi import as_response


class PartnersController(Controller):
    path = "/schemes"
    tags = ["partners"]

    @get("", summary="Housing reciprocals this deployment runs")
    async def list_schemes(self, ctx: ServiceContext, principal: Principal) -> list[SchemeOut]:
        return [
            SchemeOut(
                coordinator=s.coordinator,
                name=s.name,
                areas=[a.id for a in s.areas],
                supporting_partners=[p.name for p in s.supporting_partners],
                abuse_categories=[AbuseCategoryOut(code=c.code, label=c.label) for c in s.abuse_categories],
                escalation_to=s.escalation_to,
            )
            for s in partners.schemes(ctx).values()
        ]

    @get("/{scheme:str}/partners", summary="Partners of a scheme: candidates and signatories")
    async def list_partners(self, scheme: str, ctx: ServiceContext, principal: Principal) -> list[PartnerOut]:
        return as_response(await partners.roster(ctx, scheme), list[PartnerOut])

    @post("/{scheme:str}/partners", summary="Record that an organisation signed the memorandum", status_code=201)
    async def sign(
        self, scheme: str, data: Annotated[SignIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> SignedOut:
        if principal.org != scheme:
            raise forbidden()
        row = await partners.sign(
            ctx,
            principal,
            data.org,
            data.kind,
            data.area,
            data.signed_on,
            data.partner_signatory,
            data.coordinator_signatory,
        )
        return as_response(row, SignedOut)

    @post(
        "/{scheme:str}/partners/{org:str}/named-leads",
        summary="Name a lead (or replace one: a change of staffing)",
        status_code=201,
    )
    async def add_lead(
        self, scheme: str, org: str, data: Annotated[NamedLeadIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> NamedLeadOut:
        partners.scheme_of(ctx, scheme)
        row = await partners.add_named_lead(
            ctx, principal, scheme, org, data.officer_id, data.name, data.email, data.replaces
        )
        return as_response(row, NamedLeadOut)

    @post(
        "/{scheme:str}/partners/{org:str}/named-leads/{officer_id:str}/end",
        summary="A named lead leaves",
        status_code=200,
    )
    async def end_lead(
        self, scheme: str, org: str, officer_id: str, ctx: ServiceContext, principal: Principal
    ) -> NamedLeadEnded:
        partners.scheme_of(ctx, scheme)
        await partners.end_named_lead(ctx, principal, scheme, org, officer_id)
        return NamedLeadEnded(org=org, officer_id=officer_id, status="ended")

    @post(
        "/{scheme:str}/partners/{org:str}/panel-invitations",
        summary="Invite the coordinator to a multi-agency panel",
        status_code=201,
    )
    async def invite(
        self,
        scheme: str,
        org: str,
        data: Annotated[PanelInvitationIn, Body()],
        ctx: ServiceContext,
        principal: Principal,
    ) -> PanelInvitationOut:
        partners.scheme_of(ctx, scheme)
        row = await partners.invite_to_panel(ctx, principal, scheme, org, data.panel, data.meeting_on, data.arc)
        return as_response(row, PanelInvitationOut)

    @get("/{scheme:str}/panel-invitations", summary="Panel invitations (the coordinator sees all, a partner its own)")
    async def invitations(self, scheme: str, ctx: ServiceContext, principal: Principal) -> list[PanelInvitationRow]:
        return as_response(await partners.invitations(ctx, principal, scheme), list[PanelInvitationRow])
