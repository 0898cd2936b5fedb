"""London Borough of Lewisham: directory data (seed ``001_2a45bb55c36fcb52.txt``, Lewisham).

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
    LocationRecord,
    OfficerRecord,
    ServiceRecord,
    Session,
    jwa_dv_subgroup,
)

JWA = "000_93a7cd5d2a8b6030.txt"
SEED = "001_2a45bb55c36fcb52.txt"

OFFICERS = (
    OfficerRecord(
        key="lewisham-dv-lead",
        org="lewisham",
        name="Lewisham DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@lewisham.example",
        source=JWA,
    ),
    OfficerRecord(
        key="lewisham-team-manager",
        org="lewisham",
        name="Lewisham Team Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@lewisham.example",
        source=JWA,
    ),
    OfficerRecord(
        key="lewisham-sanctuary-officer",
        org="lewisham",
        name="Lewisham Sanctuary Project Officer (invented)",
        positions=("sanctuary_project_officer",),
        email="sanctuary.project@lewisham.example",
        source=SEED,
    ),
    OfficerRecord(
        key="lewisham-subgroup-member",
        org="lewisham",
        name="Lewisham Homelessness Sub-group Member (invented)",
        positions=("homelessness_subgroup_member",),
        email="homelessness.subgroup@lewisham.example",
        source=JWA,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="lewisham",
        name="London Borough of Lewisham",
        kind="local_authority",
        area="Lewisham",
        description="Triage interview, then a housing options interview; sanctuary scheme with published timescales.",
        source=SEED,
    ),
    AgencyRecord(
        id="refuge",
        name="Refuge",
        kind="specialist_da_service",
        description="Refuges, floating support and the national domestic violence helpline (Refugeline).",
        source=SEED,
    ),
)

LOCATIONS = (
    LocationRecord(
        key="lewisham-idva-police-station",
        org="lewisham",
        name="Lewisham police station (IDVA base)",
        confidential=False,
        source=SEED,
    ),
)

SERVICES = (
    ServiceRecord(
        key="lewisham-sanctuary",
        org="lewisham",
        name="Sanctuary scheme",
        description="Risk assessment within 24-48 hours; CPO appointment within two working days; security "
        "measures installed within 5 working days (10 for more complicated sanctuary).",
        taxonomy=("sanctuary", "target-hardening"),
        application_process="The options officer emails or faxes the sanctuary form to the sanctuary project officer.",
        area="Lewisham",
        source=SEED,
    ),
    ServiceRecord(
        key="lewisham-rent-incentive",
        org="lewisham",
        name="Rent incentive scheme",
        description="Take-up is referred to Refuge for floating support.",
        taxonomy=("rent-deposit",),
        area="Lewisham",
        source=SEED,
    ),
    ServiceRecord(
        key="lewisham-refuge-floating-support",
        org="refuge",
        name="Floating support (Lewisham)",
        taxonomy=("floating-support",),
        area="Lewisham",
        source=SEED,
    ),
    ServiceRecord(
        key="lewisham-idva",
        org="lewisham",
        name="Independent Domestic Violence Advocate",
        description="One IDVA, based at the police station, who can also look at legal remedies and attends MARAC.",
        taxonomy=("idva", "legal-advice"),
        location_keys=("lewisham-idva-police-station",),
        area="Lewisham",
        source=SEED,
    ),
    ServiceRecord(
        key="lewisham-temporary-accommodation",
        org="lewisham",
        name="Temporary accommodation until a refuge place",
        description="A list of refuges if the applicant cannot return home on the day; council temporary "
        "accommodation until a refuge becomes available.",
        taxonomy=("emergency-accommodation",),
        area="Lewisham",
        source=SEED,
    ),
)

FORUMS = (
    ForumRecord(
        key="lewisham-exceptional-panel",
        org="lewisham",
        name="Exceptional Panel",
        kind="panel",
        cadence="every 3 weeks",
        schedule=Session(freq="WEEKLY", interval=3, source=f"{SEED}: Exceptional Panel meetings (every 3 weeks)"),
        source=SEED,
    ),
    ForumRecord(
        key="lewisham-dv-strategy-group",
        org="lewisham",
        name="Lewisham Domestic Violence Strategy Group",
        kind="steering_group",
        source=SEED,
    ),
    ForumRecord(
        key="lewisham-marac",
        org="lewisham",
        name="Lewisham MARAC",
        kind="marac",
        status="being set up",
        purpose="Reviews and coordinates service provision in high-risk and complex domestic violence cases.",
        source=SEED,
    ),
    jwa_dv_subgroup("lewisham"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "lewisham":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES, locations=LOCATIONS, forums=FORUMS)
