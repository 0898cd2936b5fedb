"""London Borough of Bexley: directory data.

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
    OfficerRecord(key="bexley-dv-lead", org="bexley", name="Bexley DV Lead (invented)",
                  positions=("dv_lead",), email="dv.lead@bexley.example", source=SEED),
    OfficerRecord(key="bexley-team-manager", org="bexley", name="Bexley Team Manager (invented)",
                  positions=("team_manager",), email="housing.options.manager@bexley.example", source=SEED),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    return DirectoryData(officers=tuple(o for o in OFFICERS if o.org == org))
