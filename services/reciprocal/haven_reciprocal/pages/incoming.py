"""Referrals from partners' options cases: the coordinator's waiting list and the take-up form
(seed ``002_c1c7b199d9a53274.txt``: the coordinator is accountable for "Making reciprocal
referrals for survivors of domestic/sexual violence"; ``003_8738e4ccc4c4272a.txt`` principle 8:
a reciprocal arrangement when the landlord's own stock cannot move the household).

A partner's options officer choosing the reciprocal option puts a referral on this list with
its partner, case reference, bedrooms and unsafe areas only. Taking it up calls the same domain
function as the API (:func:`haven_reciprocal.incoming.take_up`): the household's details come
from the partner only with the client's recorded consent, and the page lands on the new referral.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_reciprocal import incoming
from haven_reciprocal.bodies import TakeUpIn
from haven_reciprocal.pages.common import (
    FEATURES,
    TENANCIES,
    Form,
    Officer,
    failure,
    officer,
    org_names,
    reciprocal_page,
)
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt, parse, principal_of
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, see_other

CHECKBOXES = ("referring_partner_agrees_to_owe", "accessibility", "preferred_areas")
#: Why a partner kept the household's details back (the reason code in its reply), in words
WITHHELD = {
    "no_consent": "the client has not given consent to share them with the reciprocal's coordinator. "
    "Ask the partner to record the client's consent on their case, then take the referral up again."
}


def take_up_body(form: dict[str, Any]) -> dict[str, Any]:
    """The take-up form as ``TakeUpIn``."""
    return {
        "remit_explained_on": form_date(form, "remit_explained_on"),
        "abuse_category": form_value(form, "abuse_category"),
        "tenancy": form_value(form, "tenancy", "social"),
        "referring_partner_agrees_to_owe": form_value(form, "referring_partner_agrees_to_owe") == "yes",
        "accessibility": form_list(form, "accessibility"),
        "preferred_areas": form_list(form, "preferred_areas"),
    }


def withheld(exc: ApiError, partner: str) -> str:
    """A partner's refusal to release the household's details, in words the coordinator can act on."""
    reason = next((words for code, words in WITHHELD.items() if code in exc.detail), "ask the partner why.")
    return f"{partner} has not released the household's details, so the referral cannot be taken up yet: {reason}"


def coordinator_of(me: Officer) -> Officer:
    if not me.coordinator:
        raise ApiError(403, {"detail": "only the reciprocal's coordinator takes up partners' referrals"})
    return me


class IncomingPages(PageController):
    path = "/pages/incoming"

    @get("/")
    async def waiting(self, request: Request, ctx: ServiceContext) -> Template:
        me = coordinator_of(await officer(ctx, request))
        now = datetime.now(UTC)
        rows = sorted(
            (incoming.view(r) | {"received_at": r["received_at"]} for r in await incoming.waiting(me.principal)),
            key=lambda r: r["due_at"] or r["received_at"],
        )
        for r in rows:
            r["overdue"] = bool(r["due_at"]) and _aware(r["due_at"]) < now
        return reciprocal_page(request, "reciprocal/incoming.html", me, rows=rows)

    @get("/{ref:str}")
    async def form(self, request: Request, ctx: ServiceContext, ref: str) -> Template:
        return await self._form(request, ctx, ref, form={"tenancy": "social"}, errors={})

    async def _form(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        me = coordinator_of(await officer(ctx, request))
        row = incoming.view(await attempt(incoming.load(me.principal, ref)))
        return reciprocal_page(
            request,
            "reciprocal/incoming_take_up.html",
            me,
            status_code=status_code,
            r=row,
            form=form,
            errors=errors,
            areas=list(me.areas.items()),
            categories=[(c.code, c.label) for c in me.scheme.abuse_categories] if me.scheme else [],
            tenancy_choices=TENANCIES,
            feature_choices=FEATURES,
            ticked={key: form_list(form, key) for key in CHECKBOXES},
        )

    @post("/{ref:str}", status_code=303)
    async def take_up(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        try:
            taken = await attempt(
                incoming.take_up(ctx, principal_of(request), ref, parse(TakeUpIn, take_up_body(data)))
            )
        except ApiError as exc:
            errors, status = failure(exc)
            if status == 409:
                row = await attempt(
                    incoming.load(principal_of(request), ref)
                )  # taken up by someone else: the refusal page says so
                errors = {"_": withheld(exc, org_names(ctx).get(row.referring_partner, row.referring_partner))}
            return await self._form(request, ctx, ref, form=data, errors=errors, status_code=status)
        return see_other(f"/pages/referrals/{taken['referral_ref']}?done=taken_up")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
