"""Scheme settings (public: office hours, clocks, catalogue, funding rules) and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response
from haven_sanctuary import funding, views
from haven_sanctuary.responses import FundingReport, SchemeOut
from haven_sanctuary.schemes import all_schemes


class SchemeController(Controller):
    path = "/schemes"
    tags = ["schemes"]

    @get("", summary="Every sanctuary scheme hosted here")
    async def list_schemes(self, ctx: ServiceContext) -> list[SchemeOut]:
        return [as_response(views.scheme_view(s), SchemeOut) for s in all_schemes(ctx)]

    @get("/{org:str}", summary="One scheme: office hours, clocks, catalogue, funding rules")
    async def get_scheme(self, org: str, ctx: ServiceContext) -> SchemeOut:
        return as_response(views.scheme(ctx, org), SchemeOut)


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [requires_roles("sanctuary_officer", "auditor", "team_manager")]

    @get("/funding", summary="Cost of completed works by funding source for my scheme")
    async def funding_report(
        self,
        ctx: ServiceContext,
        principal: Principal,
        since: Annotated[datetime | None, QueryParameter(name="from")] = None,
        until: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> FundingReport:
        return as_response(await funding.report(principal.org, since, until), FundingReport)
