"""Directory HTTP API: named officers and position changes (confidential tier: officers only)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.exceptions import NotFoundException
from litestar.params import Body

from haven_contracts.events.directory import Position, RoleHolder
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, own_org_guard, requires_roles
from haven_directory.officers import assign_position, holders
from haven_directory.tables import Officer


class PositionChange(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    officer_key: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    effective: date | None = None


class OfficersController(Controller):
    path = "/orgs/{org:str}/positions"
    tags = ["officers"]

    @get("/{position:str}", summary="Who holds a position at an organisation now")
    async def current(self, org: str, position: Position, ctx: ServiceContext, principal: Principal) -> list[RoleHolder]:
        found = await holders(org, [position])
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read", "position", f"{org}:{position}", entity_org=org, purpose="directory lookup")
        return found

    @put(
        "/{position:str}",
        summary="Assign a position to an officer (history kept)",
        guards=[own_org_guard, requires_roles("team_manager", "dv_lead")],
    )
    async def assign(
        self, org: str, position: Position, data: Annotated[PositionChange, Body()], ctx: ServiceContext, principal: Principal
    ) -> RoleHolder:
        officer = await Officer.objects().where((Officer.key == data.officer_key) & (Officer.org == org)).first()
        if officer is None:
            raise NotFoundException(f"officer_key: no officer {data.officer_key!r} at {org}")
        async with ctx.store.transaction() as uow:
            await assign_position(uow, org, position, officer.key, principal.sub, data.effective or datetime.now(UTC).date())
            await uow.audit(principal, "update", "position", f"{org}:{position}", entity_org=org, purpose="position change")
        return RoleHolder(officer_id=officer.key, position=position, name=officer.name, email=officer.email, phone=officer.phone)
