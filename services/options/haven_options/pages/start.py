"""The start page (served at ``/``): what needs the officer's attention now, across the suite.

Options work comes from this service's API; referrals waiting in the sanctuary and
reciprocal services come from their APIs over HTTP with the officer's own token, so each
service still decides what the officer may see. A service that does not answer is shown as
unavailable rather than failing the page.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_runtime.web import service_links
from haven_runtime.web.pages import PageController, api, api_or_none, page, see_other
from haven_runtime.web.signin import COOKIE, pages_for

DONE = {"closed", "moved", "withdrawn", "declined", "works_completed", "survey_sent", "survey_returned"}


#: What a section shows when the other service refused the officer (401/403): not "None waiting"
FORBIDDEN = "forbidden"


async def _remote(request: Request, service: str, path: str) -> Any:
    import httpx  # on the first page, not at start-up (issue 16, N7)

    base = service_links(request.app.state["haven"].settings)[service]
    try:
        async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
            reply = await client.get(path, headers={"Authorization": f"Bearer {request.cookies.get(COOKIE, '')}"})
    except httpx.HTTPError:
        return None
    if reply.status_code in (401, 403):
        return FORBIDDEN  # the officer's role may not see these: say so, never "None waiting"
    return reply.json() if reply.status_code == 200 else None


def _waiting(rows: Any) -> list[dict[str, Any]] | str | None:
    """Open referrals the other service lets this officer follow (it scopes them to the officer's organisation)."""
    if rows == FORBIDDEN:
        return FORBIDDEN
    if not isinstance(rows, list):
        return None
    return [r for r in rows if isinstance(r, dict) and r.get("status") not in DONE]


class StartPage(PageController):
    path = "/"

    @get("/")
    async def start(self, request: Request) -> Template:
        principal = request.scope["user"]
        can = pages_for(principal)
        cases = overdue = inbox = requests = emergency = []
        if can["cases"]:
            cases = await api_or_none(request, "GET", "/cases", params={"status": "open"}) or []
            overdue = [c for c in cases if c.get("interview_overdue")]
            inbox = [n for n in await api_or_none(request, "GET", "/jwa/inbox") or [] if not n.get("acknowledged")]
            requests = [r for r in await api_or_none(request, "GET", "/jwa/information-requests") or []
                        if r["responder_org"] == principal.org and not r["provided_at"]]
            emergency = await api_or_none(request, "GET", "/emergency-accommodation") or []
        sanctuary = _waiting(await _remote(request, "sanctuary", "/referrals")) if can["sanctuary"] else FORBIDDEN
        reciprocal = _waiting(await _remote(request, "reciprocal", "/referrals")) if can["reciprocal"] else FORBIDDEN
        if isinstance(reciprocal, list):  # partners' referrals a coordinator has still to take up (empty for anyone else)
            incoming = await _remote(request, "reciprocal", "/incoming-referrals")
            reciprocal = [*(incoming if isinstance(incoming, list) else []), *reciprocal]
        late_sanctuary = [(r["ref"], c["label"]) for r in (sanctuary if isinstance(sanctuary, list) else [])
                          for c in r.get("clocks", []) if c.get("overdue")]
        return page(request, "options/start.html", cases=cases[:10], overdue=overdue, inbox=inbox, requests=requests,
                    sanctuary=sanctuary, reciprocal=reciprocal, late_sanctuary=late_sanctuary, forbidden=FORBIDDEN,
                    emergency=emergency)


class EmergencyAccommodationPages(PageController):
    """The start page's emergency accommodation buttons: each posts to the API and returns to the start page."""

    path = "/pages/emergency-accommodation"

    @post("/{ref:str}/{action:str}", status_code=303)
    async def act(self, request: Request, ref: str, action: str) -> Redirect:
        await api(request, "POST", f"/emergency-accommodation/{ref}/{action}", json={})  # a refusal is shown by the page's error handler
        return see_other("/")
