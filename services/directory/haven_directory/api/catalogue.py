"""The officers' catalogue (confidential tier): every service including confidential ones,
with refuge locations, forums and panels; adding and correcting entries with history;
capacity updates (HSDS 3.1 ``service_capacity``) that emit ``ServiceCapacityUpdated``."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import Body

from haven_contracts.plugin.directory import LocationRecord, Phone, ServiceRecord, Session
from haven_directory import hsds
from haven_directory.api.common import Purpose, audited_read, may_edit, require_partner
from haven_directory.api.hsds import full_services, public_services
from haven_directory.api.officers import KEY, Email, set_fields
from haven_directory.capacity import UNITS, update_capacity
from haven_directory.corrections import check_locations, check_taxonomy, correct_organisation, correct_service
from haven_directory.history import history_of
from haven_directory.listings import publish_listing
from haven_directory.organisations import by_key
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

Str300 = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=4000)]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://\S+$", max_length=500)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
EDITORS = requires_roles("dv_lead", "team_manager")
CAPACITY_ROLE_NAMES = ("dv_lead", "team_manager", "reciprocal_coordinator", "integrator", "admin")
CAPACITY_ROLES = requires_roles(*CAPACITY_ROLE_NAMES)


class PhoneIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    number: Annotated[str, msgspec.Meta(pattern=r"^[0-9+() -]{3,50}$")]
    description: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class SessionIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    freq: Literal["WEEKLY", "MONTHLY"] = "WEEKLY"
    byday: (
        Annotated[str, msgspec.Meta(pattern=r"^(-?[0-9]?(MO|TU|WE|TH|FR|SA|SU))(,-?[0-9]?(MO|TU|WE|TH|FR|SA|SU))*$")]
        | None
    ) = None
    interval: Annotated[int, msgspec.Meta(ge=1, le=52)] | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    description: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class ServiceIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: KEY
    name: Str300
    description: LongText = ""
    taxonomy: list[Annotated[str, msgspec.Meta(max_length=50)]] = []
    eligibility: LongText | None = None
    application_process: LongText | None = None
    fees: LongText | None = None
    email: Email | None = None
    url: Url | None = None
    phones: list[PhoneIn] = []
    schedules: list[SessionIn] = []
    location_keys: list[KEY] = []
    area: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    confidential: bool = False


class ServicePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Str300 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    taxonomy: list[Annotated[str, msgspec.Meta(max_length=50)]] | msgspec.UnsetType = msgspec.UNSET
    eligibility: LongText | None | msgspec.UnsetType = msgspec.UNSET
    application_process: LongText | None | msgspec.UnsetType = msgspec.UNSET
    fees: LongText | None | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    url: Url | None | msgspec.UnsetType = msgspec.UNSET
    phones: list[PhoneIn] | msgspec.UnsetType = msgspec.UNSET
    schedules: list[SessionIn] | msgspec.UnsetType = msgspec.UNSET
    location_keys: list[KEY] | msgspec.UnsetType = msgspec.UNSET
    area: Annotated[str, msgspec.Meta(max_length=200)] | None | msgspec.UnsetType = msgspec.UNSET
    confidential: bool | msgspec.UnsetType = msgspec.UNSET
    status: Literal["active", "inactive", "defunct", "temporarily closed"] | msgspec.UnsetType = msgspec.UNSET


class LocationIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: KEY
    name: Str300
    address_1: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    city: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    postal_code: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    confidential: bool = True


class CapacityIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    unit: Literal["bed-space", "family-unit", "referral-slot", "appointment"] = "bed-space"
    available: Count
    maximum: Count | None = None
    description: Annotated[str, msgspec.Meta(max_length=300)] = ""


class OrganisationPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Str300 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    url: Url | None | msgspec.UnsetType = msgspec.UNSET
    phones: list[PhoneIn] | msgspec.UnsetType = msgspec.UNSET


def _decryptor(ctx: ServiceContext):
    def decrypt(loc: DirLocation) -> tuple[str | None, str | None]:
        view = location_view(ctx, loc)
        return view["address_1"], view["postal_code"]

    return decrypt


async def _service_view(ctx: ServiceContext, row: CatalogueService) -> dict[str, Any]:
    org = await by_key(row.org)
    return (await full_services([row], {row.org: org} if org else {}, tier="confidential", decrypt=_decryptor(ctx)))[0]


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
    ) -> list[dict[str, Any]]:
        await require_partner(ctx, principal)
        rows = await public_services(
            taxonomy_term_id=taxonomy_term_id, organization_id=organization_id, search=search, include_confidential=True
        )
        orgs = {o.key: o for o in await DirOrganisation.objects()}
        items = await full_services(rows, orgs, tier="confidential", decrypt=_decryptor(ctx))
        await audited_read(ctx, principal, "service", "list", purpose=purpose, detail={"count": len(items)})
        return items

    @get("/services/{ident:str}", summary="One service with its confidential locations (audited)")
    async def read_service(
        self, ident: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> dict[str, Any]:
        await require_partner(ctx, principal)
        row = await service_by_id(ident)
        if row is None:
            raise not_found("service")
        await audited_read(ctx, principal, "service", row.key, org=row.org, purpose=purpose)
        return await _service_view(ctx, row)

    @get("/services/{ident:str}/history", summary="Corrections to one service (audited)")
    async def service_history(
        self, ident: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> list[dict[str, Any]]:
        await require_partner(ctx, principal)
        row = await service_by_id(ident)
        if row is None:
            raise not_found("service")
        await audited_read(ctx, principal, "service", row.key, org=row.org, purpose=purpose, detail={"history": True})
        return await history_of("service", row.key, include_confidential=True)

    @post("/services", summary="Add a service of your organisation", guards=[EDITORS])
    async def create_service(
        self, data: Annotated[ServiceIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> dict[str, Any]:
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
    ) -> dict[str, Any]:
        row = await correct_service(ctx, principal, ident, msgspec.to_builtins(set_fields(data)))
        return await _service_view(ctx, row)

    @put(
        "/services/{ident:str}/capacity",
        summary="Set a service's capacity (emits ServiceCapacityUpdated)",
        guards=[CAPACITY_ROLES],
    )
    async def set_capacity(
        self, ident: str, data: Annotated[CapacityIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> dict[str, Any]:
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
        return msgspec.to_builtins(event)

    @post(
        "/locations",
        summary="Add a location of your organisation (addresses encrypted; confidential by default)",
        guards=[EDITORS],
    )
    async def create_location(
        self, data: Annotated[LocationIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> dict[str, Any]:
        await require_partner(ctx, principal)
        if await DirLocation.exists().where(DirLocation.key == data.key):
            raise conflict(f"location {data.key!r} already exists", field="key")
        rec = LocationRecord(org=principal.org, source="api", **msgspec.structs.asdict(data))
        async with ctx.store.transaction() as uow:
            await upsert_location(ctx, rec, changed_by=principal.sub)
            await uow.audit(
                principal, "create", "location", data.key, entity_org=principal.org, purpose="directory correction"
            )
        return {"key": data.key, "id": hsds.stable_id("location", data.key), "confidential": data.confidential}

    @get("/forums", summary="Forums and panels (MARAC, DV forums, steering groups) and their cadence")
    async def list_forums(
        self, ctx: ServiceContext, principal: Principal, org: str | None = None
    ) -> list[dict[str, Any]]:
        await require_partner(ctx, principal)
        return await forums(org)

    @patch(
        "/organisations/{key:str}", summary="Correct your organisation's public entry (history kept)", guards=[EDITORS]
    )
    async def correct_organisation(
        self, key: str, data: Annotated[OrganisationPatch, Body()], ctx: ServiceContext, principal: Principal
    ) -> dict[str, Any]:
        return await correct_organisation(ctx, principal, key, msgspec.to_builtins(set_fields(data)))


__all__ = ["CatalogueController", "Phone", "Session"]
