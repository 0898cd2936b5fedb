"""Core records of the plugin contract. Frozen so a plugin's data cannot change under a service."""

from __future__ import annotations

from typing import Literal

import msgspec

from haven_contracts.clocks import OfficeHours
from haven_contracts.ids import OrgId

OrganisationKind = Literal[
    "local_authority",
    "housing_association",
    "specialist_da_service",
    "police",
    "support_agency",
    "health",
    "advice_agency",
    "helpline",
    "other",
]


class Organisation(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation a plugin serves: Haven records are scoped to one of these."""

    id: OrgId
    name: str
    kind: OrganisationKind
    office_hours: OfficeHours | None = None
    area: str | None = None
    source: str = ""


class PluginManifest(msgspec.Struct, frozen=True, kw_only=True):
    """What a plugin is and which organisations it serves.

    ``seeds`` names the source documents (``../shared/seeds/``) the plugin encodes.
    """

    name: str
    organisations: tuple[Organisation, ...]
    summary: str = ""
    seeds: tuple[str, ...] = ()
    settings: dict[str, str] = {}
