"""The start page (served at ``/``): what needs the officer's attention in the options service.

Options work comes from this service's domain functions, the ones its API controllers call,
including the referrals the organisation's cases opened that are still waiting — to the
reciprocal coordinator, the landlord, floating support — each with its clock. The queues the
sanctuary and reciprocal services keep (a sanctuary officer's referrals by stage, a coordinator's
or named lead's referrals) live in those services' own databases: services never call each other,
and the options service holds no copy of them, so the start page links to their pages for those.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_options import emergency_accommodation as ea
from haven_options import jwa, jwa_requests, reading, referrals
from haven_options.pages.cases import OFFICERS
from haven_runtime.web.domain import as_json, attempt, principal_of, require_roles
from haven_runtime.web.pages import PageController, page, see_other
from haven_runtime.web.signin import pages_for


class StartPage(PageController):
    path = "/"

    @get("/")
    async def start(self, request: Request) -> Template:
        ctx, principal = request.app.state["haven"], principal_of(request)
        can = pages_for(principal)
        cases = overdue = inbox = requests = emergency = waiting = []
        if can["cases"] and principal.has_any({*OFFICERS, "admin"}):
            cases = as_json(await reading.case_list(ctx, principal, "open"))
            overdue = [c for c in cases if c["interview_overdue"]]
            inbox = [n for n in as_json(await jwa.inbox(ctx, principal)) if not n["acknowledged"]]
            requests = [
                r
                for r in as_json(await jwa_requests.listing(ctx, principal))
                if r["responder_org"] == principal.org and not r["provided_at"]
            ]
            emergency = as_json(await ea.tasks(ctx, principal))
            waiting = as_json(await referrals.waiting(ctx, principal))
        return page(
            request,
            "options/start.html",
            cases=cases[:10],
            overdue=overdue,
            inbox=inbox,
            requests=requests,
            emergency=emergency,
            waiting=waiting,
        )


class EmergencyAccommodationPages(PageController):
    """The start page's emergency accommodation buttons: each records the step and returns to the start page."""

    path = "/pages/emergency-accommodation"

    @post("/{ref:str}/arranged", status_code=303)
    async def arranged(self, request: Request, ref: str) -> Redirect:
        principal = require_roles(request, *OFFICERS)
        await attempt(
            ea.arranged(request.app.state["haven"], principal, ref, None)
        )  # a refusal is shown by the page's error handler
        return see_other("/")

    @post("/{ref:str}/return-safe", status_code=303)
    async def return_safe(self, request: Request, ref: str) -> Redirect:
        principal = require_roles(request, *OFFICERS)
        await attempt(ea.return_safe(request.app.state["haven"], principal, ref, None, None))
        return see_other("/")
