"""The JWA inbox: notifications from other boroughs and information requests, with their clocks.

Acknowledge, respond and book one night of temporary accommodation are forms that call the
options API in-process and redirect back to the inbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_options.pages.cases import jwa_parties
from haven_runtime.web.pages import ApiError, PageController, api, api_or_none, form_value, page, see_other

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
DONE = {"acknowledged": "Notification acknowledged", "responded": "Information request answered",
        "booked": "One night of temporary accommodation booked"}


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
        principal = request.scope["user"]
        now = datetime.now(UTC)
        inbox = await api_or_none(request, "GET", "/jwa/inbox") or []
        requests = await api_or_none(request, "GET", "/jwa/information-requests") or []
        cases = await api_or_none(request, "GET", "/cases", params={"status": "open"}) or []
        for r in requests:
            r["remaining"] = remaining(r.get("due_at"), now)
            r["mine_to_answer"] = r["responder_org"] == principal.org and not r["provided_at"]
        parties = [(o.id, o.name) for o in jwa_parties(request) if o.id != principal.org]
        return page(request, "options/jwa.html", inbox=inbox, requests=requests, cases=cases, parties=parties,
                    done=DONE.get(request.query_params.get("done", "")))

    @get("/inbox/{ref:str}")
    async def item(self, request: Request, ref: str) -> Template:
        """One notification with the information borough A shared, when it shared any (read is audited by the API)."""
        item = await api(request, "GET", f"/jwa/inbox/{ref}", params={"purpose": "referral"})
        return page(request, "options/jwa_item.html", item=item)

    @post("/inbox/{ref:str}/acknowledge", status_code=303)
    async def acknowledge(self, request: Request, ref: str) -> Redirect:
        await api(request, "POST", f"/jwa/inbox/{ref}/acknowledge")
        return see_other("/pages/jwa?done=acknowledged")

    @post("/information-requests/{ref:str}/identify", status_code=200)
    async def identify(self, request: Request, ref: str) -> Template:
        """Which of our clients the request means: the requester's identifying details (fetched with
        consent, audited by the API) and our matching cases, each with a form to answer from it."""
        try:
            found = await api(request, "POST", f"/jwa/information-requests/{ref}/identify", params={"purpose": "casework"})
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
        await api(request, "POST", f"/jwa/information-requests/{ref}/respond", json=body)
        return see_other("/pages/jwa?done=responded")

    @post("/ta", status_code=303)
    async def book_ta(self, request: Request, data: Form) -> Redirect:
        body = {"from_org": form_value(data, "from_org")} if form_value(data, "from_org") else {}
        await api(request, "POST", f"/cases/{form_value(data, 'case_ref')}/temporary-accommodation", json=body)
        return see_other("/pages/jwa?done=booked")
