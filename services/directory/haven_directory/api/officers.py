"""Officer records (confidential tier): list, read, add and correct officers, with history.

Officers' direct contacts are never published; every read here is audited with its purpose.
Ending an officer (``active: false``) vacates their positions and emits ``RoleHolderChanged``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import Body

from haven_directory import officer_records
from haven_directory.access import Purpose, audited_read, require_partner
from haven_directory.bodies import OfficerIn, OfficerPatch, Sex, set_fields
from haven_directory.history import history_of
from haven_directory.responses import HistoryEntry, OfficerOut
from haven_directory.tables import Officer
from haven_runtime.context import ServiceContext
from haven_runtime.errors import not_found
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response

SENIOR = requires_roles("dv_lead", "team_manager")


async def officer_out(row: Officer) -> OfficerOut:
    return OfficerOut(**await officer_records.view(row))


class OfficerRecordsController(Controller):
    path = "/officers"
    tags = ["officers (confidential)"]

    @get("", summary="Officers of partner organisations (audited)")
    async def list_officers(
        self,
        ctx: ServiceContext,
        principal: Principal,
        purpose: Purpose,
        org: str | None = None,
        sex: Sex | None = None,
        dv_specialism: bool | None = None,
        active: bool | None = True,
    ) -> list[OfficerOut]:
        """Filters combine with AND (e.g. Bromley's female options officers, for interview routing)."""
        q = Officer.objects().order_by(Officer.org).order_by(Officer.key)
        if org:
            q = q.where(Officer.org == org)
        if sex is not None:
            q = q.where(Officer.sex == sex)
        if dv_specialism is not None:
            q = q.where(Officer.dv_specialism == dv_specialism)
        if active is not None:
            q = q.where(Officer.active == active)
        rows = await q
        await audited_read(
            ctx, principal, "officer", f"list:{org or '*'}", org=org or "", purpose=purpose, detail={"count": len(rows)}
        )
        return [await officer_out(r) for r in rows]

    @get("/{key:str}", summary="One officer (audited)")
    async def read(self, key: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> OfficerOut:
        await require_partner(ctx, principal)
        row = await Officer.objects().where(Officer.key == key).first()
        if row is None:
            raise not_found("officer")
        await audited_read(ctx, principal, "officer", key, org=row.org, purpose=purpose)
        return await officer_out(row)

    @get("/{key:str}/history", summary="Corrections to one officer's record (audited)")
    async def history(
        self, key: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> list[HistoryEntry]:
        await audited_read(ctx, principal, "officer", key, purpose=purpose, detail={"history": True})
        return as_response(await history_of("officer", key, include_confidential=True), list[HistoryEntry])

    @post("", summary="Add an officer to your organisation", guards=[SENIOR])
    async def create(self, data: Annotated[OfficerIn, Body()], ctx: ServiceContext, principal: Principal) -> OfficerOut:
        return OfficerOut(**await officer_records.add(ctx, principal, msgspec.structs.asdict(data)))

    @patch("/{key:str}", summary="Correct an officer's record (history kept)", guards=[SENIOR])
    async def correct(
        self, key: str, data: Annotated[OfficerPatch, Body()], ctx: ServiceContext, principal: Principal
    ) -> OfficerOut:
        await require_partner(ctx, principal)
        return OfficerOut(**await officer_records.correct(ctx, principal, key, set_fields(data)))
