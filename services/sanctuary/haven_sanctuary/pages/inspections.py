"""The police crime-prevention officer's pages: the inspections asked of them, and one visit.

The visit page shows what the visit needs (:mod:`haven_sanctuary.police`) and the two police
steps — the appointment booked, the measures recommended — as forms posted to the same step
route as the referral page (``/pages/referrals/{ref}/steps/{step}``) with ``from=visit``, so a
refusal comes back here, next to the form, and success returns here too.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from haven_runtime.web.domain import attempt, require_roles
from haven_runtime.web.pages import PageController, page
from haven_sanctuary import police
from haven_sanctuary.steps import POLICE

#: The form field that sends a police step back to the visit page
FROM_VISIT = "visit"


async def visit_page(
    request: Request, ref: str, *, form: dict, errors: dict, status_code: int = 200, done: bool = False
) -> Template:
    """One visit for the CPO (or the scheme's officer), with the step forms the referral's status allows."""
    principal = require_roles(request, *POLICE)
    visit = await attempt(police.visit(request.app.state["haven"], principal, ref, "inspection"))
    return page(
        request,
        "sanctuary/visit.html",
        status_code=status_code,
        v=visit,
        form=form,
        errors=errors,
        done=done,
        from_visit=FROM_VISIT,
    )


class InspectionPages(PageController):
    path = "/pages/inspections"

    @get("")
    async def listing(self, request: Request) -> Template:
        principal = require_roles(request, *POLICE)
        rows = await attempt(police.inspections(request.app.state["haven"], principal))
        return page(request, "sanctuary/inspections.html", rows=rows)

    @get("/{ref:str}")
    async def visit(self, request: Request, ref: str) -> Template:
        return await visit_page(request, ref, form={}, errors={}, done=request.query_params.get("done") == "saved")
