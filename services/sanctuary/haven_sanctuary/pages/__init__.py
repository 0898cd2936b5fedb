"""Sanctuary pages: the Appendix A referral form, the board of referrals by stage, one referral's steps.

Each step is a plain form posted here, passed to the sanctuary API in-process and followed
by a redirect; a refusal shows the API's reason next to that step's form, with what was typed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_contracts.plugin.sanctuary import PropertyType, Tenure
from haven_runtime.web.pages import ApiError, PageController, api, api_or_none, form_date, form_list, form_value, page, see_other

TEMPLATES = Path(__file__).parent.parent / "templates"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
LONDON = ZoneInfo("Europe/London")
STAGES = ["received", "eligible", "ineligible", "inspection_requested", "inspection_booked", "recommendations_received",
          "works_ordered", "works_completed", "survey_sent", "survey_returned"]
PERSON = ("name", "address", "telephone", "date_of_birth")
REFERRER = ("name", "position", "organisation", "telephone", "email")


def _optional(value: str) -> str | None:
    return value or None


def _referral_body(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "scheme": form_value(form, "scheme"),
        "person": {k: form_date(form, f"person_{k}") if k == "date_of_birth" else form_value(form, f"person_{k}") for k in PERSON},
        "property_type": form_value(form, "property_type"),
        "property_type_other": _optional(form_value(form, "property_type_other")),
        "tenure": form_value(form, "tenure"),
        "landlord_name": _optional(form_value(form, "landlord_name")),
        "reason": form_value(form, "reason"),
        "referrer": {k: form_value(form, f"referrer_{k}") for k in REFERRER},
        "unsafe_to_stay": form_value(form, "unsafe_to_stay") == "yes",
    }


def _field_errors(exc: ApiError) -> dict[str, str]:
    """API keys (``person.telephone``) as form field names (``person_telephone``)."""
    return {key.replace(".", "_"): message for key, message in exc.field_errors().items()}


def _moment(value: str) -> str:
    """A datetime-local typed in the UK, with its offset (the API never guesses a timezone)."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=LONDON).isoformat()
    except ValueError:
        return value


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _pence(value: str) -> int | str:
    try:
        return round(float(value.replace("£", "").replace(",", "")) * 100)
    except ValueError:
        return value


STEPS = {
    "landlord": ("POST", "landlord-permission", lambda f: {"decision": form_value(f, "decision")}),
    "decide": ("POST", "eligibility/decide", lambda f: None),
    "inspect": ("POST", "inspection/request", lambda f: {}),
    "booking": ("POST", "inspection/booking", lambda f: {"appointment_at": _moment(form_value(f, "appointment_at"))}),
    "recommendations": ("POST", "inspection/recommendations",
                        lambda f: {"measures": form_list(f, "measures"), "note": _optional(form_value(f, "note"))}),
    "works": ("POST", "works", lambda f: {"contractor": form_value(f, "contractor"),
                                          **({"contractor_due_at": _moment(form_value(f, "contractor_due_at"))}
                                             if form_value(f, "contractor_due_at") else {})}),
    "complete": ("POST", "works/complete", lambda f: {"cost_pence": _pence(form_value(f, "cost"))}),
    "funding": ("POST", "funding/landlord", lambda f: {"decision": form_value(f, "decision")}),
    "survey": ("POST", "survey", lambda f: {"satisfaction": _int(form_value(f, "satisfaction")),
                                            "felt_safer": form_value(f, "felt_safer") == "yes"}),
    "close": ("POST", "close", lambda f: {"outcome": form_value(f, "outcome")}),
    "fetch": ("POST", "details/fetch", lambda f: None),
}


class SanctuaryPages(PageController):
    path = "/pages"

    @get("/")
    async def board(self, request: Request) -> Template:
        principal = request.scope["user"]
        rows = await api_or_none(request, "GET", "/referrals") if principal.has_any(["sanctuary_officer", "auditor"]) else None
        submitted = await api_or_none(request, "GET", "/referrals/submitted") or []
        columns = {stage: [r for r in rows or [] if r["status"] == stage] for stage in STAGES}
        return page(request, "sanctuary/board.html", columns=columns, officer=rows is not None, submitted=submitted)

    @get("/referrals/new")
    async def new(self, request: Request) -> Template:
        return await self._form(request, {}, {})

    async def _form(self, request: Request, form: dict, errors: dict, status_code: int = 200) -> Template:
        schemes = await api_or_none(request, "GET", "/schemes") or []
        # preselect only the officer's own organisation's scheme: a careless submit must never
        # refer to another council's scheme (no scheme chosen when the organisation runs none)
        own = request.scope["user"].org
        default = own if any(s["org"] == own for s in schemes) else ""
        choices = [(s["org"], s.get("name") or s["org"]) for s in schemes]
        return page(request, "sanctuary/referral_new.html", status_code=status_code, form=form, errors=errors, schemes=choices,
                    default_scheme=default, property_types=list(PropertyType.__args__), tenures=list(Tenure.__args__))

    @post("/referrals/new", status_code=303)
    async def submit(self, request: Request, data: Form) -> Redirect | Template:
        try:
            created = await api(request, "POST", "/referrals", json=_referral_body(data))
        except ApiError as exc:
            return await self._form(request, data, _field_errors(exc), status_code=400)
        principal = request.scope["user"]
        if principal.org == created.get("org") and principal.has_any(["sanctuary_officer"]):
            return see_other(f"/pages/referrals/{created['ref']}")
        return see_other("/pages/?submitted=" + created["ref"])

    @get("/schemes/{org:str}")
    async def scheme(self, request: Request, org: str) -> Template:
        """A scheme's settings, saying which are core defaults rather than its own procedure's."""
        return page(request, "sanctuary/scheme.html", s=await api(request, "GET", f"/schemes/{org}"))

    @get("/referrals/{ref:str}")
    async def show(self, request: Request, ref: str) -> Template:
        return await self._detail(request, ref, form={}, errors={})

    async def _detail(self, request: Request, ref: str, *, form: dict, errors: dict, status_code: int = 200) -> Template:
        referral = await api(request, "GET", f"/referrals/{ref}", params={"purpose": "casework"})
        scheme = await api_or_none(request, "GET", f"/schemes/{referral['org']}") or {}
        return page(request, "sanctuary/referral.html", status_code=status_code, r=referral, scheme=scheme, form=form, errors=errors)

    @post("/referrals/{ref:str}/criteria", status_code=303)
    async def criterion(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        body = {"status": form_value(data, "status")}
        try:
            await api(request, "PUT", f"/referrals/{ref}/criteria/{form_value(data, 'key')}", json=body)
        except ApiError as exc:
            return await self._detail(request, ref, form=data, errors={"criteria": exc.message}, status_code=exc.status)
        return see_other(f"/pages/referrals/{ref}#eligibility")

    @post("/referrals/{ref:str}/steps/{step:str}", status_code=303)
    async def step(self, request: Request, ref: str, step: str, data: Form) -> Redirect | Template:
        if step not in STEPS:
            return see_other(f"/pages/referrals/{ref}")
        method, path, body = STEPS[step]
        try:
            await api(request, method, f"/referrals/{ref}/{path}", json=body(data))
        except ApiError as exc:
            errors = {f"{step}-{k}": v for k, v in _field_errors(exc).items()}
            return await self._detail(request, ref, form=data, errors={step: exc.message, **errors}, status_code=exc.status)
        return see_other(f"/pages/referrals/{ref}#{step}")


PAGES = [SanctuaryPages]
