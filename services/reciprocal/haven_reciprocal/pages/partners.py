"""Partners and named leads: the coordinator records who signed the memorandum, and the
coordinator or a partner's own seniors name and end its named leads (seed
``002_c1c7b199d9a53274.txt`` §3: partners are responsible for "Identifying named leads ... and
informing Cambridgeshire Specialist DA Services of any changes in staffing"; §5: signatures).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_reciprocal import partners, referrals
from haven_reciprocal.bodies import NamedLeadIn, PanelInvitationIn, SignIn, StockAreasIn
from haven_reciprocal.pages.common import Form, failure, names, officer, org_names, reciprocal_page
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt, parse, principal_of
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, see_other

DONE = {
    "signed": "Signature recorded",
    "named": "Named lead recorded",
    "ended": "Named lead ended",
    "stock": "Areas where the partner holds homes recorded",
    "invited": "Invitation sent to the coordinator",
}
#: The panels and meetings a partner invites the coordinator to (MoU §3)
PANELS = [
    ("marac", "MARAC"),
    ("mappa", "MAPPA"),
    ("multi_agency_panel", "Multi-agency panel"),
    ("housing_panel", "Housing panel"),
    ("other", "Another meeting"),
]


class PartnerPages(PageController):
    path = "/pages/partners"

    @get("")
    async def roster(self, request: Request, ctx: ServiceContext) -> Template:
        return await self._roster(
            request, ctx, form={}, errors={}, message=DONE.get(request.query_params.get("done", ""))
        )

    async def _roster(
        self,
        request: Request,
        ctx: ServiceContext,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        message: str | None = None,
    ) -> Template:
        me = await officer(ctx, request)
        rows = await partners.roster(ctx, me.scheme.coordinator) if me.scheme else []
        orgs = org_names(ctx)
        for row in rows:
            row["current_leads"] = [lead for lead in row["named_leads"] if lead["end"] is None]
            row["stock"] = names(list(partners.stock_areas_of(ctx, row)), me.areas, "Any area of the reciprocal")
        candidates = [(r["org"], orgs.get(r["org"], r["org"])) for r in rows if r["status"] != "signed"]
        signed = [
            (r["org"], orgs.get(r["org"], r["org"]))
            for r in rows
            if r["status"] == "signed" and (me.coordinator or r["org"] == me.principal.org)
        ]
        invitations = await partners.invitations(ctx, me.principal, me.scheme.coordinator) if me.scheme else []
        invites = me.signed and me.principal.has_any({"named_lead", "team_manager", "dv_lead", "admin"})
        arcs = (
            [(r["arc"], r["arc"]) for r in (await referrals.listing(ctx, me.principal))[0] if r["arc"]]
            if invites
            else []
        )
        return reciprocal_page(
            request,
            "reciprocal/partners.html",
            me,
            status_code=status_code,
            rows=rows,
            candidates=candidates,
            invitations=invitations,
            invites=invites,
            panels=PANELS,
            panel_names=dict(PANELS),
            arcs=arcs,
            lead_orgs=signed if me.manages_leads else [],
            areas=list(me.areas.items()),
            ticked=form_list(form, "areas"),
            form=form,
            errors=errors,
            message=message,
        )

    @post("/sign", status_code=303)
    async def sign(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        try:
            body = parse(
                SignIn,
                {
                    "org": form_value(data, "org"),
                    "signed_on": form_date(data, "signed_on"),
                    "partner_signatory": form_value(data, "partner_signatory"),
                    "coordinator_signatory": form_value(data, "coordinator_signatory"),
                },
            )
            await attempt(
                partners.sign(
                    ctx,
                    principal_of(request),
                    body.org,
                    body.kind,
                    body.area,
                    body.signed_on,
                    body.partner_signatory,
                    body.coordinator_signatory,
                )
            )
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._roster(request, ctx, form=data, errors=errors, status_code=status)
        return see_other("/pages/partners?done=signed")

    @post("/leads", status_code=303)
    async def name_lead(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        me = await officer(ctx, request)
        try:
            if me.scheme is None:
                raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
            raw = {"officer_id": form_value(data, "officer_id"), "name": form_value(data, "name")}
            if form_value(data, "email"):
                raw["email"] = form_value(data, "email")
            body = parse(NamedLeadIn, raw)
            org = form_value(data, "lead_org")
            if not org:
                raise ApiError(400, {"detail": "lead_org: choose the partner"})
            await attempt(
                partners.add_named_lead(
                    ctx, me.principal, me.scheme.coordinator, org, body.officer_id, body.name, body.email, None
                )
            )
        except ApiError as exc:
            errors, status = failure(exc, {"org": "lead_org"})
            return await self._roster(request, ctx, form=data, errors=errors, status_code=status)
        return see_other("/pages/partners?done=named")

    @post("/stock-areas", status_code=303)
    async def stock_areas(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        """Seed 002_c1c7b199d9a53274.txt §1: a registered provider, or an authority with homes outside its
        district, offers properties in each area where it holds stock."""
        me = await officer(ctx, request)
        try:
            if me.scheme is None:
                raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
            body = parse(StockAreasIn, {"areas": form_list(data, "areas")})
            org = form_value(data, "stock_org")
            if not org:
                raise ApiError(400, {"detail": "stock_org: choose the partner"})
            await attempt(partners.record_stock_areas(ctx, me.principal, me.scheme.coordinator, org, list(body.areas)))
        except ApiError as exc:
            errors, status = failure(exc, {"org": "stock_org"})
            return await self._roster(request, ctx, form=data, errors=errors, status_code=status)
        return see_other("/pages/partners?done=stock")

    @post("/panel-invitations", status_code=303)
    async def invite(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        """Seed 002_c1c7b199d9a53274.txt §3: partners invite the coordinator "to multi-agency panels/meetings as
        relevant"."""
        me = await officer(ctx, request)
        try:
            if me.scheme is None:
                raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
            raw = {"panel": form_value(data, "panel"), "meeting_on": form_date(data, "meeting_on")}
            if form_value(data, "arc"):
                raw["arc"] = form_value(data, "arc")
            body = parse(PanelInvitationIn, raw)
            await attempt(
                partners.invite_to_panel(
                    ctx, me.principal, me.scheme.coordinator, me.principal.org, body.panel, body.meeting_on, body.arc
                )
            )
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._roster(request, ctx, form=data, errors=errors, status_code=status)
        return see_other("/pages/partners?done=invited")

    @post("/{org:str}/leads/{officer_id:str}/end", status_code=303)
    async def end_lead(self, request: Request, ctx: ServiceContext, org: str, officer_id: str) -> Redirect:
        me = await officer(ctx, request)
        if me.scheme is None:
            raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
        await attempt(partners.end_named_lead(ctx, me.principal, me.scheme.coordinator, org, officer_id))
        return see_other("/pages/partners?done=ended")
