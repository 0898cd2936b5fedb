"""Scheme settings (public: office hours, clocks, catalogue, funding rules) and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter

from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound
from haven_runtime.identity import Principal, requires_roles
from haven_sanctuary import funding
from haven_sanctuary.schemes import Scheme, all_schemes, scheme_for


def scheme_view(s: Scheme) -> dict:
    return {
        "org": s.org, "name": s.name, "borough": s.borough, "police_org": s.police_org,
        "office_hours": msgspec.to_builtins(s.office_hours), "works_categories": list(s.works_categories),
        "clocks": msgspec.to_builtins(s.clocks), "catalogue": msgspec.to_builtins(s.catalogue),
        "funding": msgspec.to_builtins(s.funding), "cost_to_victim_pence": funding.COST_TO_VICTIM_PENCE, "source": s.source,
    }


class SchemeController(Controller):
    path = "/schemes"
    tags = ["schemes"]

    @get("", summary="Every sanctuary scheme hosted here")
    async def list_schemes(self, ctx: ServiceContext) -> list[dict]:
        return [scheme_view(s) for s in all_schemes(ctx)]

    @get("/{org:str}", summary="One scheme: office hours, clocks, catalogue, funding rules")
    async def get_scheme(self, org: str, ctx: ServiceContext) -> dict:
        scheme = scheme_for(ctx, org) if ctx.plugins.serves(org) else None
        if scheme is None:
            raise NotFound(f"{org} runs no sanctuary scheme here")
        return scheme_view(scheme)


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [requires_roles("sanctuary_officer", "auditor", "team_manager")]

    @get("/funding", summary="Cost of completed works by funding source for my scheme")
    async def funding_report(self, ctx: ServiceContext, principal: Principal,
                             since: Annotated[datetime | None, QueryParameter(name="from")] = None,
                             until: Annotated[datetime | None, QueryParameter(name="to")] = None) -> dict:
        return await funding.report(principal.org, since, until)
