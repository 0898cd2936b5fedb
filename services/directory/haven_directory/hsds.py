"""Mapping directory records to Open Referral UK / HSDS 3.0 objects (plus 3.1's
``capacities``), and the page envelope of HSDS list endpoints.

Two tiers share the mapping. ``public`` is what anonymous clients get: never officers,
named contacts, confidential services or confidential locations, and never any location
of a service classed as a refuge, so nothing in it can lead to a refuge. ``confidential``
adds those for authenticated officers of partner organisations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from haven_contracts.plugin.taxonomy import BY_CODE, stable_id
from haven_directory.capacity import capacity_record
from haven_directory.tables import CatalogueService, DirLocation, DirOrganisation
from haven_directory.taxonomy import term_record

Tier = Literal["public", "confidential"]
HSDS_VERSION = "3.1"
PROFILE = "https://openreferral.org/hsds/3.1"
#: Taxonomy codes whose locations are never published, whatever a location's flag says.
NEVER_LOCATED = frozenset({"refuge"})


def _json(value: Any, default: Any) -> Any:
    if isinstance(value, str):
        return msgspec.json.decode(value) if value else default
    return default if value is None else value


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


iso = _iso


def _drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "")}


def phones(owner_key: str, items: list[dict], link: dict[str, str]) -> list[dict[str, Any]]:
    return [
        _drop_empty(
            {
                "id": stable_id("phone", f"{owner_key}:{i}:{p['number']}"),
                **link,
                "number": p["number"],
                "description": p.get("description"),
            }
        )
        for i, p in enumerate(items)
    ]


#: HSDS times carry an offset or mean UTC; an opening at "08:45" in London is 07:45 UTC half the
#: year, so no fixed offset is right. The times stay wall-clock and the schedule says so.
LOCAL_TIME = "Times are UK local time (Europe/London)."


def schedules(service: CatalogueService) -> list[dict[str, Any]]:
    """HSDS ``schedule`` records from a service's typed sessions (``Session`` in the plugin
    contract): days as ``byday``, times as ``HH:MM``, nothing parsed from free text."""
    out = []
    for i, s in enumerate(_json(service.schedules, [])):
        opens_at = (s.get("opens_at") or "")[:5] or None
        notes = " ".join(n for n in (s.get("notes"), LOCAL_TIME if opens_at else None) if n)
        out.append(
            _drop_empty(
                {
                    "id": stable_id("schedule", f"{service.key}:{i}"),
                    "service_id": service.uid,
                    "freq": s.get("freq") or "WEEKLY",
                    "byday": s.get("byday"),
                    "interval": s.get("interval"),
                    "opens_at": opens_at,
                    "closes_at": (s.get("closes_at") or "")[:5] or None,
                    "description": s.get("description"),
                    "notes": notes or None,
                }
            )
        )
    return out


def attributes(service: CatalogueService) -> list[dict[str, Any]]:
    out = []
    for code in _json(service.taxonomy, []):
        term = BY_CODE.get(code)
        if term is None:
            continue
        out.append(
            {
                "id": stable_id("attribute", f"{service.key}:{code}"),
                "link_id": service.uid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term.id,
                "taxonomy_term": term_record(term, nested=False),
            }
        )
    return out


def organization(row: DirOrganisation, *, full: bool = False, services: list[dict] | None = None) -> dict[str, Any]:
    record = _drop_empty(
        {
            "id": row.uid,
            "name": row.name,
            "description": row.description or f"{row.name} ({row.kind.replace('_', ' ')})",
            "email": row.email,
            "website": row.url,
        }
    )
    record["phones"] = phones(row.key, _json(row.phones, []), {"organization_id": row.uid})
    if full:
        record["services"] = services or []
    return record


def location(loc: DirLocation, org_uid: str | None, *, tier: Tier, decrypt=None) -> dict[str, Any]:
    record = _drop_empty({"id": loc.uid, "location_type": "physical", "name": loc.name, "organization_id": org_uid})
    if tier == "confidential" and decrypt is not None:
        address_1, postal_code = decrypt(loc)
        if address_1:
            record["addresses"] = [
                {
                    "id": stable_id("address", loc.key),
                    "location_id": loc.uid,
                    "address_1": address_1,
                    "city": loc.city or "",
                    "state_province": "",
                    "postal_code": postal_code or "",
                    "country": "GB",
                    "address_type": "physical",
                }
            ]
    return record


def visible_locations(service: CatalogueService, locations: list[DirLocation], tier: Tier) -> list[DirLocation]:
    if tier == "confidential":
        return locations
    if service.confidential or NEVER_LOCATED & set(_json(service.taxonomy, [])):
        return []
    return [loc for loc in locations if not loc.confidential]


def service(
    row: CatalogueService,
    org: DirOrganisation | None,
    *,
    tier: Tier,
    full: bool,
    capacities: Sequence[dict] = (),
    locations: Sequence[DirLocation] = (),
    decrypt=None,
    history: Sequence[dict] = (),
) -> dict[str, Any]:
    """An HSDS service; ``full`` nests related records (``GET /services/{id}``)."""
    record = _drop_empty(
        {
            "id": row.uid,
            "organization_id": org.uid if org else None,
            "name": row.name,
            "description": row.description,
            "url": row.url,
            "email": row.email,
            "status": row.status,
            "eligibility_description": row.eligibility,
            "application_process": row.application_process,
            "fees_description": row.fees,
            "last_modified": _iso(row.updated_at),
        }
    )
    if not full:
        return record
    record["phones"] = phones(row.key, _json(row.phones, []), {"service_id": row.uid})
    record["schedules"] = schedules(row)
    record["attributes"] = attributes(row)
    if row.area:
        record["service_areas"] = [{"id": stable_id("service_area", row.key), "service_id": row.uid, "name": row.area}]
    if org is not None:
        record["organization"] = organization(org)
    record["service_at_locations"] = [
        service_at_location(row, loc, org, tier=tier, decrypt=decrypt, nest_service=False)
        for loc in visible_locations(row, list(locations), tier)
    ]
    record["capacities"] = [capacity_record(c, row.uid) for c in capacities]
    record["metadata"] = (
        metadata(list(history), row.uid, tier="confidential" if tier == "confidential" else "public")
        if not (tier == "public" and row.confidential)
        else []
    )
    return record


def service_at_location(
    svc: CatalogueService,
    loc: DirLocation,
    org: DirOrganisation | None,
    *,
    tier: Tier,
    decrypt=None,
    nest_service: bool = True,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": stable_id("service_at_location", f"{svc.key}:{loc.key}"),
        "service_id": svc.uid,
        "location_id": loc.uid,
        "location": location(loc, org.uid if org else None, tier=tier, decrypt=decrypt),
    }
    if nest_service:
        record["service"] = service(svc, org, tier=tier, full=False)
    return record


def metadata(rows: list[dict[str, Any]], service_uid: str, *, tier: Tier) -> list[dict[str, Any]]:
    """HSDS ``metadata`` (provenance) from the history table. The public tier shows only
    public fields of public services, and names the organisation that made a change, never
    the officer."""
    out = []
    for h in rows:
        if tier == "public" and (h["confidential"] or h["field_name"] == "*"):
            continue
        who = (
            h["changed_by"]
            if tier == "confidential"
            else (h["changed_by_org"] or h["changed_by"].removeprefix("plugin:"))
        )
        out.append(
            {
                "id": stable_id("metadata", str(h["id"])),
                "resource_id": service_uid,
                "resource_type": "service",
                "last_action_date": _iso(h["changed_at"]),
                "last_action_type": h["action"],
                "field_name": h["field_name"],
                "previous_value": h["previous_value"],
                "replacement_value": h["replacement_value"],
                "updated_by": who,
            }
        )
    return out


def page(items: list[Any], page_number: int, per_page: int) -> dict[str, Any]:
    """The HSDS ``Page`` envelope around one page of ``items``."""
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    contents = items[(page_number - 1) * per_page : page_number * per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": len(contents) == 0,
        "contents": contents,
    }
