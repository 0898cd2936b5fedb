"""Service capacity (HSDS 3.1 ``service_capacity``): e.g. a refuge's vacancies.

An update is stored and announced as ``ServiceCapacityUpdated`` in one transaction; the
event carries the opaque service and capacity ids, the unit and the numbers only.
Capacities of confidential services appear only in the officers' tier.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haven_contracts.events.directory import ServiceCapacityUpdated
from haven_contracts.plugin.taxonomy import stable_id
from haven_directory.history import record
from haven_directory.tables import Capacity, CatalogueService
from haven_runtime.store import UnitOfWork

#: Units a capacity is counted in (HSDS ``unit``); ids are stable UUIDs.
UNITS: dict[str, str] = {
    "bed-space": "Bed space",
    "family-unit": "Family unit (room for a parent and children)",
    "referral-slot": "Referral slot",
    "appointment": "Appointment",
}


def unit_record(code: str) -> dict[str, Any]:
    return {"id": stable_id("unit", code), "name": UNITS.get(code, code), "identifier": code, "scheme": "haven"}


async def update_capacity(
    uow: UnitOfWork,
    service: CatalogueService,
    *,
    unit: str,
    available: int,
    maximum: int | None,
    description: str,
    changed_by: str,
    changed_by_org: str,
) -> ServiceCapacityUpdated:
    now = datetime.now(UTC)
    uid = stable_id("service_capacity", f"{service.key}:{unit}")
    row = await Capacity.objects().where(Capacity.uid == uid).first()
    previous = None if row is None else {"available": row.available, "maximum": row.maximum}
    if row is None:
        await Capacity.insert(
            Capacity(
                uid=uid,
                service_key=service.key,
                unit=unit,
                available=available,
                maximum=maximum,
                description=description,
                updated=now,
            )
        )
    else:
        row.available, row.maximum, row.updated = available, maximum, now
        if description:
            row.description = description
        await row.save()
    await record(
        "service",
        service.key,
        f"capacity.{unit}",
        previous,
        {"available": available, "maximum": maximum},
        action="capacity",
        changed_by=changed_by,
        changed_by_org=changed_by_org,
        confidential=service.confidential,
    )
    event = ServiceCapacityUpdated(
        org=service.org,
        service_id=service.uid,
        capacity_id=uid,
        unit=unit,
        available=available,
        maximum=maximum,
        updated=now,
    )
    await uow.emit(event, ref=service.uid)
    return event


async def capacities_for(service_keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not service_keys:
        return {}
    rows = await Capacity.select().where(Capacity.service_key.is_in(service_keys)).order_by(Capacity.unit)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["service_key"], []).append(r)
    return out


def capacity_record(row: dict[str, Any], service_uid: str) -> dict[str, Any]:
    record_: dict[str, Any] = {
        "id": row["uid"],
        "service_id": service_uid,
        "unit": unit_record(row["unit"]),
        "unit_id": stable_id("unit", row["unit"]),
        "available": row["available"],
        "updated": row["updated"].astimezone(UTC).isoformat(timespec="milliseconds"),
    }
    if row["maximum"] is not None:
        record_["maximum"] = row["maximum"]
    if row["description"]:
        record_["description"] = row["description"]
    return record_
