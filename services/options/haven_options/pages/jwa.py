"""The JWA inbox: notifications from other boroughs and information requests, with their clocks.

Ask another borough for information, acknowledge, respond and book one night of temporary
accommodation are forms that call the options service's domain functions (the ones its API
controllers call) and redirect; a request has its own page, where the borough that asked
reads what the other borough shared.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_options import identification, jwa, jwa_requests, reading, ta
from haven_options.bodies import InfoRequestIn, InfoResponseIn, TaIn
from haven_options.pages.cases import OFFICERS, jwa_parties
from haven_runtime.web.domain import as_json, attempt, form_failure, parse, principal_of, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_value, page, see_other

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
DONE = {
    "acknowledged": "Notification acknowledged",
    "responded": "Information request answered",
    "booked": "One night of temporary accommodation booked",
    "asked": "Information request sent",
}
#: The ask form's fields, named in its error messages
ASK_LABELS = {"ask-case_ref": "Our case", "ask-to_org": "Borough to ask", "ask-their_case_ref": "Their case reference"}


def remaining(due: str | None, now: datetime) -> str:
    """Time left on a clock in words (``overdue by 3h``)."""
    if not due:
        return "no deadline"
    seconds = (datetime.fromisoformat(due.replace("Z", "+00:00")) - now).total_seconds()
    hours = abs(seconds) / 3600
    text = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f}h"
    return f"overdue by {text}" if seconds < 0 else f"{text} left"


class JwaPages(PageController):
    path = "/pages/jwa"

    @get("")
    async def inbox(self, request: Request) -> Template:
        return await self._inbox(request)

    async def _inbox(
        self,
        request: Request,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        ctx, principal = request.app.state["haven"], principal_of(request)
        now = datetime.now(UTC)
        inbox, requests, cases = [], [], []
        if principal.has_any({*OFFICERS, "admin"}):  # anyone else sees an empty inbox, as the API would refuse them
            inbox = as_json(await jwa.inbox(ctx, principal))
            requests = as_json(await jwa_requests.listing(ctx, principal))
            cases = as_json(await reading.case_list(ctx, principal, "open"))
        for r in requests:
            r["remaining"] = remaining(r.get("due_at"), now)
            r["mine_to_answer"] = r["responder_org"] == principal.org and not r["provided_at"]
        parties = [(o.id, o.name) for o in jwa_parties(request) if o.id != principal.org]
        return page(
            request,
            "options/jwa.html",
            status_code=status,
            form=form or {},
            errors=errors or {},
            inbox=inbox,
            requests=requests,
            cases=cases,
            parties=parties,
            done=DONE.get(request.query_params.get("done", "")),
        )

    @get("/inbox/{ref:str}")
    async def item(self, request: Request, ref: str) -> Template:
        """One notification with the information borough A shared, when it shared any (read is audited by the API)."""
        principal = require_roles(request, *OFFICERS)
        item = as_json(await attempt(jwa.read_inbox_item(request.app.state["haven"], principal, ref, "referral")))
        return page(request, "options/jwa_item.html", item=item)

    @post("/inbox/{ref:str}/acknowledge", status_code=303)
    async def acknowledge(self, request: Request, ref: str) -> Redirect:
        principal = require_roles(request, *OFFICERS)
        await attempt(jwa.acknowledge(request.app.state["haven"], principal, ref))
        return see_other("/pages/jwa?done=acknowledged")

    @post("/information-requests", status_code=303)
    async def ask(self, request: Request, data: Form) -> Redirect | Template:
        """Ask another borough about a client who approached us without its knowledge; the request's page follows."""
        body = {k: form_value(data, k) for k in ("case_ref", "to_org", "their_case_ref")}
        try:
            principal = require_roles(request, *OFFICERS)
            asked = parse(InfoRequestIn, {k: v for k, v in body.items() if v})
            row = await attempt(
                jwa_requests.ask(
                    request.app.state["haven"], principal, asked.case_ref, asked.to_org, asked.their_case_ref
                )
            )
        except ApiError as exc:
            errors, status = form_failure(exc, {k: f"ask-{k}" for k in body}, ASK_LABELS)
            return await self._inbox(request, form=data, errors=errors, status=status)
        return see_other(f"/pages/jwa/information-requests/{row.ref}?done=asked")

    @get("/information-requests/{ref:str}")
    async def information_request(self, request: Request, ref: str) -> Template:
        """One request with its clock; once answered with details shared, what the other borough shared."""
        principal = require_roles(request, *OFFICERS)
        item = as_json(
            await attempt(jwa.read_information_request(request.app.state["haven"], principal, ref, "casework"))
        )
        item["remaining"] = remaining(item.get("due_at"), datetime.now(UTC))
        return page(request, "options/jwa_request.html", item=item, done=DONE.get(request.query_params.get("done", "")))

    @post("/information-requests/{ref:str}/identify", status_code=200)
    async def identify(self, request: Request, ref: str) -> Template:
        """Which of our clients the request means: the requester's identifying details (fetched with
        consent, audited by the API) and our matching cases, each with a form to answer from it."""
        principal = require_roles(request, *OFFICERS)
        try:
            found = as_json(
                await attempt(identification.identify(request.app.state["haven"], principal, ref, "casework"))
            )
        except ApiError as exc:
            if exc.status != 409:
                raise
            return page(request, "options/jwa_identify.html", ref=ref, found=None, refused=exc.detail)
        return page(request, "options/jwa_identify.html", ref=ref, found=found, refused=None)

    @post("/information-requests/{ref:str}/respond", status_code=303)
    async def respond(self, request: Request, ref: str, data: Form) -> Redirect:
        body: dict[str, Any] = {"share": form_value(data, "share") == "yes"}
        if form_value(data, "case_ref"):
            body["case_ref"] = form_value(data, "case_ref")
        principal = require_roles(request, *OFFICERS)
        answer = parse(InfoResponseIn, body)
        await attempt(jwa_requests.respond(request.app.state["haven"], principal, ref, answer.case_ref, answer.share))
        return see_other("/pages/jwa?done=responded")

    @post("/ta", status_code=303)
    async def book_ta(self, request: Request, data: Form) -> Redirect:
        body = {"from_org": form_value(data, "from_org")} if form_value(data, "from_org") else {}
        principal = require_roles(request, *OFFICERS)
        booking = parse(TaIn, body)
        await attempt(
            ta.book_for(
                request.app.state["haven"], principal, form_value(data, "case_ref"), booking.night_of, booking.from_org
            )
        )
        return see_other("/pages/jwa?done=booked")
