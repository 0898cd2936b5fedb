"""Reciprocal pages: referrals by ARC and stage, the pool and proposed matches, the ledger as a chart.

Pages show ARCs and references only; the household behind an ARC stays behind the audited
identity endpoint. Actions (run the matcher, confirm or reject a proposal) are forms that
call the reciprocal API in-process and redirect back.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from haven_runtime.web.pages import PageController, api, api_or_none, page, see_other

TEMPLATES = Path(__file__).parent.parent / "templates"


def ledger_chart(balances: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Rows per partner, one bar per bedroom size, scaled to the largest absolute balance."""
    by_partner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in balances:
        by_partner[b["partner"]].append(b)
    peak = max([1, *(abs(b["balance"]) for b in balances)])
    rows = [{"partner": p, "bars": [{"bedrooms": b["bedrooms"], "balance": b["balance"], "pct": round(50 * abs(b["balance"]) / peak, 1)}
                                   for b in sorted(bs, key=lambda x: x["bedrooms"])],
             "total": sum(b["balance"] for b in bs)} for p, bs in sorted(by_partner.items())]
    return rows, peak


def _done(request: Request) -> str | None:
    """What ``?done=`` says after an action, in words."""
    done = request.query_params.get("done")
    if done == "proposed":
        count = request.query_params.get("count", "0")
        return f"Matcher run: {count} match{'es' if count != '1' else ''} proposed"
    return {"confirmed": "Proposal confirmed", "rejected": "Proposal rejected"}.get(done or "")


class ReciprocalPages(PageController):
    path = "/pages"

    @get("/")
    async def board(self, request: Request) -> Template:
        referrals = await api_or_none(request, "GET", "/referrals") or []
        stages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in referrals:
            stages[r["status"]].append(r)
        properties = await api_or_none(request, "GET", "/properties") or []
        proposals = await api_or_none(request, "GET", "/matching/proposals")
        schemes = await api_or_none(request, "GET", "/schemes") or []
        return page(request, "reciprocal/board.html", stages=dict(stages), properties=properties, proposals=proposals,
                    schemes=schemes, done=_done(request))

    @post("/matching/run", status_code=303)
    async def run(self, request: Request) -> Redirect:
        result = await api(request, "POST", "/matching/run")
        return see_other(f"/pages/?done=proposed&count={len(result['proposals'])}")

    @post("/proposals/{ref:str}/{decision:str}", status_code=303)
    async def decide(self, request: Request, ref: str, decision: str) -> Redirect:
        if decision in ("confirm", "reject"):
            await api(request, "POST", f"/matching/proposals/{ref}/{decision}")
        return see_other("/pages/?done=confirmed" if decision == "confirm" else "/pages/?done=rejected")

    @get("/ledger/{scheme:str}")
    async def ledger(self, request: Request, scheme: str) -> Template:
        data = await api(request, "GET", f"/schemes/{scheme}/ledger")
        rows, peak = ledger_chart(data["balances"])
        organisation = request.app.state["haven"].plugins.organisation(scheme)
        return page(request, "reciprocal/ledger.html", scheme=scheme, scheme_name=organisation.name if organisation else None,
                    rows=rows, peak=peak, total=data["total"])


PAGES = [ReciprocalPages]
