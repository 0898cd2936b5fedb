"""Conflicts between partners: raise, record the work, escalate, resolve (seed
``002_c1c7b199d9a53274.txt`` §4: "the named leads will work together to take a pro-active approach
to resolve conflicts but where a resolution cannot be reached, the conflict will be escalated to
the Chief Executives/Directors at the earliest instance").
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_reciprocal import conflicts, referrals
from haven_reciprocal.bodies import ConflictIn, NoteIn
from haven_reciprocal.pages.common import Form, failure, officer, org_names, reciprocal_page
from haven_reciprocal.partners import roster
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt, parse, principal_of
from haven_runtime.web.pages import ApiError, PageController, form_list, form_value, see_other

DONE = {
    "raised": "Conflict raised",
    "noted": "Note recorded",
    "escalated": "Conflict escalated",
    "resolved": "Conflict recorded as resolved",
}


class ConflictPages(PageController):
    path = "/pages/conflicts"

    @get("")
    async def listing(self, request: Request, ctx: ServiceContext) -> Template:
        return await self._listing(request, ctx, form={}, errors={})

    async def _listing(
        self,
        request: Request,
        ctx: ServiceContext,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        me = await officer(ctx, request)
        rows = [conflicts.view(r) for r in await conflicts.listing(me.principal)]
        parties: list[tuple[str, str]] = []
        arcs: list[tuple[str, str]] = []
        if me.scheme is not None and (me.coordinator or me.named_lead):
            names = org_names(ctx)
            parties = [
                (p["org"], names.get(p["org"], p["org"]))
                for p in await roster(ctx, me.scheme.coordinator)
                if p["status"] == "signed" and p["org"] != me.principal.org
            ]
            followed, _ = await referrals.listing(ctx, me.principal)
            arcs = [(r["arc"], r["arc"]) for r in followed if r["arc"]]
        return reciprocal_page(
            request,
            "reciprocal/conflicts.html",
            me,
            status_code=status_code,
            rows=rows,
            parties=parties,
            arcs=arcs,
            form=form,
            errors=errors,
            ticked=form_list(form, "partners"),
        )

    @post("", status_code=303)
    async def raise_conflict(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        me = await officer(ctx, request)
        try:
            if me.scheme is None:
                raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
            raw: dict[str, Any] = {"scheme": me.scheme.coordinator, "partners": form_list(data, "partners")}
            for key in ("arc", "summary"):
                if form_value(data, key):
                    raw[key] = form_value(data, key)
            body = parse(ConflictIn, raw)
            row = await attempt(
                conflicts.raise_conflict(ctx, me.principal, body.scheme, body.partners, body.arc, body.summary)
            )
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._listing(request, ctx, form=data, errors=errors, status_code=status)
        return see_other(f"/pages/conflicts/{row.ref}?done=raised")

    @get("/{ref:str}")
    async def one(self, request: Request, ctx: ServiceContext, ref: str) -> Template:
        return await self._one(
            request, ctx, ref, form={}, errors={}, message=DONE.get(request.query_params.get("done", ""))
        )

    async def _one(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        message: str | None = None,
    ) -> Template:
        me = await officer(ctx, request)
        row = await attempt(conflicts.load(me.principal, ref))
        notes = await attempt(conflicts.notes(ctx, me.principal, ref))
        summary = conflicts.summary_of(ctx, row)
        return reciprocal_page(
            request,
            "reciprocal/conflict.html",
            me,
            status_code=status_code,
            c=conflicts.view(row),
            summary=summary,
            notes=notes,
            form=form,
            errors=errors,
            message=message,
        )

    @post("/{ref:str}/notes", status_code=303)
    async def note(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        try:
            body = parse(NoteIn, {"note": form_value(data, "note")})
            await attempt(conflicts.add_note(ctx, principal_of(request), ref, body.note))
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._one(request, ctx, ref, form=data, errors=errors, status_code=status)
        return see_other(f"/pages/conflicts/{ref}?done=noted")

    @post("/{ref:str}/{step:str}", status_code=303)
    async def step(self, request: Request, ctx: ServiceContext, ref: str, step: str) -> Redirect | Template:
        call = {"escalate": conflicts.escalate, "resolve": conflicts.resolve}.get(step)
        if call is None:
            raise ApiError(404, {"detail": "no such step"})
        try:
            await attempt(call(ctx, principal_of(request), ref))
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._one(request, ctx, ref, form={}, errors=errors, status_code=status)
        return see_other(f"/pages/conflicts/{ref}?done={step}d")
