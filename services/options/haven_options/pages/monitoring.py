"""The quarterly JWA monitoring report for the DV sub-group: tables with bar charts, and CSV and JSON downloads
(the JSON is the report as the API answers it, for the sub-group's own analysis)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.response import Template

from haven_options import monitoring
from haven_runtime.web import with_security_headers
from haven_runtime.web.domain import as_json, attempt, parse, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_date, page

#: Who may read the report: the API's monitoring roles
READERS = ("subgroup_member", "dv_lead", "team_manager", "auditor")
COUNTS = monitoring.PAIR_COUNTS


def quarter_of(day: date) -> tuple[datetime, datetime]:
    """The calendar quarter containing ``day``, as [start, end) in UTC."""
    first = (day.month - 1) // 3 * 3 + 1
    start = datetime(day.year, first, 1, tzinfo=UTC)
    end = datetime(day.year + (first == 10), 1 if first == 10 else first + 3, 1, tzinfo=UTC)
    return start, end


def _moment(request: Request, key: str, default: datetime) -> str:
    """``from`` / ``to`` as typed in GOV.UK date boxes (midnight UTC that day) or given whole; else the quarter's
    bound."""
    typed = form_date(dict(request.query_params), key)
    if len(typed) == 10 and typed[4] == "-" and typed[7] == "-":
        return f"{typed}T00:00:00+00:00"
    return typed or default.isoformat()


class Period(msgspec.Struct, kw_only=True):
    """The report's period as the API's ``from`` / ``to`` query parameters take it."""

    start: datetime = msgspec.field(name="from")
    end: datetime = msgspec.field(name="to")


def _period(request: Request) -> tuple[str, str]:
    start, end = quarter_of(datetime.now(UTC).date())
    return _moment(request, "from", start), _moment(request, "to", end)


async def _report(request: Request, start: str, end: str) -> dict[str, Any]:
    """The report for the period typed (a 400 naming ``from`` or ``to`` when one is not a date and time)."""
    principal = require_roles(request, *READERS)
    period = parse(Period, {"from": start, "to": end})
    return await attempt(monitoring.jwa_report(request.app.state["haven"], principal, period.start, period.end))


class MonitoringPages(PageController):
    path = "/pages/monitoring"

    @get("")
    async def report(self, request: Request) -> Template:
        start, end = _period(request)
        try:
            data = as_json(await _report(request, start, end))
        except ApiError as exc:
            return page(
                request,
                "options/monitoring.html",
                status_code=exc.status if exc.status < 500 else 500,
                data=None,
                error=exc.message,
                start=start,
                end=end,
                counts=COUNTS,
                peak=1,
            )
        peak = max([1, *(row[k] for row in data["pairs"] for k in COUNTS)])
        return page(
            request, "options/monitoring.html", data=data, error=None, start=start, end=end, counts=COUNTS, peak=peak
        )

    @get("/report.csv")
    async def csv(self, request: Request) -> Response[Any]:
        start, end = _period(request)
        return download(monitoring.pairs_csv(await _report(request, start, end)), "text/csv", "jwa-monitoring.csv")

    @get("/report.json")
    async def json(self, request: Request) -> Response[Any]:
        start, end = _period(request)
        report = msgspec.json.encode(as_json(await _report(request, start, end)))
        return download(report, "application/json", "jwa-monitoring.json")


def download(content: str | bytes, media_type: str, filename: str) -> Response[Any]:
    """The report as a file the browser saves rather than shows."""
    return with_security_headers(
        Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    )
