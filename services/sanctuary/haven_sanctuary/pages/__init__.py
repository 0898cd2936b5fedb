"""Sanctuary pages: the Appendix A referral form, the board of referrals by stage, one referral stage by stage.

Seed ``004_d4b796f614d2cfd3.txt``: received → eligibility (s.7) → police inspection (s.9) →
works (s.9) → funding (s.6) → survey (s.11). The referral page shows where the referral is,
the running clocks, and only the controls of the stage it is at. Each control is a plain form
read into the API's body struct and passed to the same step the API takes
(:mod:`haven_sanctuary.steps`), then a redirect; a refusal shows the reason next to that
stage's form, with what was typed. The police crime-prevention officer works the inspection
stage from the visit page (:mod:`haven_sanctuary.pages.inspections`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, get_args
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_contracts.plugin.sanctuary import PropertyType, Tenure
from haven_runtime.web.domain import parse, refusals, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, page, see_other
from haven_sanctuary import police, steps, views
from haven_sanctuary.common import REFERRER_ROLES
from haven_sanctuary.forms import ReferralForm
from haven_sanctuary.pages.inspections import FROM_VISIT, InspectionPages, visit_page
from haven_sanctuary.schemes import all_schemes, scheme_for

TEMPLATES = Path(__file__).parent.parent / "templates"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
LONDON = ZoneInfo("Europe/London")
STATUSES = [
    "received",
    "eligible",
    "ineligible",
    "inspection_requested",
    "inspection_booked",
    "recommendations_received",
    "works_ordered",
    "works_completed",
    "survey_sent",
    "survey_returned",
]
#: The stages of a referral, in order, as the officer works through them (seed 004_d4b796f614d2cfd3.txt)
STAGES = [
    ("received", "Referral received"),
    ("eligibility", "Eligibility"),
    ("inspection", "Police inspection"),
    ("works", "Works"),
    ("funding", "Funding"),
    ("survey", "Satisfaction survey"),
]
PERSON = ("name", "address", "telephone", "date_of_birth")
REFERRER = ("name", "position", "organisation", "telephone", "email")


def _optional(value: str) -> str | None:
    return value or None


def _referral_body(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "scheme": form_value(form, "scheme"),
        "person": {
            k: form_date(form, f"person_{k}") if k == "date_of_birth" else form_value(form, f"person_{k}")
            for k in PERSON
        },
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


#: What each step's form becomes: the body of the same step in the API
#: each step's form fields as its API body's values
FORMS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "criteria": lambda f: {"statuses": {k.removeprefix("crit-"): form_value(f, k) for k in f if k.startswith("crit-")}},
    "landlord-permission": lambda f: {"decision": form_value(f, "decision")},
    "decide": lambda f: {},
    "inspection-request": lambda f: {},
    "inspection-booking": lambda f: {"appointment_at": _moment(form_value(f, "appointment_at"))},
    "recommendations": lambda f: {"measures": form_list(f, "measures"), "note": _optional(form_value(f, "note"))},
    "works": lambda f: {
        "contractor": form_value(f, "contractor"),
        **(
            {"contractor_due_at": _moment(form_value(f, "contractor_due_at"))}
            if form_value(f, "contractor_due_at")
            else {}
        ),
    },
    "works-complete": lambda f: {"cost_pence": _pence(form_value(f, "cost"))},
    "funding": lambda f: {"decision": form_value(f, "decision")},
    "survey": lambda f: {
        "satisfaction": _int(form_value(f, "satisfaction")),
        "felt_safer": form_value(f, "felt_safer") == "yes",
    },
    "close": lambda f: {"outcome": form_value(f, "outcome")},
}


def stage_of(r: dict[str, Any]) -> str:
    """The stage the referral is at: the one whose controls the page shows."""
    if r["status"] == "closed":
        return "closed"
    if r["eligibility"] == "pending":
        return "eligibility"
    if r["eligibility"] == "ineligible":
        return "ineligible"
    if r["status"] in ("eligible", "inspection_requested", "inspection_booked"):
        return "inspection"
    if r["status"] in ("recommendations_received", "works_ordered"):
        return "works"
    if r["funding_status"] == "landlord_asked":
        return "funding"
    return "survey"


def stage_list(current: str) -> list[dict[str, str]]:
    """Each stage with its state, for the task list at the top of the page."""
    order = [key for key, _ in STAGES]
    position = len(order) if current == "closed" else order.index(current) if current in order else 1
    return [
        {"key": key, "label": label, "state": "done" if i < position else "current" if i == position else "todo"}
        for i, (key, label) in enumerate(STAGES)
    ]


class SanctuaryPages(PageController):
    path = "/pages"

    @get("/")
    async def board(self, request: Request) -> Template:
        ctx, principal = request.app.state["haven"], request.scope["user"]
        rows = None
        if principal.has_any(["sanctuary_officer", "auditor", "admin"]):
            rows = await views.listing(ctx, principal)
        submitted = await views.submitted(ctx, principal) if principal.has_any([*REFERRER_ROLES, "admin"]) else []
        columns = {status: [r for r in rows or [] if r["status"] == status] for status in STATUSES}
        police_rows = await police.inspections(ctx, principal) if principal.has_any(["police_cpo"]) else None
        return page(
            request,
            "sanctuary/board.html",
            columns=columns,
            officer=rows is not None,
            submitted=submitted,
            inspections=police_rows,
            rows=police_rows,
        )

    @get("/referrals/new")
    async def new(self, request: Request) -> Template:
        return self._form(request, {}, {})

    def _form(self, request: Request, form: dict, errors: dict, status_code: int = 200) -> Template:
        schemes = all_schemes(request.app.state["haven"])
        # preselect only the officer's own organisation's scheme: a careless submit must never
        # refer to another council's scheme (no scheme chosen when the organisation runs none)
        own = request.scope["user"].org
        default = own if any(s.org == own for s in schemes) else ""
        choices = [(s.org, s.name or s.org) for s in schemes]
        return page(
            request,
            "sanctuary/referral_new.html",
            status_code=status_code,
            form=form,
            errors=errors,
            schemes=choices,
            default_scheme=default,
            property_types=list(get_args(PropertyType)),
            tenures=list(get_args(Tenure)),
        )

    @post("/referrals/new", status_code=303)
    async def submit(self, request: Request, data: Form) -> Redirect | Template:
        principal = require_roles(request, *REFERRER_ROLES)
        try:
            with refusals():
                created = await views.submit(
                    request.app.state["haven"], principal, parse(ReferralForm, _referral_body(data))
                )
        except ApiError as exc:
            return self._form(request, data, _field_errors(exc), status_code=400)
        if principal.org == created.get("org") and principal.has_any(["sanctuary_officer", "admin"]):
            return see_other(f"/pages/referrals/{created['ref']}")
        return see_other("/pages/?submitted=" + created["ref"])

    @get("/schemes/{org:str}")
    async def scheme(self, request: Request, org: str) -> Template:
        """A scheme's settings, saying which are core defaults rather than its own procedure's."""
        with refusals():
            scheme = views.scheme(request.app.state["haven"], org)
        return page(request, "sanctuary/scheme.html", s=scheme)

    @get("/referrals/{ref:str}")
    async def show(self, request: Request, ref: str) -> Template:
        return await self._detail(request, ref, form={}, errors={})

    async def _detail(
        self, request: Request, ref: str, *, form: dict, errors: dict, status_code: int = 200
    ) -> Template:
        ctx = request.app.state["haven"]
        with refusals():
            referral = await views.detail(ctx, request.scope["user"], ref, "casework")
        scheme = scheme_for(ctx, referral["org"])
        stage = stage_of(referral)
        return page(
            request,
            "sanctuary/referral.html",
            status_code=status_code,
            r=referral,
            scheme=scheme,
            form=form,
            errors=errors,
            stage=stage,
            stages=stage_list(stage),
        )

    @post("/referrals/{ref:str}/steps/{step:str}", status_code=303)
    async def step(self, request: Request, ref: str, step: str, data: Form) -> Redirect | Template:
        ctx, spec = request.app.state["haven"], steps.STEPS.get(step)
        if spec is None and step != "fetch":
            return see_other(f"/pages/referrals/{ref}")
        try:
            principal = require_roles(request, *(spec.roles if spec else steps.OFFICER))
            with refusals():
                if spec is None:
                    await steps.fetch_details(ctx, principal, ref)
                else:
                    await steps.perform(ctx, principal, ref, step, parse(spec.body, FORMS[step](data)))
        except ApiError as exc:
            errors = {f"{step}-{k}": v for k, v in _field_errors(exc).items()}
            shown = visit_page if form_value(data, "from") == FROM_VISIT else self._detail
            return await shown(request, ref, form=data, errors={step: exc.message, **errors}, status_code=exc.status)
        if form_value(data, "from") == FROM_VISIT:
            return see_other(f"/pages/inspections/{ref}?done=saved")
        return see_other(f"/pages/referrals/{ref}#stage")


PAGES = [SanctuaryPages, InspectionPages]
