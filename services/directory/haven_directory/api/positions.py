"""Positions (confidential tier): who holds a post at an organisation now or on a date, its
history, and assigning it — which emits ``RoleHolderChanged`` so the options and reciprocal
services address the next notification to the new holder."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.params import Body

from haven_contracts.events.directory import Position, RoleHolder
from haven_directory import officer_records
from haven_directory.access import Purpose, audited_read, require_partner
from haven_directory.bodies import PositionChange
from haven_directory.officers import holders, holding_history, role_holder
from haven_directory.responses import HoldingOut
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, own_org_guard, requires_roles
from haven_runtime.openapi import as_response


class OfficersController(Controller):
    path = "/orgs/{org:str}/positions"
    tags = ["positions (confidential)"]

    @get("/{position:str}", summary="Who holds a position at an organisation now, or on a date")
    async def current(
        self,
        org: str,
        position: Position,
        ctx: ServiceContext,
        principal: Principal,
        purpose: Purpose,
        on: date | None = None,
    ) -> list[RoleHolder]:
        await require_partner(ctx, principal)
        found = await holders(org, [position], on)
        await audited_read(
            ctx,
            principal,
            "position",
            f"{org}:{position}",
            org=org,
            purpose=purpose,
            detail={"on": on.isoformat() if on else None},
        )
        return found

    @get("/{position:str}/history", summary="Every holding of a position, oldest first")
    async def history(
        self, org: str, position: Position, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> list[HoldingOut]:
        await audited_read(
            ctx, principal, "position", f"{org}:{position}", org=org, purpose=purpose, detail={"history": True}
        )
        return as_response(await holding_history(org, position), list[HoldingOut])

    @put(
        "/{position:str}",
        summary="Assign a position to an officer (history kept; emits RoleHolderChanged)",
        guards=[own_org_guard, requires_roles("team_manager", "dv_lead")],
    )
    async def assign(
        self,
        org: str,
        position: Position,
        data: Annotated[PositionChange, Body()],
        ctx: ServiceContext,
        principal: Principal,
    ) -> RoleHolder:
        officer = await officer_records.give_post(ctx, principal, position, data.officer_key, data.effective)
        return role_holder(officer, position)

    @delete(
        "/{position:str}/{officer_key:str}",
        summary="End an officer's holding of a position (history kept; emits RoleHolderChanged)",
        guards=[own_org_guard, requires_roles("team_manager", "dv_lead")],
    )
    async def vacate(
        self, org: str, position: Position, officer_key: str, ctx: ServiceContext, principal: Principal
    ) -> None:
        await officer_records.end_post(ctx, principal, position, officer_key)
