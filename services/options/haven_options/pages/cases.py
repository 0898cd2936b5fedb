"""Case pages: open a case, the interview routing, DASH, the options list, consent, the printable sheet.

Every action posts a plain form, calls the options service's domain functions (the ones its
API controllers call) and redirects (303) so Back and refresh never resubmit; a refused form
is shown again with what was typed and the API's message next to the field. URLs carry case
references only.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_contracts.plugin.options import ApproachChannel, Tenure
from haven_options import cases, casework, jwa, reading, referrals, risk, sheet, ta
from haven_options import emergency_accommodation as ea
from haven_options.bodies import ConsentIn, DashIn, DecisionIn, NotifyMove, OfferIn, OpenCase
from haven_options.dash import RISK_FACTORS
from haven_runtime.web.domain import as_json, parse, refusals, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_date, form_list, form_value, page, see_other

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
CHANNELS = list(get_args(ApproachChannel))
TENURES = list(get_args(Tenure))
PURPOSES = ["contact_agency", "share_with_borough", "refer_to_marac"]
#: What ``?done=`` on the case page says
DONE = {
    "notified": "JWA notification sent",
    "marac": "MARAC referral recorded",
    "interview": "Interview recorded",
    "closed": "Case closed",
    "duty": "Duty to the client recorded as accepted",
    "relief": "Relief duty started: the prevention duty has ended",
}
OFFICERS = ("options_officer", "dv_lead", "team_manager")
#: Why a case closes: the outcome recorded with it, in the officer's words
CLOSE_OUTCOMES = [
    ("advice_given", "Advice given, no further action"),
    ("housed", "Housed, or stays safely at home"),
    ("referred_elsewhere", "Referred to another organisation"),
    ("withdrawn", "The client withdrew"),
    ("lost_contact", "Lost contact with the client"),
]


def jwa_parties(request: Request) -> list[Any]:
    """Organisations that take part in the Joint Working Agreement: their plugins set JWA settings.

    Only these can receive a JWA notification or send a household for a one-night booking; any
    other organisation would be refused by the API.
    """
    plugins = request.app.state["haven"].plugins
    return [o for o in plugins.organisations() if plugins.call(o.id, "haven_jwa_settings") is not None]


def _number(value: str, default: int) -> int | str:
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        return value


def _case_body(form: dict[str, Any]) -> dict[str, Any]:
    person = {"name": form_value(form, "name")}
    if form_date(form, "date_of_birth"):
        person["date_of_birth"] = form_date(form, "date_of_birth")
    for key in ("phone", "safe_contact"):
        if form_value(form, key):
            person[key] = form_value(form, key)
    perpetrator = form_value(form, "perpetrator_at_property", "unknown")
    return {
        "person": person,
        "channel": form_value(form, "channel", "reception"),
        "tenure": form_value(form, "tenure", "unknown"),
        "adults": _number(form_value(form, "adults"), 1),
        "children": _number(form_value(form, "children"), 0),
        "pregnant": form_value(form, "pregnant") == "yes",
        "perpetrator_at_property": {"yes": True, "no": False}.get(perpetrator),
        "homelessness": form_value(form, "homelessness", "none"),
        "out_of_hours": form_value(form, "out_of_hours") == "yes",
        # 000_93a7cd5d2a8b6030.txt: advance contact follows "Where borough A has accepted a duty"
        "duty_accepted": form_value(form, "duty_accepted") == "yes",
    }


def _status(exc: ApiError) -> int:
    """409 for a refused transition; 400 for anything the officer can correct in the form."""
    return 409 if exc.status == 409 else 400


def _errors(exc: ApiError) -> dict[str, str]:
    """API field keys (``person.name``) as form field names (``name``)."""
    return {key.removeprefix("person."): message for key, message in exc.field_errors().items()}


class CasePages(PageController):
    path = "/pages/cases"

    @get("/new")
    async def new(self, request: Request) -> Template:
        return page(request, "options/case_new.html", form={}, errors={}, channels=CHANNELS, tenures=TENURES)

    @post("/new", status_code=303)
    async def open(self, request: Request, data: Form) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            body = parse(OpenCase, _case_body(data))
            with refusals():
                case = await casework.open_case(
                    request.app.state["haven"], principal, msgspec.convert(msgspec.to_builtins(body), cases.CaseInput)
                )
        except ApiError as exc:
            return page(
                request,
                "options/case_new.html",
                status_code=_status(exc),
                form=data,
                errors=_errors(exc),
                channels=CHANNELS,
                tenures=TENURES,
            )
        return see_other(f"/pages/cases/{case.ref}")

    @get("/{ref:str}")
    async def show(self, request: Request, ref: str) -> Template:
        return await self._case_page(request, ref, errors={}, message=DONE.get(request.query_params.get("done", "")))

    async def _case_page(
        self,
        request: Request,
        ref: str,
        *,
        errors: dict[str, str],
        status_code: int = 200,
        message: str | None = None,
        form: dict[str, Any] | None = None,
    ) -> Template:
        ctx, principal = request.app.state["haven"], require_roles(request, *OFFICERS)
        with refusals():
            case = await reading.read_case(ctx, principal, ref, "casework")
            assessments = await reading.assessments(ctx, principal, ref)
            sheets = await reading.sheets(ctx, principal, ref)
            opened = as_json(await referrals.for_case(ctx, principal, ref))
            bookings = as_json(await ta.bookings(ctx, principal, ref))
            emergency = [e for e in as_json(await ea.tasks(ctx, principal)) if e["case_ref"] == ref]
            decisions = await reading.decisions(ctx, principal, ref)
        orgs = [(o.id, o.name) for o in jwa_parties(request) if o.id != case.org]
        return page(
            request,
            "options/case.html",
            status_code=status_code,
            case=case,
            assessments=assessments,
            sheets=sheets,
            referrals=opened,
            bookings=bookings,
            emergency=emergency,
            decisions=decisions,
            orgs=orgs,
            errors=errors,
            message=message,
            form=form or {},
            outcomes=CLOSE_OUTCOMES,
        )

    @get("/{ref:str}/dash")
    async def dash(self, request: Request, ref: str) -> Template:
        principal = require_roles(request, *OFFICERS)
        with refusals():
            assessments = await reading.assessments(request.app.state["haven"], principal, ref)
        shown = request.query_params.get("assessment")
        result = next((a for a in assessments if a["ref"] == shown), None)
        # the recorded answers stay on the form (the one just recorded, else the latest), so a
        # second "Record checklist" never records a blank checklist by mistake
        recorded = result or (assessments[-1] if assessments else None)
        answers = (recorded or {}).get("answers") or []
        form = {f"q{i + 1}": answer for i, answer in enumerate(answers)}
        return page(
            request,
            "options/dash.html",
            ref=ref,
            factors=RISK_FACTORS,
            form=form,
            errors={},
            result=result,
            assessments=assessments,
            recorded=recorded,
        )

    @post("/{ref:str}/dash", status_code=303)
    async def assess(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        answers = [form_value(data, f"q{i + 1}", "not_known") for i in range(len(RISK_FACTORS))]
        body: dict[str, Any] = {
            "answers": answers,
            "professional_judgement": form_value(data, "professional_judgement") == "yes",
        }
        if form_value(data, "judgement_reason"):
            body["judgement_reason"] = form_value(data, "judgement_reason")
        try:
            principal = require_roles(request, *OFFICERS)
            dash = parse(DashIn, body)
            with refusals():
                result = await risk.assess_case(
                    request.app.state["haven"],
                    principal,
                    ref,
                    answers=list(dash.answers),
                    professional_judgement=dash.professional_judgement,
                    judgement_reason=dash.judgement_reason,
                )
        except ApiError as exc:
            return page(
                request,
                "options/dash.html",
                status_code=_status(exc),
                ref=ref,
                factors=RISK_FACTORS,
                form=data,
                errors=_errors(exc),
                result=None,
                assessments=[],
                recorded=None,
            )
        return see_other(f"/pages/cases/{ref}/dash?assessment={result['ref']}#marac-result")

    @get("/{ref:str}/options")
    async def options(self, request: Request, ref: str) -> Template:
        return await self._options_page(request, ref, errors={})

    async def _options_page(
        self,
        request: Request,
        ref: str,
        *,
        errors: dict[str, str],
        status_code: int = 200,
        form: dict[str, Any] | None = None,
    ) -> Template:
        ctx, principal = request.app.state["haven"], require_roles(request, *OFFICERS)
        with refusals():
            options = await reading.options_available(ctx, principal, ref)
            advice = await reading.advice(ctx, principal, ref)
            consents = await reading.consents(ctx, principal, ref)
        # whether "leave blank" can sign the sheet: only an officer the directory knows
        signer = await sheet.officer_from_directory(ctx, principal)
        recipients = [("marac", "MARAC (multi-agency risk assessment conference)")] + [
            (o.id, o.name) for o in ctx.plugins.organisations() if o.id != principal.org
        ]
        return page(
            request,
            "options/options.html",
            status_code=status_code,
            ref=ref,
            options=options,
            advice=advice,
            consents=consents,
            purposes=PURPOSES,
            recipients=recipients,
            errors=errors,
            form=form or {},
            signer=signer,
        )

    @post("/{ref:str}/options/offer", status_code=303)
    async def offer(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            body = parse(OfferIn, {"option_ids": form_list(data, "option_ids")})
            with refusals():
                await casework.offer(request.app.state["haven"], principal, ref, list(body.option_ids))
        except ApiError as exc:
            errors = _errors(exc)
            return await self._options_page(
                request, ref, errors={"option_ids": next(iter(errors.values()))}, status_code=_status(exc)
            )
        return see_other(f"/pages/cases/{ref}/options")

    @post("/{ref:str}/options/{option_id:str}/decision", status_code=303)
    async def decide(self, request: Request, ref: str, option_id: str, data: Form) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            body = parse(DecisionIn, {"decision": form_value(data, "decision")})
            with refusals():
                await casework.decide(request.app.state["haven"], principal, ref, option_id, body.decision)
        except ApiError as exc:
            return await self._options_page(
                request, ref, errors={f"decision-{option_id}": exc.message}, status_code=_status(exc)
            )
        return see_other(f"/pages/cases/{ref}/options")

    @post("/{ref:str}/referrals/{referral_ref:str}/completed", status_code=303)
    async def referral_completed(self, request: Request, ref: str, referral_ref: str) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            with refusals():
                await referrals.complete_for(request.app.state["haven"], principal, ref, referral_ref, None)
        except ApiError as exc:
            return await self._case_page(request, ref, errors={"referrals": exc.message}, status_code=_status(exc))
        return see_other(f"/pages/cases/{ref}#referrals")

    @post("/{ref:str}/temporary-accommodation/{booking:str}/end", status_code=303)
    async def booking_ended(self, request: Request, ref: str, booking: str) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            with refusals():
                await ta.end_for(request.app.state["haven"], principal, ref, booking, None)
        except ApiError as exc:
            return await self._case_page(request, ref, errors={"bookings": exc.message}, status_code=_status(exc))
        return see_other(f"/pages/cases/{ref}#bookings")

    @post("/{ref:str}/consents", status_code=303)
    async def consent(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        try:
            principal = require_roles(request, *OFFICERS)
            body = parse(
                ConsentIn, {"purpose": form_value(data, "purpose"), "recipient": form_value(data, "recipient")}
            )
            with refusals():
                await casework.give_consent(request.app.state["haven"], principal, ref, body.purpose, body.recipient)
        except ApiError as exc:
            return await self._options_page(
                request,
                ref,
                errors={f"consent-{k}": v for k, v in _errors(exc).items()},
                status_code=_status(exc),
                form=data,
            )
        return see_other(f"/pages/cases/{ref}/options")

    @post("/{ref:str}/sheets", status_code=303)
    async def issue_sheet(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        principal = require_roles(request, *OFFICERS)
        name, contact = (form_value(data, k) or None for k in ("officer_name", "officer_contact"))
        try:
            with refusals():
                issued = await sheet.issue_for(request.app.state["haven"], principal, ref, name, contact)
        except ApiError as exc:
            return await self._options_page(
                request,
                ref,
                errors={f"sheet-{k}": v for k, v in _errors(exc).items()},
                status_code=_status(exc),
                form=data,
            )
        return see_other(f"/pages/cases/{ref}/sheets/{issued['version']}")

    @get("/{ref:str}/sheets/{version:int}")
    async def sheet(self, request: Request, ref: str, version: int) -> Template:
        principal = require_roles(request, *OFFICERS)
        with refusals():
            content = await sheet.read(request.app.state["haven"], principal, ref, version)
        return page(request, "options/sheet.html", ref=ref, sheet=content)

    @post("/{ref:str}/interview", status_code=303)
    async def interview(self, request: Request, ref: str) -> Redirect:
        principal = require_roles(request, *OFFICERS)
        with refusals():
            await casework.interview_held(request.app.state["haven"], principal, ref, None)
        return see_other(f"/pages/cases/{ref}?done=interview")

    @post("/{ref:str}/notify", status_code=303)
    async def notify(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        body = {
            "case_ref": ref,
            "to_org": form_value(data, "to_org"),
            "share_information": form_value(data, "share_information") == "yes",
        }
        try:
            principal = require_roles(request, *OFFICERS)
            move = parse(NotifyMove, body)
            with refusals():
                await jwa.notify_move(
                    request.app.state["haven"],
                    principal,
                    move.case_ref,
                    move.to_org,
                    move.share_information,
                    move.notified_at,
                )
        except ApiError as exc:
            return await self._case_page(request, ref, errors=_errors(exc), status_code=_status(exc), form=data)
        return see_other(f"/pages/cases/{ref}?done=notified")

    @post("/{ref:str}/marac", status_code=303)
    async def marac(self, request: Request, ref: str) -> Redirect | Template:
        """Record the MARAC referral the DASH checklist recommended (needs consent or a safeguarding override)."""
        try:
            principal = require_roles(request, *OFFICERS)
            with refusals():
                await risk.refer_case(request.app.state["haven"], principal, ref)
        except ApiError as exc:
            return await self._case_page(request, ref, errors={"marac": exc.message}, status_code=_status(exc))
        return see_other(f"/pages/cases/{ref}?done=marac")

    @post("/{ref:str}/duty-accepted", status_code=303)
    async def duty_accepted(self, request: Request, ref: str) -> Redirect | Template:
        """Record, now, that the organisation accepted a duty to the client (after the case was opened)."""
        try:
            principal = require_roles(request, *OFFICERS)
            with refusals():
                await casework.accept_duty(request.app.state["haven"], principal, ref)
        except ApiError as exc:
            return await self._case_page(request, ref, errors={"duties": exc.message}, status_code=_status(exc))
        return see_other(f"/pages/cases/{ref}?done=duty")

    @post("/{ref:str}/duties/relief", status_code=303)
    async def relief(self, request: Request, ref: str) -> Redirect | Template:
        """The client is now homeless: the prevention duty ends, the relief duty's 56 days start."""
        try:
            principal = require_roles(request, *OFFICERS)
            with refusals():
                await casework.start_relief(request.app.state["haven"], principal, ref)
        except ApiError as exc:
            return await self._case_page(request, ref, errors={"duties": exc.message}, status_code=_status(exc))
        return see_other(f"/pages/cases/{ref}?done=relief")

    @post("/{ref:str}/close", status_code=303)
    async def close(self, request: Request, ref: str, data: Form) -> Redirect | Template:
        """Close the case with the outcome the officer chose."""
        outcome = form_value(data, "outcome")
        try:
            principal = require_roles(request, *OFFICERS)
            if outcome not in dict(CLOSE_OUTCOMES):
                raise ApiError(400, {"detail": "outcome: choose why the case is closing"})
            with refusals():
                await cases.close(request.app.state["haven"], principal, ref, outcome)
        except ApiError as exc:
            return await self._case_page(
                request,
                ref,
                errors={"close-outcome": next(iter(_errors(exc).values()))},
                status_code=_status(exc),
                form=data,
            )
        return see_other(f"/pages/cases/{ref}?done=closed")
