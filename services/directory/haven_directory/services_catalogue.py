"""Services, their locations and the forums and panels of each organisation.

Sources: the borough procedures' options, agencies and "DV Forums & Panels"
(``001_2a45bb55c36fcb52.txt``), Dartford's office hours and Appendix B
(``004_d4b796f614d2cfd3.txt``), the reciprocal (``002_c1c7b199d9a53274.txt``) and AG/013's
agency list (``003_8738e4ccc4c4272a.txt``).

Locations marked confidential (every refuge) have their address lines encrypted at rest
with the field cipher, bound to the location key, and are never published.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.plugin.directory import ForumRecord, LocationRecord, ServiceRecord
from haven_contracts.plugin.taxonomy import stable_id
from haven_directory.history import apply_changes, record
from haven_directory.tables import CatalogueService, DirLocation, Forum
from haven_runtime.context import ServiceContext

SERVICE_FIELDS = (
    "name",
    "description",
    "taxonomy",
    "eligibility",
    "application_process",
    "fees",
    "email",
    "url",
    "phones",
    "schedules",
    "location_keys",
    "area",
    "confidential",
    "status",
)
#: Fields whose history may be published with a public service (never locations).
PUBLIC_SERVICE_FIELDS = frozenset(SERVICE_FIELDS) - {"location_keys", "confidential"}
FORUM_FIELDS = ("name", "kind", "purpose", "cadence", "schedule", "members", "status")


def _builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)


def service_values(rec: ServiceRecord) -> dict[str, Any]:
    return {f: _builtins(getattr(rec, f)) for f in SERVICE_FIELDS}


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (msgspec.json.encode(v).decode() if isinstance(v, (list, dict)) else v) for k, v in values.items()}


async def upsert_service(rec: ServiceRecord, *, changed_by: str) -> bool:
    existing = await CatalogueService.objects().where(CatalogueService.key == rec.key).first()
    values = service_values(rec)
    if existing is None:
        await CatalogueService.insert(
            CatalogueService(
                key=rec.key,
                uid=stable_id("service", rec.key),
                org=rec.org,
                source=rec.source,
                updated_at=datetime.now(UTC),
                **_encoded(values),
            )
        )
        # the creation row lists every field, locations included: officers' tier only
        await record("service", rec.key, "*", None, values, action="create", changed_by=changed_by)
        return True
    corrected = set(msgspec.json.decode(existing.corrected or "[]"))
    public = frozenset() if existing.confidential else PUBLIC_SERVICE_FIELDS
    changed = await apply_changes(
        existing, "service", values, changed_by=changed_by, skip=corrected, public_fields=public
    )
    if changed:
        existing.updated_at = datetime.now(UTC)
        await existing.save()
    return bool(changed)


async def upsert_location(ctx: ServiceContext, rec: LocationRecord, *, changed_by: str) -> None:
    """Insert a location once; addresses are encrypted, so a reload compares plaintexts."""
    cipher = ctx.cipher
    existing = await DirLocation.objects().where(DirLocation.key == rec.key).first()
    enc = {
        "address_1": cipher.encrypt(rec.address_1, ref=rec.key, field="address_1"),
        "postal_code": cipher.encrypt(rec.postal_code, ref=rec.key, field="postal_code"),
    }
    if existing is None:
        await DirLocation.insert(
            DirLocation(
                key=rec.key,
                uid=stable_id("location", rec.key),
                org=rec.org,
                name=rec.name,
                city=rec.city,
                confidential=rec.confidential,
                source=rec.source,
                updated_at=datetime.now(UTC),
                **enc,
            )
        )
        await record("location", rec.key, "*", None, {"name": rec.name}, action="create", changed_by=changed_by)
        return
    same = (
        cipher.decrypt(existing.address_1, ref=rec.key, field="address_1") == rec.address_1
        and cipher.decrypt(existing.postal_code, ref=rec.key, field="postal_code") == rec.postal_code
        and existing.name == rec.name
        and existing.city == rec.city
        and existing.confidential == rec.confidential
    )
    if not same:
        existing.name, existing.city, existing.confidential = rec.name, rec.city, rec.confidential
        existing.address_1, existing.postal_code = enc["address_1"], enc["postal_code"]
        existing.updated_at = datetime.now(UTC)
        await existing.save()
        await record(
            "location", rec.key, "address", "(encrypted)", "(encrypted)", action="reload", changed_by=changed_by
        )


def location_view(ctx: ServiceContext, row: DirLocation) -> dict[str, Any]:
    """Decrypted location for the officers' tier only."""
    return {
        "key": row.key,
        "id": row.uid,
        "org": row.org,
        "name": row.name,
        "city": row.city,
        "address_1": ctx.cipher.decrypt(row.address_1, ref=row.key, field="address_1"),
        "postal_code": ctx.cipher.decrypt(row.postal_code, ref=row.key, field="postal_code"),
        "confidential": row.confidential,
    }


async def upsert_forum(rec: ForumRecord, *, changed_by: str) -> None:
    existing = await Forum.objects().where(Forum.key == rec.key).first()
    values = {f: _builtins(getattr(rec, f)) for f in FORUM_FIELDS}
    if existing is None:
        await Forum.insert(
            Forum(key=rec.key, org=rec.org, source=rec.source, updated_at=datetime.now(UTC), **_encoded(values))
        )
        await record("forum", rec.key, "*", None, values, action="create", changed_by=changed_by, confidential=False)
        return
    corrected = set(msgspec.json.decode(existing.corrected or "[]"))
    if await apply_changes(
        existing, "forum", values, changed_by=changed_by, skip=corrected, public_fields=frozenset(FORUM_FIELDS)
    ):
        existing.updated_at = datetime.now(UTC)
        await existing.save()


async def service_by_id(ident: str) -> CatalogueService | None:
    """A service by its HSDS id (UUID) or its directory key."""
    return (
        await CatalogueService.objects()
        .where((CatalogueService.uid == ident) | (CatalogueService.key == ident))
        .first()
    )


async def locations_for(keys: list[str]) -> list[DirLocation]:
    if not keys:
        return []
    return await DirLocation.objects().where(DirLocation.key.is_in(keys))


async def forums(org: str | None = None) -> list[dict[str, Any]]:
    q = Forum.select().order_by(Forum.org).order_by(Forum.name)
    if org:
        q = q.where(Forum.org == org)
    rows = await q
    for r in rows:
        for f in ("members", "corrected"):
            if isinstance(r.get(f), str):
                r[f] = msgspec.json.decode(r[f] or "[]")
        if isinstance(r.get("schedule"), str):
            r["schedule"] = msgspec.json.decode(r["schedule"]) if r["schedule"] else None
    return rows
