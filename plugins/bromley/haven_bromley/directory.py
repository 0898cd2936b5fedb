"""London Borough of Bromley: directory data.

Seed ``000_93a7cd5d2a8b6030.txt``: boroughs contact each other "using a list of named
officers with DV leads and team managers". The seeds name positions, not people: the
officers below are invented placeholders a deployment replaces through the directory API.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import DirectoryData, OfficerRecord

__all__ = ["haven_directory_data"]

SEED = "000_93a7cd5d2a8b6030.txt"

OFFICERS = (
    OfficerRecord(key="bromley-dv-lead", org="bromley", name="Bromley DV Lead (invented)",
                  positions=("dv_lead",), email="dv.lead@bromley.example", source=SEED),
    OfficerRecord(key="bromley-team-manager", org="bromley", name="Bromley Team Manager (invented)",
                  positions=("team_manager",), email="housing.options.manager@bromley.example", source=SEED),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    return DirectoryData(officers=tuple(o for o in OFFICERS if o.org == org))
