"""Referral endpoints: submit the form, list open referrals with time remaining, read
(audited, with a purpose), the referrer's status view, history, details from options, close."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body, QueryParameter

from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response
from haven_sanctuary import steps, views
from haven_sanctuary.common import REFERRER_ROLES, history, referral, refused
from haven_sanctuary.forms import Closing, ReferralForm
from haven_sanctuary.responses import (
    DetailsFetch,
    HistoryEntry,
    ReferralDetail,
    ReferralSummary,
    ReferrerView,
    SubmittedReferral,
)
from haven_sanctuary.views import referrer_view


class ReferralController(Controller):
    path = "/referrals"
    tags = ["referrals"]

    @post(
        "",
        summary="Submit the referral form (Appendix A) to a scheme",
        status_code=201,
        guards=[requires_roles(*REFERRER_ROLES)],
    )
    async def submit(
        self, data: Annotated[ReferralForm, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary | SubmittedReferral:
        created = await views.submit(ctx, principal, data)
        # the scheme's own officers get the summary (which names the scheme ``org``), anyone else the referrer's view
        if "org" in created:
            return as_response(created, ReferralSummary)
        return as_response(created, SubmittedReferral)

    @get(
        "",
        summary="Referrals of my scheme, with the time remaining on each clock",
        guards=[requires_roles("sanctuary_officer", "auditor")],
    )
    async def list_referrals(
        self,
        ctx: ServiceContext,
        principal: Principal,
        which: Annotated[str, QueryParameter(name="state", pattern="^(open|closed|all)$")] = "open",
    ) -> list[ReferralSummary]:
        return as_response(await views.listing(ctx, principal, which), list[ReferralSummary])

    @get(
        "/submitted",
        summary="Referrals my organisation submitted: status only",
        guards=[requires_roles(*REFERRER_ROLES)],
    )
    async def submitted(self, ctx: ServiceContext, principal: Principal) -> list[ReferrerView]:
        return as_response(await views.submitted(ctx, principal), list[ReferrerView])

    @get("/{ref:str}", summary="Read a referral with its form (audited; purpose required)")
    async def read(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> ReferralDetail:
        return as_response(await views.detail(ctx, principal, ref, purpose), ReferralDetail)

    @get("/{ref:str}/status", summary="Status of a referral: for the scheme or the referring organisation")
    async def status(self, ref: str, ctx: ServiceContext, principal: Principal) -> ReferrerView:
        row = await referral(ref)
        if row is None or principal.org not in (row.org, row.referrer_org):
            await refused(ctx, principal, ref, row, action="read_status", reason="neither the scheme nor the referrer")
        async with ctx.store.transaction() as uow:
            await uow.audit(
                principal, "read_status", "sanctuary_referral", ref, entity_org=row.org, purpose="referral status"
            )
        return as_response(referrer_view(row), ReferrerView)

    @get(
        "/{ref:str}/history",
        summary="The case log of a referral",
        guards=[requires_roles("sanctuary_officer", "auditor")],
    )
    async def history(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[HistoryEntry]:
        row = await referral(ref)
        if row is None or row.org != principal.org:
            await refused(ctx, principal, ref, row, action="read_history", reason="another organisation's referral")
        async with ctx.store.transaction() as uow:
            await uow.audit(
                principal, "read_history", "sanctuary_referral", ref, entity_org=row.org, purpose="case log"
            )
        return as_response(await history(ref), list[HistoryEntry])

    @post(
        "/{ref:str}/details/fetch",
        summary="Fetch the form's personal details from the referring options case",
        status_code=200,
        guards=[requires_roles("sanctuary_officer")],
    )
    async def fetch_details(self, ref: str, ctx: ServiceContext, principal: Principal) -> DetailsFetch:
        return as_response(await steps.fetch_details(ctx, principal, ref), DetailsFetch)

    @post(
        "/{ref:str}/close",
        summary="Close a referral (409 while works are open)",
        status_code=200,
        guards=[requires_roles("sanctuary_officer")],
    )
    async def close(
        self, ref: str, data: Annotated[Closing, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "close", data), ReferralSummary)
