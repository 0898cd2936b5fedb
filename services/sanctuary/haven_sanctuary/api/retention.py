"""An administrator may run the erasure of expired closed referrals now (audited)."""

from __future__ import annotations

from litestar import Controller, post

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, org_scope, requires_roles
from haven_sanctuary import retention
from haven_sanctuary.responses import Erasure


class RetentionController(Controller):
    path = "/admin/retention"
    tags = ["admin"]
    guards = [requires_roles("operator")]  # and admin, for its own organisation

    @post(
        "/erase",
        summary="Erase personal fields of referrals closed longer than the retention period (audited)",
        status_code=200,
    )
    async def erase(self, ctx: ServiceContext, principal: Principal) -> Erasure:
        return Erasure(
            erased=await retention.erase_closed(ctx, principal=principal, org=org_scope(principal)),
            retention_days=ctx.settings.retention_days,
        )
