"""London Borough of Southwark: directory data (seed ``001_2a45bb55c36fcb52.txt``, Southwark).

Seed ``000_93a7cd5d2a8b6030.txt``: boroughs contact each other "using a list of named
officers with DV leads and team managers". The seeds name positions, not people: the
officers below are invented placeholders (``invented=True``, ``.example`` addresses) that a
deployment replaces through the directory API.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import (
    AgencyRecord,
    DirectoryData,
    ForumRecord,
    OfficerRecord,
    ServiceRecord,
    Session,
    jwa_dv_subgroup,
)

JWA = "000_93a7cd5d2a8b6030.txt"
SEED = "001_2a45bb55c36fcb52.txt"

OFFICERS = (
    OfficerRecord(
        key="southwark-dv-lead",
        org="southwark",
        name="Southwark DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@southwark.example",
        source=JWA,
    ),
    OfficerRecord(
        key="southwark-team-manager",
        org="southwark",
        name="Southwark Team Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@southwark.example",
        source=JWA,
    ),
    # "they are referred to an officer from the anti social behaviour unit"
    OfficerRecord(
        key="southwark-asb-officer",
        org="southwark",
        name="Southwark ASB Unit Officer (invented)",
        positions=("anti_social_behaviour_officer",),
        email="asb.unit@southwark.example",
        source=SEED,
    ),
    OfficerRecord(
        key="southwark-sanctuary-officer",
        org="southwark",
        name="Southwark Sanctuary Project Officer (invented)",
        positions=("sanctuary_project_officer",),
        email="sanctuary.project@southwark.example",
        source=SEED,
    ),
    OfficerRecord(
        key="southwark-subgroup-member",
        org="southwark",
        name="Southwark Homelessness Sub-group Member (invented)",
        positions=("homelessness_subgroup_member",),
        email="homelessness.subgroup@southwark.example",
        source=JWA,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="southwark",
        name="London Borough of Southwark",
        kind="local_authority",
        area="Southwark",
        description="HomeSearch centre (Housing Options Team); DV interviews by the anti-social behaviour unit "
        "while the function moves back to Housing Options.",
        source=SEED,
    ),
)

SERVICES = (
    ServiceRecord(
        key="southwark-sanctuary",
        org="southwark",
        name="Sanctuary scheme",
        taxonomy=("sanctuary",),
        application_process="The options officer faxes the sanctuary form to the sanctuary project officer.",
        area="Southwark",
        source=SEED,
    ),
    ServiceRecord(
        key="southwark-rent-incentive",
        org="southwark",
        name="Rent incentive / Finders Fee scheme",
        description="Take-up is referred to floating support providers.",
        taxonomy=("rent-deposit",),
        area="Southwark",
        source=SEED,
    ),
    ServiceRecord(
        key="southwark-idvas",
        org="southwark",
        name="Independent Domestic Violence Advocates",
        description="Advocacy; attend MARACs where necessary.",
        taxonomy=("idva",),
        area="Southwark",
        source=SEED,
    ),
    ServiceRecord(
        key="southwark-temporary-accommodation",
        org="southwark",
        name="Temporary accommodation until a refuge place",
        taxonomy=("emergency-accommodation",),
        area="Southwark",
        source=SEED,
    ),
)

FORUMS = (
    ForumRecord(key="southwark-marac", org="southwark", name="Southwark MARAC", kind="marac", source=SEED),
    ForumRecord(
        key="southwark-dv-forum",
        org="southwark",
        name="Domestic Violence Forum",
        cadence="quarterly",
        schedule=Session(freq="MONTHLY", interval=3, source=f"{SEED}: Domestic Violence Forum quarterly"),
        source=SEED,
    ),
    ForumRecord(
        key="southwark-management-needs-panel",
        org="southwark",
        name="Management Needs Panel",
        kind="panel",
        cadence="fortnightly",
        schedule=Session(freq="WEEKLY", interval=2, source=f"{SEED}: Management Needs Panel fortnightly"),
        source=SEED,
    ),
    ForumRecord(
        key="southwark-lgbt-forum",
        org="southwark",
        name="LGBT forum",
        cadence="quarterly",
        schedule=Session(freq="MONTHLY", interval=3, source=f"{SEED}: LGBT forum quarterly"),
        source=SEED,
    ),
    ForumRecord(
        key="southwark-asb-risk-panel",
        org="southwark",
        name="Anti-social behaviour unit risk panel",
        kind="panel",
        cadence="monthly",
        schedule=Session(
            freq="MONTHLY", interval=1, source=f"{SEED}: Southwark Anti-social behaviour unit risk panel monthly"
        ),
        source=SEED,
    ),
    ForumRecord(
        key="southwark-partnership-opportunities",
        org="southwark",
        name="Partnership Opportunities Group",
        cadence="fortnightly",
        schedule=Session(freq="WEEKLY", interval=2, source=f"{SEED}: Partnership Opportunities Group fortnightly"),
        source=SEED,
    ),
    jwa_dv_subgroup("southwark"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "southwark":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES, forums=FORUMS)
