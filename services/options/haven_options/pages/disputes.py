"""Disputes between boroughs under the Joint Working Agreement, as pages for the DV lead, the team
manager and the DV sub-group's members (``000_93a7cd5d2a8b6030.txt``, Monitoring: "In the
unlikely event of boroughs not being able to reach agreement at this forum [the DV sub-group],
the disputed case should be referred to the appropriate member of the homelessness sub group
for each borough concerned").

The list shows each dispute's state in words; a dispute is raised about a case the JWA brought
between two boroughs (picked, not typed), recorded as tabled at a DV sub-group meeting (a date),
and only then escalated; either borough records it resolved. Every form calls the same domain
function as the API (:mod:`haven_options.disputes`) through :mod:`haven_runtime.web.domain`.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_options import disputes
from haven_options.bodies import DisputeIn, DisputeTabledIn
from haven_options.tables import Dispute
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.web.domain import attempt, form_failure, parse, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_date, form_value, page, see_other
from haven_runtime.web.signin import PAGE_ROLES

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
#: Who works disputes on these pages (the API also lets housing options officers raise them); the header links them here
ROLES = tuple(sorted(PAGE_ROLES["disputes"]))
LABELS = {
    "pair": "The case in dispute",
    "other_org": "The case in dispute",
    "case_ref": "The case in dispute",
    "summary": "What the boroughs disagree about",
    "meeting_on": "Date of the DV sub-group meeting",
}
DONE = {
    "raised": "Dispute recorded",
    "tabled": "DV sub-group meeting recorded",
    "escalated": "Dispute referred to the homelessness sub-group",
    "resolved": "Dispute recorded as resolved",
}
NOT_TABLED = (
    "This dispute has not been tabled at a DV sub-group meeting yet. The Joint Working Agreement refers a dispute "
    "to the homelessness sub-group only when the boroughs cannot agree at that forum: record the meeting first."
)


def state(row: Dispute) -> str:
    """A dispute's state in words."""
    if row.status == "resolved":
        return "Resolved"
    if row.status == "escalated":
        return "Referred to the homelessness sub-group"
    if row.tabled_meeting_on is None:
        return "Open: not yet tabled at the DV sub-group"
    return "Open: tabled at the DV sub-group"


def pair_value(other_org: str, case_ref: str) -> str:
    """One picker value for a case between two boroughs (``bromley/CASE-…``)."""
    return f"{other_org}/{case_ref}"


def raise_body(form: dict[str, Any]) -> dict[str, Any]:
    """The raise form as ``DisputeIn``: the picked pair split into the other borough and the case."""
    other_org, _, case_ref = form_value(form, "pair").partition("/")
    body: dict[str, Any] = {"other_org": other_org, "case_ref": case_ref}
    if form_value(form, "summary"):
        body["summary"] = form_value(form, "summary")
    return body


def failure(exc: ApiError) -> tuple[dict[str, str], int]:
    """A refused form's errors naming its field; the pair's two halves are the one picker."""
    return form_failure(exc, {"other_org": "pair", "case_ref": "pair"}, LABELS)


class DisputePages(PageController):
    path = "/pages/jwa/disputes"

    @get("")
    async def listing(self, request: Request, ctx: ServiceContext) -> Template:
        return await self._listing(
            request, ctx, form={}, errors={}, done=DONE.get(request.query_params.get("done", ""))
        )

    async def _listing(
        self,
        request: Request,
        ctx: ServiceContext,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        done: str | None = None,
    ) -> Template:
        principal = require_roles(request, *ROLES)
        rows = [self._view(r, principal) for r in await disputes.involving(principal)]
        names = {o.id: o.name for o in ctx.plugins.organisations()}
        pairs = [
            (pair_value(org, case_ref), f"{case_ref} with {names.get(org, org)}")
            for org, case_ref in await disputes.shared_cases(principal)
        ]
        return page(
            request,
            "options/disputes.html",
            status_code=status_code,
            rows=rows,
            pairs=pairs,
            form=form,
            errors=errors,
            done=done,
        )

    @post("", status_code=303)
    async def raise_dispute(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        principal = require_roles(request, *ROLES)
        try:
            if not form_value(data, "pair"):
                raise ApiError(400, {"detail": "pair: choose the case in dispute"})
            body = parse(DisputeIn, raise_body(data))
            row = await attempt(disputes.raise_dispute(ctx, principal, body.other_org, body.case_ref, body.summary))
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._listing(request, ctx, form=data, errors=errors, status_code=status)
        return see_other(f"/pages/jwa/disputes/{row.ref}?done=raised")

    @get("/{ref:str}")
    async def show(self, request: Request, ctx: ServiceContext, ref: str) -> Template:
        return await self._dispute(
            request, ctx, ref, form={}, errors={}, done=DONE.get(request.query_params.get("done", ""))
        )

    async def _dispute(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        done: str | None = None,
    ) -> Template:
        principal = require_roles(request, *ROLES)
        row = await attempt(disputes.visible(ctx, principal, ref))
        return page(
            request,
            "options/dispute.html",
            status_code=status_code,
            d=self._view(row, principal),
            form=form,
            errors=errors,
            done=done,
        )

    @staticmethod
    def _view(row: Dispute, principal: Principal) -> dict[str, Any]:
        return {
            "ref": row.ref,
            "case_ref": row.case_ref,
            "raised_by_us": row.org == principal.org,
            "other": row.other_org if row.org == principal.org else row.org,
            "raised_at": row.raised_at,
            "state": state(row),
            "status": row.status,
            "tabled_meeting_on": row.tabled_meeting_on,
            "referred_to": len(disputes.referred_to(row)),
        }

    async def _step(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        call,
        done: str,
        form: dict[str, Any] | None = None,
    ) -> Redirect | Template:
        """One step on the dispute, then back to its page saying what was done (or its error, naming the field)."""
        try:
            await attempt(call)
        except ApiError as exc:
            errors, status = failure(exc)
            if status == 409 and done == "escalated":
                row = await attempt(disputes.visible(ctx, require_roles(request, *ROLES), ref))
                if row.tabled_meeting_on is None:
                    errors = {"_": NOT_TABLED}
            return await self._dispute(request, ctx, ref, form=form or {}, errors=errors, status_code=status)
        return see_other(f"/pages/jwa/disputes/{ref}?done={done}")

    @post("/{ref:str}/tabled", status_code=303)
    async def tabled(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        principal = require_roles(request, *ROLES)

        async def step():
            body = parse(DisputeTabledIn, {"meeting_on": form_date(data, "meeting_on")})
            return await disputes.table(ctx, principal, ref, body.meeting_on)

        return await self._step(request, ctx, ref, step(), "tabled", data)

    @post("/{ref:str}/escalate", status_code=303)
    async def escalate(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._step(
            request, ctx, ref, disputes.escalate(ctx, require_roles(request, *ROLES), ref), "escalated"
        )

    @post("/{ref:str}/resolve", status_code=303)
    async def resolve(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._step(
            request, ctx, ref, disputes.resolve(ctx, require_roles(request, *ROLES), ref), "resolved"
        )
