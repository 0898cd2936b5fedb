"""Correcting the directory: an organisation's public entry and its services, by the owning
organisation's seniors only, with field-level history (``history.py``); a corrected field is
kept over later plugin values. The JSON API and the officers' pages both call these.

Sources: AG/013 principle 9, "an up to date list of local agencies" (``003_8738e4ccc4c4272a.txt``);
the Joint Working Agreement's named officers (``000_93a7cd5d2a8b6030.txt``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haven_contracts.plugin.taxonomy import unknown_codes
from haven_directory import hsds
from haven_directory.access import may_edit, require_partner
from haven_directory.history import apply_changes
from haven_directory.listings import publish_listing
from haven_directory.organisations import PUBLIC_FIELDS as ORG_PUBLIC_FIELDS
from haven_directory.organisations import by_key
from haven_directory.services_catalogue import PUBLIC_SERVICE_FIELDS, service_by_id
from haven_directory.tables import CatalogueService, DirLocation
from haven_runtime.context import ServiceContext
from haven_runtime.errors import invalid, not_found, unprocessable
from haven_runtime.identity import Principal


def check_taxonomy(codes: list[str]) -> None:
    bad = unknown_codes(codes)
    if bad:
        raise unprocessable("taxonomy", f"unknown code(s) {', '.join(bad)}")


async def check_locations(keys: list[str], org: str) -> None:
    for key in keys:
        if not await DirLocation.exists().where((DirLocation.key == key) & (DirLocation.org == org)):
            raise unprocessable("location_keys", f"no location {key!r} at {org}")


def check_schedules(sessions: list[dict[str, Any]]) -> None:
    """Opening and closing times go together, opening first (as a plugin's ``Session`` requires)."""
    for i, s in enumerate(sessions):
        opens, closes = s.get("opens_at"), s.get("closes_at")
        if (opens is None) != (closes is None) or (opens is not None and opens >= closes):
            raise invalid(
                "schedules", f"opening hours row {i + 1}: give both the opening and the closing time, opening first"
            )


async def correct_service(
    ctx: ServiceContext, principal: Principal, ident: str, changes: dict[str, Any]
) -> CatalogueService:
    """Apply ``changes`` (field → new value, JSON-shaped) to the service ``ident`` (its id or key)."""
    await require_partner(ctx, principal)
    row = await service_by_id(ident)
    if row is None:
        raise not_found("service")
    await may_edit(ctx, principal, "service", row.key, row.org)
    if "taxonomy" in changes:
        check_taxonomy(changes["taxonomy"])
    if "location_keys" in changes:
        await check_locations(changes["location_keys"], row.org)
    if "schedules" in changes:
        check_schedules(changes["schedules"])
    public = frozenset() if row.confidential or changes.get("confidential") else PUBLIC_SERVICE_FIELDS
    async with ctx.store.transaction() as uow:
        changed = await apply_changes(
            row,
            "service",
            changes,
            changed_by=principal.sub,
            changed_by_org=principal.org,
            public_fields=public,
            mark_corrected=True,
        )
        if changed:
            row.updated_at = datetime.now(UTC)
            await row.save()
            await publish_listing(uow, row.org)
        await uow.audit(
            principal,
            "update",
            "service",
            row.key,
            entity_org=row.org,
            purpose="directory correction",
            detail={"fields": changed},
        )
    return row


async def correct_organisation(
    ctx: ServiceContext, principal: Principal, key: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply ``changes`` to organisation ``key``'s public entry; its HSDS record after."""
    await require_partner(ctx, principal)
    await may_edit(ctx, principal, "organisation", key, key)
    row = await by_key(key)
    if row is None:
        raise not_found("organisation")
    async with ctx.store.transaction() as uow:
        changed = await apply_changes(
            row,
            "organisation",
            changes,
            changed_by=principal.sub,
            changed_by_org=principal.org,
            public_fields=ORG_PUBLIC_FIELDS,
            mark_corrected=True,
        )
        if changed:
            row.updated_at = datetime.now(UTC)
            await row.save()
        await uow.audit(
            principal,
            "update",
            "organisation",
            key,
            entity_org=key,
            purpose="directory correction",
            detail={"fields": changed},
        )
    return hsds.organization(row)
