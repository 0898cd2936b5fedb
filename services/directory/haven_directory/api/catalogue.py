"""The officers' catalogue (confidential tier): every service including confidential ones,
with refuge locations, forums and panels; adding and correcting entries with history;
capacity updates (HSDS 3.1 ``service_capacity``) that emit ``ServiceCapacityUpdated``."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import Body

from haven_contracts.events.directory import ServiceCapacityUpdated
from haven_contracts.plugin.directory import LocationRecord, Phone, ServiceRecord, Session
from haven_directory import hsds
from haven_directory.access import Purpose, audited_read, may_edit, require_partner
from haven_directory.api.hsds import full_services, public_services
from haven_directory.bodies import CapacityIn, LocationIn, OrganisationPatch, ServiceIn, ServicePatch, set_fields
from haven_directory.capacity import UNITS, update_capacity
from haven_directory.corrections import check_locations, check_taxonomy, correct_organisation, correct_service
from haven_directory.history import history_of
from haven_directory.hsds_schemas import HsdsOrganization, HsdsService
from haven_directory.listings import publish_listing
from haven_directory.organisations import by_key
from haven_directory.responses import ForumOut, HistoryEntry, LocationCreated
from haven_directory.services_catalogue import (
    forums,
    location_view,
    service_by_id,
    upsert_location,
    upsert_service,
)
from haven_directory.tables import CatalogueService, DirLocation, DirOrganisation
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, not_found, unprocessable
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response

EDITORS = requires_roles("dv_lead", "team_manager")
CAPACITY_ROLE_NAMES = ("dv_lead", "team_manager", "reciprocal_coordinator", "integrator", "admin")
CAPACITY_ROLES = requires_roles(*CAPACITY_ROLE_NAMES)


def _decryptor(ctx: ServiceContext):
    def decrypt(loc: DirLocation) -> tuple[str | None, str | None]:
        view = location_view(ctx, loc)
        return view["address_1"], view["postal_code"]

    return decrypt


async def _service_view(ctx: ServiceContext, row: CatalogueService) -> HsdsService:
    org = await by_key(row.org)
    orgs = {row.org: org} if org else {}
    return HsdsService((await full_services([row], orgs, tier="confidential", decrypt=_decryptor(ctx)))[0])


class CatalogueController(Controller):
    path = "/catalogue"
    tags = ["catalogue (confidential)"]

    @get("/services", summary="Every service, confidential ones included (HSDS shape, audited)")
    async def list_services(
        self,
        ctx: ServiceContext,
        principal: Principal,
        purpose: Purpose,
        taxonomy_term_id: str | None = None,
        organization_id: str | None = None,
        search: str | None = None,
    ) -> list[HsdsService]:
        await require_partner(ctx, principal)
        rows = await public_services(
            taxonomy_term_id=taxonomy_term_id, organization_id=organization_id, search=search, include_confidential=True
        )
        orgs = {o.key: o for o in await DirOrganisation.objects()}
        items = await full_services(rows, orgs, tier="confidential", decrypt=_decryptor(ctx))
        await audited_read(ctx, principal, "service", "list", purpose=purpose, detail={"count": len(items)})
        return [HsdsService(i) for i in items]

    @get("/services/{ident:str}", summary="One service with its confidential locations (audited)")
    async def read_service(
        self, ident: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> HsdsService:
        await require_partner(ctx, principal)
        row = await service_by_id(ident)
        if row is None:
            raise not_found("service")
        await audited_read(ctx, principal, "service", row.key, org=row.org, purpose=purpose)
        return await _service_view(ctx, row)

    @get("/services/{ident:str}/history", summary="Corrections to one service (audited)")
    async def service_history(
        self, ident: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> list[HistoryEntry]:
        await require_partner(ctx, principal)
        row = await service_by_id(ident)
        if row is None:
            raise not_found("service")
        await audited_read(ctx, principal, "service", row.key, org=row.org, purpose=purpose, detail={"history": True})
        return as_response(await history_of("service", row.key, include_confidential=True), list[HistoryEntry])

    @post("/services", summary="Add a service of your organisation", guards=[EDITORS])
    async def create_service(
        self, data: Annotated[ServiceIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> HsdsService:
        await require_partner(ctx, principal)
        check_taxonomy(data.taxonomy)
        await check_locations(data.location_keys, principal.org)
        if await CatalogueService.exists().where(CatalogueService.key == data.key):
            raise conflict(f"service {data.key!r} already exists", field="key")
        rec = msgspec.convert({**msgspec.to_builtins(data), "org": principal.org, "source": "api"}, ServiceRecord)
        async with ctx.store.transaction() as uow:
            await upsert_service(rec, changed_by=principal.sub)
            await publish_listing(uow, principal.org)
            await uow.audit(
                principal, "create", "service", data.key, entity_org=principal.org, purpose="directory correction"
            )
        created = await service_by_id(data.key)
        assert created is not None, "inserted above"
        return await _service_view(ctx, created)

    @patch("/services/{ident:str}", summary="Correct a service (history kept)", guards=[EDITORS])
    async def correct_service(
        self, ident: str, data: Annotated[ServicePatch, Body()], ctx: ServiceContext, principal: Principal
    ) -> HsdsService:
        row = await correct_service(ctx, principal, ident, msgspec.to_builtins(set_fields(data)))
        return await _service_view(ctx, row)

    @put(
        "/services/{ident:str}/capacity",
        summary="Set a service's capacity (emits ServiceCapacityUpdated)",
        guards=[CAPACITY_ROLES],
    )
    async def set_capacity(
        self, ident: str, data: Annotated[CapacityIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ServiceCapacityUpdated:
        await require_partner(ctx, principal)
        row = await service_by_id(ident)
        if row is None:
            raise not_found("service")
        await may_edit(ctx, principal, "service_capacity", row.key, row.org, roles=CAPACITY_ROLE_NAMES)
        if data.maximum is not None and data.available > data.maximum:
            raise unprocessable("available", "must not exceed maximum")
        async with ctx.store.transaction() as uow:
            event = await update_capacity(
                uow,
                row,
                unit=data.unit,
                available=data.available,
                maximum=data.maximum,
                description=data.description or UNITS[data.unit],
                changed_by=principal.sub,
                changed_by_org=principal.org,
            )
            row.updated_at = event.updated
            await row.save()
            await uow.audit(
                principal,
                "update",
                "service_capacity",
                event.capacity_id,
                entity_org=row.org,
                purpose="capacity update",
            )
        return event

    @post(
        "/locations",
        summary="Add a location of your organisation (addresses encrypted; confidential by default)",
        guards=[EDITORS],
    )
    async def create_location(
        self, data: Annotated[LocationIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> LocationCreated:
        await require_partner(ctx, principal)
        if await DirLocation.exists().where(DirLocation.key == data.key):
            raise conflict(f"location {data.key!r} already exists", field="key")
        rec = LocationRecord(org=principal.org, source="api", **msgspec.structs.asdict(data))
        async with ctx.store.transaction() as uow:
            await upsert_location(ctx, rec, changed_by=principal.sub)
            await uow.audit(
                principal, "create", "location", data.key, entity_org=principal.org, purpose="directory correction"
            )
        return LocationCreated(key=data.key, id=hsds.stable_id("location", data.key), confidential=data.confidential)

    @get("/forums", summary="Forums and panels (MARAC, DV forums, steering groups) and their cadence")
    async def list_forums(self, ctx: ServiceContext, principal: Principal, org: str | None = None) -> list[ForumOut]:
        await require_partner(ctx, principal)
        return as_response(await forums(org), list[ForumOut])

    @patch(
        "/organisations/{key:str}", summary="Correct your organisation's public entry (history kept)", guards=[EDITORS]
    )
    async def correct_organisation(
        self, key: str, data: Annotated[OrganisationPatch, Body()], ctx: ServiceContext, principal: Principal
    ) -> HsdsOrganization:
        return HsdsOrganization(await correct_organisation(ctx, principal, key, msgspec.to_builtins(set_fields(data))))


__all__ = ["CatalogueController", "Phone", "Session"]
