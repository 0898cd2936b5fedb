"""Monitoring for the quarterly DV sub-group, as JSON or CSV, for any date range."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, MediaType, Response, get
from litestar.params import QueryParameter

from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal, requires_roles
from haven_options import monitoring

ALL_PAIRS_ROLES = frozenset({"subgroup_member", "auditor", "admin"})


class MonitoringController(Controller):
    path = "/monitoring"
    tags = ["monitoring"]
    guards = [requires_roles("subgroup_member", "dv_lead", "team_manager", "auditor")]

    @get("/jwa", summary="JWA monitoring per borough pair (?format=csv for the pair table)")
    async def jwa(self, ctx: ServiceContext, principal: Principal,
                  start: Annotated[datetime, QueryParameter(name="from")], end: Annotated[datetime, QueryParameter(name="to")],
                  format: str = "json") -> Response[Any]:
        if start.tzinfo is None or end.tzinfo is None:
            raise unprocessable("from" if start.tzinfo is None else "to", "needs a timezone, e.g. 2026-01-01T00:00:00Z")
        if end <= start:
            raise unprocessable("to", "must be after from")
        orgs = None if principal.roles & ALL_PAIRS_ROLES else {principal.org}
        data = await monitoring.report(ctx, start, end, orgs)
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read", "monitoring", "jwa", entity_org=principal.org, purpose="DV sub-group monitoring")
        if format == "csv":
            return Response(monitoring.pairs_csv(data), media_type="text/csv")
        return Response(data, media_type=MediaType.JSON)
