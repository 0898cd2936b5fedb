"""Partners' cases referred into the reciprocal from their options service (coordinator)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_reciprocal import incoming


class IncomingController(Controller):
    path = "/incoming"
    tags = ["referrals"]

    @get("", summary="Cases partners referred into the reciprocal from their options service (coordinator)")
    async def list_incoming(self, ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
        return await incoming.listed(ctx, principal)

    @post("/{ref:str}/details/fetch", summary="Ask the referring partner for the household's details (consent-checked there; shown, not stored)",
          status_code=200)
    async def fetch_details(self, ref: str, ctx: ServiceContext, principal: Principal) -> dict[str, Any]:
        return await incoming.fetch_details(ctx, principal, ref)
