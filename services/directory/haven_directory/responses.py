"""What the confidential tier answers, typed: the structs its OpenAPI document publishes.

Each is built from the row or mapping the domain returns (:func:`haven_runtime.openapi.as_response`,
or field by field) and encodes to the same JSON the mapping did.
Services in the catalogue are HSDS records (:class:`~haven_directory.hsds_schemas.HsdsService`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from haven_runtime.openapi import Out


class OfficerOut(Out):
    key: str
    org: str
    name: str
    email: str | None
    phone: str | None
    sex: str | None
    dv_specialism: bool
    job_title: str | None
    team: str | None
    active: bool
    invented: bool
    positions: list[str]
    updated_at: datetime


class HistoryEntry(Out):
    """One field's change: the directory's provenance record (HSDS ``metadata`` shape)."""

    id: int
    entity: str
    entity_key: str
    action: str
    field_name: str
    previous_value: str
    replacement_value: str
    changed_by: str
    changed_by_org: str
    changed_at: datetime
    confidential: bool


class HoldingOut(Out):
    """Who held a position from ``start`` until (not including) ``end``; open-ended if null."""

    officer_key: str
    start: date
    end: date | None
    changed_by: str
    changed_at: datetime


class LocationCreated(Out):
    key: str
    id: str
    confidential: bool


class ForumOut(Out):
    """A forum or panel (MARAC, a DV forum, a steering group) and its cadence."""

    id: int
    key: str
    org: str
    name: str
    kind: str
    purpose: str
    cadence: str | None
    schedule: dict[str, Any] | None
    members: list[Any]
    status: str
    source: str
    corrected: list[str]
    updated_at: datetime
