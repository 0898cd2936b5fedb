"""Endpoints every service has: liveness, readiness and the loaded plugins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec

from haven_runtime import db
from haven_runtime.context import ServiceContext


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", summary="The process is up")
    async def live(self, ctx: ServiceContext) -> dict[str, str]:
        return {"status": "live", "service": ctx.service}

    @get(
        "/ready",
        summary="Database and bus reachable",
        responses={503: ResponseSpec(data_container=dict[str, Any], description="Database or bus unreachable")},
    )
    async def ready(self, ctx: ServiceContext) -> Response[dict[str, Any]]:
        database = await db.ping(ctx.engine)
        bus = ctx.bus_ready and ctx.broker.connection is not None and ctx.broker.connection.is_connected
        ok = database and bus
        body = {
            "status": "ready" if ok else "unavailable",
            "service": ctx.service,
            "database": database,
            "bus": bool(bus),
            "outbox_backlog": ctx.relay.backlog,
        }
        return Response(body, status_code=200 if ok else 503)


class PluginsController(Controller):
    path = "/-/plugins"
    tags = ["plugins"]

    @get("", summary="Loaded plugins, the organisations they serve and their hooks")
    async def list_plugins(self, ctx: ServiceContext) -> dict[str, Any]:
        return {
            "plugins": [p.as_dict() for p in ctx.plugins.sorted_plugins()],
            "failures": [{"name": f.name, "reason": f.reason} for f in ctx.plugins.failures],
        }
