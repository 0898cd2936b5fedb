"""The owed-property ledger as a chart, and one quarter's movements and closing balances
(seed ``002_c1c7b199d9a53274.txt``: "The referring Local Authority or registered provider then
owes an equal size property"). Read with :func:`haven_reciprocal.ledger.may_read`, as the API does.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from litestar import Request, get
from litestar.response import Template

from haven_reciprocal import ledger
from haven_reciprocal.pages.common import officer, reciprocal_page
from haven_reciprocal.partners import scheme_of
from haven_runtime.context import ServiceContext
from haven_runtime.web.domain import attempt
from haven_runtime.web.pages import ApiError, PageController

QUARTERS_SHOWN = 8


def ledger_chart(balances: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Rows per partner, one bar per bedroom size, scaled to the largest absolute balance."""
    by_partner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in balances:
        by_partner[b["partner"]].append(b)
    peak = max([1, *(abs(b["balance"]) for b in balances)])
    rows = [
        {
            "partner": p,
            "bars": [
                {"bedrooms": b["bedrooms"], "balance": b["balance"], "pct": round(50 * abs(b["balance"]) / peak, 1)}
                for b in sorted(bs, key=lambda x: x["bedrooms"])
            ],
            "total": sum(b["balance"] for b in bs),
        }
        for p, bs in sorted(by_partner.items())
    ]
    return rows, peak


def recent_quarters(now: datetime, count: int = QUARTERS_SHOWN) -> list[tuple[str, str]]:
    """The latest ``count`` quarters, newest first, as (``2026Q4``, "October to December 2026")."""
    spans = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}
    year, quarter = now.year, (now.month - 1) // 3 + 1
    shown = []
    for _ in range(count):
        shown.append((f"{year}Q{quarter}", f"{spans[quarter]} {year}"))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return shown


def _plain(rows: list[ledger.Balance]) -> list[dict[str, Any]]:
    return [{"partner": b.partner, "bedrooms": b.bedrooms, "balance": b.balance} for b in rows]


class LedgerPages(PageController):
    path = "/pages/ledger"

    @get("/{scheme:str}")
    async def ledger(self, request: Request, ctx: ServiceContext, scheme: str) -> Template:
        me = await officer(ctx, request)
        await attempt(_readable(ctx, me.principal, scheme))
        rows, peak = ledger_chart(_plain(await ledger.balances(scheme)))
        quarters = recent_quarters(ctx.now())
        label = request.query_params.get("quarter") or quarters[0][0]
        try:
            chosen = await ledger.quarter(scheme, label)
        except ValueError:
            raise ApiError(400, {"detail": "quarter: choose a quarter from the list"}) from None
        return reciprocal_page(
            request,
            "reciprocal/ledger.html",
            me,
            scheme=scheme,
            scheme_name=scheme_of(ctx, scheme).name,
            rows=rows,
            peak=peak,
            total=sum(r["total"] for r in rows),
            quarters=quarters,
            quarter=label,
            quarter_name=dict(quarters).get(label, label),
            movements=_plain(chosen["movements"]),
            closing=_plain(chosen["closing"]),
            postings=chosen["postings"],
        )


async def _readable(ctx: ServiceContext, principal, scheme: str) -> None:
    scheme_of(ctx, scheme)
    await ledger.may_read(principal, scheme)
