"""Monitoring for the quarterly DV sub-group, as JSON or CSV, for any date range."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from litestar import Controller, MediaType, Response, get
from litestar.params import QueryParameter

from haven_options import monitoring
from haven_options.responses import JwaReport
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response


class MonitoringController(Controller):
    path = "/monitoring"
    tags = ["monitoring"]
    guards = [requires_roles("subgroup_member", "dv_lead", "team_manager", "auditor")]

    @get("/jwa", summary="JWA monitoring per borough pair (?format=csv for the pair table)")
    async def jwa(
        self,
        ctx: ServiceContext,
        principal: Principal,
        start: Annotated[datetime, QueryParameter(name="from")],
        end: Annotated[datetime, QueryParameter(name="to")],
        format: str = "json",
    ) -> Response[JwaReport]:
        data = await monitoring.jwa_report(ctx, principal, start, end)
        if format == "csv":
            return Response(cast(Any, monitoring.pairs_csv(data)), media_type="text/csv")  # the same report as CSV
        return Response(as_response(data, JwaReport), media_type=MediaType.JSON)
