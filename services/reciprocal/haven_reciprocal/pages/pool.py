"""The property pool: a partner's named lead offers a property; the coordinator runs the matcher
and confirms or rejects each proposed match (seed ``002_c1c7b199d9a53274.txt``: the referring
partner "owes an equal size property to another household at risk in Cambridgeshire through a
centralised system").

The same domain functions as ``/properties`` and ``/matching`` in the API; pickers for the
area (the partner's stock areas), the size and the date.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_reciprocal import offers
from haven_reciprocal.bodies import PropertyIn
from haven_reciprocal.pages.common import BEDROOMS, FEATURES, Form, Officer, failure, officer, reciprocal_page
from haven_reciprocal.partners import partner, stock_areas_of
from haven_reciprocal.tables import Referral
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt, parse, principal_of
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, see_other

DONE = {
    "offered": "Property offered into the pool",
    "withdrawn": "Property withdrawn from the pool",
    "confirmed": "Match confirmed: the receiving partner's named leads are asked to sign off",
    "rejected": "Match rejected: the property is back in the pool",
}


def property_body(form: dict[str, Any], scheme: str) -> dict[str, Any]:
    return {
        "area": form_value(form, "area"),
        "bedrooms": form_value(form, "bedrooms"),
        "available_from": form_date(form, "available_from"),
        "accessibility": form_list(form, "accessibility"),
        "scheme": scheme,
    }


async def offer_areas(ctx: ServiceContext, me: Officer) -> list[tuple[str, str]]:
    """Where the officer's organisation may offer a property: its stock areas, else every area of the scheme."""
    row = await partner(me.scheme.coordinator, me.principal.org) if me.scheme else None
    stock = stock_areas_of(ctx, row) if row is not None else ()
    return [(area, name) for area, name in me.areas.items() if not stock or area in stock]


class PoolPages(PageController):
    path = "/pages"

    @get("/pool")
    async def pool(self, request: Request, ctx: ServiceContext) -> Template:
        done = request.query_params.get("done", "")
        message = DONE.get(done)
        if done == "proposed":
            count = request.query_params.get("count", "0")
            message = f"Matcher run: {count} match{'es' if count != '1' else ''} proposed"
        return await self._pool(request, ctx, form={}, errors={}, message=message)

    async def _pool(
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
        properties = await offers.properties_for(ctx, me.principal)
        proposals = await offers.proposals_for(ctx, me.principal) if me.coordinator else []
        waiting = (
            await Referral.count().where((Referral.scheme == me.scheme.coordinator) & (Referral.status == "accepted"))
            if me.coordinator and me.scheme
            else 0
        )
        areas = await offer_areas(ctx, me) if me.named_lead else []
        return reciprocal_page(
            request,
            "reciprocal/pool.html",
            me,
            status_code=status_code,
            properties=properties,
            proposals=proposals,
            waiting=waiting,
            offer_areas=areas,
            bedroom_choices=BEDROOMS,
            feature_choices=FEATURES,
            form=form,
            errors=errors,
            ticked=form_list(form, "accessibility"),
            message=message,
        )

    @post("/pool/offer", status_code=303)
    async def offer(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        me = await officer(ctx, request)
        try:
            if me.scheme is None:
                raise ApiError(403, {"detail": "your organisation has not signed a reciprocal"})
            await attempt(
                offers.offer_property(ctx, me.principal, parse(PropertyIn, property_body(data, me.scheme.coordinator)))
            )
        except ApiError as exc:
            errors, status = failure(exc)
            return await self._pool(request, ctx, form=data, errors=errors, status_code=status)
        return see_other("/pages/pool?done=offered")

    @post("/pool/{ref:str}/withdraw", status_code=303)
    async def withdraw(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect:
        await attempt(offers.withdraw_property(ctx, principal_of(request), ref))
        return see_other("/pages/pool?done=withdrawn")

    @post("/matching/run", status_code=303)
    async def run(self, request: Request, ctx: ServiceContext) -> Redirect:
        created, _bound = await attempt(offers.propose(ctx, principal_of(request)))
        return see_other(f"/pages/pool?done=proposed&count={len(created)}")

    @post("/proposals/{ref:str}/{decision:str}", status_code=303)
    async def decide(self, request: Request, ctx: ServiceContext, ref: str, decision: str) -> Redirect:
        step = {"confirm": offers.confirm, "reject": offers.reject}.get(decision)
        if step is None:
            raise ApiError(404, {"detail": "no such decision"})
        await attempt(step(ctx, principal_of(request), ref))
        return see_other(f"/pages/pool?done={decision}ed")
