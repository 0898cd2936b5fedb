"""Where a partner holds stock: the areas in which it may offer properties into the pool."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.params import Body

from haven_reciprocal import partners
from haven_reciprocal.bodies import StockAreasIn
from haven_reciprocal.responses import StockAreasOut
from haven_runtime.context import ServiceContext
from haven_runtime.errors import forbidden
from haven_runtime.identity import Principal


class StockAreasController(Controller):
    path = "/schemes/{scheme:str}/partners/{org:str}/stock-areas"
    tags = ["partners"]

    @put(
        "",
        summary="Record the scheme areas where a partner holds stock it can offer (coordinator or the partner's leads)",
        status_code=200,
    )
    async def record(
        self, scheme: str, org: str, data: Annotated[StockAreasIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> StockAreasOut:
        row = await partners.record_stock_areas(ctx, principal, scheme, org, list(data.areas))
        return StockAreasOut(scheme=scheme, org=org, stock_areas=list(partners.stock_areas_of(ctx, row)))

    @get("", summary="Where a partner may offer properties (empty: any area of the scheme)")
    async def show(self, scheme: str, org: str, ctx: ServiceContext, principal: Principal) -> StockAreasOut:
        partners.scheme_of(ctx, scheme)
        if not (partners.is_coordinator(principal, scheme) or principal.org == org):
            raise forbidden()
        row = await partners.partner(scheme, org)
        if row is None:
            raise forbidden()
        return StockAreasOut(scheme=scheme, org=org, stock_areas=list(partners.stock_areas_of(ctx, row)))
