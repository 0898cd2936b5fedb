"""Directory hooks: plugins provide who's who and what services exist for their organisations.

Sources: ``000_93a7cd5d2a8b6030.txt`` (named DV leads and team managers),
``001_2a45bb55c36fcb52.txt`` (agencies and forums), ``004_d4b796f614d2cfd3.txt`` Appendix B,
``003_8738e4ccc4c4272a.txt`` principle 9 (an up-to-date list of local agencies).
"""

from __future__ import annotations

from datetime import date

import msgspec

from haven_contracts.events.directory import Position
from haven_contracts.ids import OrgId
from haven_contracts.plugin import hookspec
from haven_contracts.plugin.records import Organisation


class OfficerRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A named officer and the positions they hold at ``org``.

    ``key`` is stable across plugin upgrades so the directory loads idempotently.
    Seed officers are invented: the seeds name positions, not people.
    """

    key: str
    org: OrgId
    name: str
    positions: tuple[Position, ...]
    email: str | None = None
    phone: str | None = None
    sex: str | None = None
    dv_specialism: bool = False
    start: date | None = None
    end: date | None = None
    confidential: bool = True
    source: str = ""


class DirectoryData(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a plugin contributes to the directory for one organisation."""

    organisations: tuple[Organisation, ...] = ()
    officers: tuple[OfficerRecord, ...] = ()


@hookspec
def haven_directory_data(org: str) -> DirectoryData:
    """Directory content for organisation ``org``: its officers, and the agencies it lists.

    Called by the directory service at start-up for every organisation served; results of
    all plugins serving ``org`` are merged and loaded idempotently by ``key``.

    Example::

        @hookimpl
        def haven_directory_data(org):
            return DirectoryData(officers=(
                OfficerRecord(key="bexley-dv-lead", org="bexley", name="Alex Example",
                              positions=("dv_lead",), email="dv.lead@bexley.example"),
            ))
    """
