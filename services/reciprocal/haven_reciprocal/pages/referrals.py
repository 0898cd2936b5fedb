"""Referral pages: the board of referrals by stage, the coordinator's referral form, and one
referral by ARC with the step its stage waits for, offered to whoever takes it
(seed ``002_c1c7b199d9a53274.txt``: the coordinator refers, requests sign-off from named leads,
issues the ARC and records the household's answer; the receiving partner grants the tenancy;
the referring partner ends the previous tenancy).

Pages show ARCs and references only; the household's details stay behind the audited identity
read. Every form calls the same domain function as the API and redirects (303).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_reciprocal import arc, care, incoming, moves, offers, referrals, signoff, tracking
from haven_reciprocal.bodies import (
    DutyIn,
    MoveIn,
    OfferAnswerIn,
    PreviousTenancyIn,
    ReferralIn,
    SignOffIn,
    SupportIn,
)
from haven_reciprocal.pages.common import (
    BEDROOMS,
    FEATURES,
    REASONS,
    STAGES,
    TENANCIES,
    Form,
    failure,
    officer,
    org_names,
    reciprocal_page,
)
from haven_reciprocal.partners import is_named_lead, roster
from haven_reciprocal.referrals import ACTIVE
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt, parse, principal_of
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, see_other

#: Body keys as the referral form's field ids
REFERRAL_FIELDS = {
    "household.lead_name": "lead_name",
    "household.contact": "contact",
    "household.current_address": "current_address",
    "safety_assessment": "assessed_on",
    "safety_assessment.assessed_on": "assessed_on",
    "safety_assessment.assessed_by_org": "assessed_by_org",
    "safety_assessment.outcome": "outcome",
}
CHECKBOXES = ("referring_partner_agrees_to_owe", "accessibility", "unsafe_areas", "preferred_areas")
#: Why an officer reads the household's details (audited): the purposes that fit a reciprocal
PURPOSE_CHOICES = [
    ("move", "Arranging the move"),
    ("casework", "Working the referral"),
    ("safeguarding", "Acting on a risk to someone"),
    ("correction", "Checking or correcting the record"),
]
#: What ``?done=`` says on a referral page
DONE = {
    "referred": "Referral recorded",
    "taken_up": "Partner's referral taken up with the household's details",
    "requested": "Sign-off requested from the referring partner's named leads",
    "signed": "Sign-off recorded",
    "accepted": "Referral accepted and its ARC issued",
    "declined": "Referral declined",
    "withdrawn": "Referral withdrawn",
    "answered": "The household's answer is recorded",
    "moved": "Move recorded and posted to the ledger",
    "ended": "Previous tenancy recorded as ended",
    "duty": "Duty of care recorded",
    "support": "Support recorded",
}


def referral_body(form: dict[str, Any]) -> dict[str, Any]:
    """The referral form as ``ReferralIn``: optional household details and the perpetrator's
    safety assessment only when given."""
    household = {"lead_name": form_value(form, "lead_name")}
    for key in ("contact", "current_address"):
        if form_value(form, key):
            household[key] = form_value(form, key)
    body: dict[str, Any] = {
        "referring_partner": form_value(form, "referring_partner"),
        "remit_explained_on": form_date(form, "remit_explained_on"),
        "abuse_category": form_value(form, "abuse_category"),
        "tenancy": form_value(form, "tenancy"),
        "current_area": form_value(form, "current_area"),
        "bedrooms": form_value(form, "bedrooms"),
        "household": household,
        "subject": form_value(form, "subject", "survivor"),
        "referring_partner_agrees_to_owe": form_value(form, "referring_partner_agrees_to_owe") == "yes",
        "accessibility": form_list(form, "accessibility"),
        "unsafe_areas": form_list(form, "unsafe_areas"),
        "preferred_areas": form_list(form, "preferred_areas"),
    }
    if body["subject"] == "perpetrator" and (form_date(form, "assessed_on") or form_value(form, "outcome")):
        body["safety_assessment"] = {
            "assessed_on": form_date(form, "assessed_on"),
            "assessed_by_org": form_value(form, "assessed_by_org"),
            "outcome": form_value(form, "outcome"),
        }
    return body


async def signed_partners(ctx: ServiceContext, scheme: str) -> list[dict[str, Any]]:
    return [p for p in await roster(ctx, scheme) if p["status"] == "signed"]


class ReferralPages(PageController):
    path = "/pages"

    @get("/")
    async def board(self, request: Request, ctx: ServiceContext) -> Template:
        me = await officer(ctx, request)
        rows: list[dict[str, Any]] = []
        if me.follows_referrals:
            rows, _coordinator = await referrals.listing(ctx, me.principal)
        by_stage: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_stage[r["status"]].append({**r, "link": f"/pages/referrals/{r['arc'] or r['ref']}"})
        order = list(STAGES)
        stuck = (
            {s["ref"] for s in await tracking.stuck(ctx, me.scheme.coordinator)}
            if me.coordinator and me.scheme
            else set()
        )
        waiting = len(await incoming.waiting(me.principal)) if me.coordinator else 0
        return reciprocal_page(
            request,
            "reciprocal/board.html",
            me,
            by_stage=sorted(by_stage.items(), key=lambda kv: order.index(kv[0])),
            stuck=stuck,
            incoming_waiting=waiting,
        )

    @get("/referrals/new")
    async def new(self, request: Request, ctx: ServiceContext) -> Template:
        return await self._form(request, ctx, form={"subject": "survivor", "tenancy": "social"}, errors={})

    async def _form(
        self,
        request: Request,
        ctx: ServiceContext,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        me = await officer(ctx, request)
        scheme = me.scheme
        if not me.coordinator or scheme is None:
            raise ApiError(403, {"detail": "only the reciprocal's coordinator refers a household"})
        names = org_names(ctx)
        partners = [(p["org"], names.get(p["org"], p["org"])) for p in await signed_partners(ctx, scheme.coordinator)]
        return reciprocal_page(
            request,
            "reciprocal/referral_new.html",
            me,
            status_code=status_code,
            form=form,
            errors=errors,
            partners=partners,
            areas=list(me.areas.items()),
            categories=[(c.code, c.label) for c in scheme.abuse_categories],
            tenancy_choices=TENANCIES,
            feature_choices=FEATURES,
            bedroom_choices=BEDROOMS,
            organisations=sorted(names.items(), key=lambda kv: kv[1]),
            ticked={key: form_list(form, key) for key in CHECKBOXES},
        )

    @post("/referrals/new", status_code=303)
    async def refer(self, request: Request, ctx: ServiceContext, data: Form) -> Redirect | Template:
        try:
            row = await attempt(referrals.create(ctx, principal_of(request), parse(ReferralIn, referral_body(data))))
        except ApiError as exc:
            errors, status = failure(exc, REFERRAL_FIELDS)
            return await self._form(request, ctx, form=data, errors=errors, status_code=status)
        return see_other(f"/pages/referrals/{row.ref}?done=referred")

    @get("/referrals/{ref:str}")
    async def show(self, request: Request, ctx: ServiceContext, ref: str) -> Template:
        return await self._referral(
            request, ctx, ref, form={}, errors={}, message=DONE.get(request.query_params.get("done", ""))
        )

    async def _referral(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        *,
        form: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        message: str | None = None,
        identity: arc.Identity | None = None,
    ) -> Template:
        me = await officer(ctx, request)
        view = await attempt(tracking.follow(ctx, me.principal, ref))
        scheme = view["scheme"]
        lead_of = {
            side: bool(view[f"{side}_partner"]) and await is_named_lead(me.principal, scheme, view[f"{side}_partner"])
            for side in ("referring", "receiving")
        }
        categories = {c.code: c.label for c in me.scheme.abuse_categories} if me.scheme else {}
        found = await referrals.find(ref)
        return reciprocal_page(
            request,
            "reciprocal/referral.html",
            me,
            status_code=status_code,
            r=view,
            ref=view["arc"] or view["referral_ref"] or ref,
            lead_of=lead_of,
            active=view["status"] in ACTIVE,
            categories=categories,
            form=form,
            errors=errors,
            message=message,
            reason_choices=REASONS,
            identity=identity,
            purposes=PURPOSE_CHOICES,
            may_reveal=found is not None and await arc.may_reveal(me.principal, found),
            records_duty=me.principal.org == view["referring_partner"] and view["status"] in care.AWAITING,
        )

    async def _act(
        self,
        request: Request,
        ctx: ServiceContext,
        ref: str,
        call,
        done: str,
        form: dict[str, Any] | None = None,
        fields: dict[str, str] | None = None,
    ) -> Redirect | Template:
        """Run one step on the referral, then back to its page saying what was done (or the step's form with its
        error)."""
        try:
            result = await attempt(call)
        except ApiError as exc:
            errors, status = failure(exc, fields)
            return await self._referral(request, ctx, ref, form=form or {}, errors=errors, status_code=status)
        arc = getattr(result, "arc", None)
        return see_other(f"/pages/referrals/{arc or ref}?done={done}")

    @post("/referrals/{ref:str}/signoff-request", status_code=303)
    async def request_signoff(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._act(
            request, ctx, ref, signoff.request_referring(ctx, principal_of(request), ref), "requested"
        )

    @post("/referrals/{ref:str}/signoff", status_code=303)
    async def sign_off(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        async def step():
            body = parse(
                SignOffIn,
                {"decision": form_value(data, "decision"), "agrees_to_owe": form_value(data, "agrees_to_owe") == "yes"},
            )
            return await signoff.decide(ctx, principal_of(request), ref, body.decision, body.agrees_to_owe)

        return await self._act(request, ctx, ref, step(), "signed", data)

    @post("/referrals/{ref:str}/accept", status_code=303)
    async def accept(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._act(request, ctx, ref, signoff.accept(ctx, principal_of(request), ref), "accepted")

    @post("/referrals/{ref:str}/decline", status_code=303)
    async def decline(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._act(request, ctx, ref, signoff.decline(ctx, principal_of(request), ref), "declined")

    @post("/referrals/{ref:str}/withdraw", status_code=303)
    async def withdraw(self, request: Request, ctx: ServiceContext, ref: str) -> Redirect | Template:
        return await self._act(request, ctx, ref, referrals.withdraw(ctx, principal_of(request), ref), "withdrawn")

    @post("/referrals/{ref:str}/answer", status_code=303)
    async def answer(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        async def step():
            if form_value(data, "accepted") not in ("yes", "no"):
                raise ApiError(400, {"detail": "accepted: choose whether the household accepted the offer"})
            raw: dict[str, Any] = {"accepted": form_value(data, "accepted") == "yes"}
            if form_value(data, "reason"):
                raw["reason"] = form_value(data, "reason")
            if form_value(data, "note"):
                raw["note"] = form_value(data, "note")
            body = parse(OfferAnswerIn, raw)
            return await offers.answer(ctx, principal_of(request), ref, body.accepted, body.reason, body.note)

        return await self._act(request, ctx, ref, step(), "answered", data)

    @post("/referrals/{ref:str}/move", status_code=303)
    async def move(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        async def step():
            body = parse(MoveIn, {"tenancy_start": form_date(data, "tenancy_start")})
            return await moves.complete(ctx, principal_of(request), ref, body.tenancy_start)

        return await self._act(request, ctx, ref, step(), "moved", data)

    @post("/referrals/{ref:str}/previous-tenancy", status_code=303)
    async def previous_tenancy(
        self, request: Request, ctx: ServiceContext, ref: str, data: Form
    ) -> Redirect | Template:
        async def step():
            costs = {
                key: pence(form_value(data, key)) for key in ("void_rent", "clearance", "repairs", "legal", "other")
            }
            body = parse(PreviousTenancyIn, {"ended_on": form_date(data, "ended_on"), "costs_pence": costs})
            amounts = {k: getattr(body.costs_pence, k) for k in body.costs_pence.__struct_fields__}
            return await moves.previous_tenancy_ended(ctx, principal_of(request), ref, body.ended_on, amounts)

        return await self._act(
            request,
            ctx,
            ref,
            step(),
            "ended",
            data,
            fields={f"costs_pence.{k}": k for k in ("void_rent", "clearance", "repairs", "legal", "other")},
        )

    @post("/referrals/{ref:str}/identity")
    async def identity(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Template:
        """The household's details on the page, never in its URL or title: a POST with the stated purpose (audited)."""
        purpose = form_value(data, "purpose")
        if purpose not in dict(PURPOSE_CHOICES):
            return await self._referral(
                request,
                ctx,
                ref,
                form=data,
                errors={"purpose": "Why you need the details: choose one"},
                status_code=400,
            )
        shown = await attempt(arc.reveal_for(ctx, principal_of(request), ref, purpose))
        return await self._referral(request, ctx, ref, form={}, errors={}, identity=shown)

    @post("/referrals/{ref:str}/duty-of-care", status_code=303)
    async def duty(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        async def step():
            raw = {"accommodation": form_value(data, "accommodation"), "from_date": form_date(data, "from_date")}
            if form_date(data, "to_date"):
                raw["to_date"] = form_date(data, "to_date")
            body = parse(DutyIn, raw)
            return await care.record_duty(
                ctx, principal_of(request), ref, body.accommodation, body.from_date, body.to_date
            )

        return await self._act(request, ctx, ref, step(), "duty", data)

    @post("/referrals/{ref:str}/support", status_code=303)
    async def support(self, request: Request, ctx: ServiceContext, ref: str, data: Form) -> Redirect | Template:
        async def step():
            raw = {"kind": form_value(data, "kind"), "started_on": form_date(data, "started_on")}
            body = parse(SupportIn, raw)
            return await care.record_support(ctx, principal_of(request), ref, body.kind, body.started_on, None, None)

        return await self._act(request, ctx, ref, step(), "support", data)


def pence(pounds: str) -> int | str:
    """``"650.00"`` (pounds, as typed) → 65000; blank is 0; anything else is passed on for the body to name."""
    text = pounds.replace("£", "").replace(",", "").strip()
    if not text:
        return 0
    try:
        return round(float(text) * 100)
    except ValueError:
        return pounds
