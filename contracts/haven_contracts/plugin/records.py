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


#: What ``haven plugins`` and the officers' pages say of a setting an organisation's plugins leave unset.
CORE_DEFAULT_NOTE = "core default, not from this organisation's procedure"


class CoreDefault(msgspec.Struct, frozen=True, kw_only=True):
    """A setting an organisation runs on only because its plugins are silent.

    The core defaults come from one organisation's document (the interview clock from AG/013,
    the sanctuary clocks, catalogue and funding from Dartford's procedure), so an organisation
    whose own procedure says nothing runs on another's rules: this record says so, where the
    default was ``taken_from``, and how the organisation sets its own (``set_with``: the hook,
    or the field of the record a hook returns).
    """

    setting: str
    value: str
    taken_from: str
    set_with: str
    note: str = CORE_DEFAULT_NOTE
