"""Royal Borough of Greenwich: directory data (seed ``001_2a45bb55c36fcb52.txt``, Greenwich).

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
    jwa_dv_subgroup,
)

JWA = "000_93a7cd5d2a8b6030.txt"
SEED = "001_2a45bb55c36fcb52.txt"

OFFICERS = (
    OfficerRecord(
        key="greenwich-dv-lead",
        org="greenwich",
        name="Greenwich DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@greenwich.example",
        source=JWA,
    ),
    OfficerRecord(
        key="greenwich-team-manager",
        org="greenwich",
        name="Greenwich Team Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@greenwich.example",
        source=JWA,
    ),
    OfficerRecord(
        key="greenwich-sanctuary-officer",
        org="greenwich",
        name="Greenwich Sanctuary Project Officer (invented)",
        positions=("sanctuary_project_officer",),
        email="sanctuary.project@greenwich.example",
        source=SEED,
    ),
    OfficerRecord(
        key="greenwich-subgroup-member",
        org="greenwich",
        name="Greenwich Homelessness Sub-group Member (invented)",
        positions=("homelessness_subgroup_member",),
        email="homelessness.subgroup@greenwich.example",
        source=JWA,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="greenwich",
        name="Royal Borough of Greenwich",
        kind="local_authority",
        area="Greenwich",
        description="Housing Options (secure tenants) and the Housing Aid Centre (private tenants and owner "
        "occupiers); sanctuary project.",
        source=SEED,
    ),
    AgencyRecord(
        id="womens-trust",
        name="The Women's Trust",
        kind="specialist_da_service",
        area="Greenwich",
        description="Employs Greenwich's three IDVAs.",
        source=SEED,
    ),
    AgencyRecord(
        id="asra", name="Asra", kind="housing_association", description="Floating support provider.", source=SEED
    ),
    AgencyRecord(
        id="refuge",
        name="Refuge",
        kind="specialist_da_service",
        description="Refuges, floating support and the national domestic violence helpline (Refugeline).",
        source=SEED,
    ),
    AgencyRecord(
        id="womens-aid",
        name="Women's Aid",
        kind="specialist_da_service",
        description="Floating support provider.",
        source=f"{SEED}: Floating support is available from providers such as Asra, Refuge and Women's Aid.",
    ),
    AgencyRecord(
        id="newtrack",
        name="NewTrack",
        kind="other",
        area="Greenwich",
        description="A subsidiary of HACTRAC procuring accommodation for vulnerable adults.",
        source=SEED,
    ),
)

SERVICES = (
    ServiceRecord(
        key="greenwich-sanctuary",
        org="greenwich",
        name="Sanctuary Project",
        description="Property risk assessment with the crime prevention officer within 24 hours, usually "
        "completed within 2 working days; always referred for floating support.",
        taxonomy=("sanctuary", "target-hardening"),
        application_process="The options officer faxes the sanctuary form to the sanctuary project officer.",
        area="Greenwich",
        source=SEED,
    ),
    ServiceRecord(
        key="greenwich-rent-deposit",
        org="newtrack",
        name="Rent deposit scheme",
        taxonomy=("rent-deposit",),
        area="Greenwich",
        source=SEED,
    ),
    ServiceRecord(
        key="greenwich-idvas",
        org="womens-trust",
        name="Independent Domestic Violence Advocates",
        description="Three IDVAs with an advocacy role who attend MARACs.",
        taxonomy=("idva",),
        area="Greenwich",
        source=SEED,
    ),
    ServiceRecord(
        key="greenwich-dv-substance-misuse",
        org="greenwich",
        name="DV substance misuse worker",
        description="Specialist post in the Enhance Housing Options virtual team.",
        taxonomy=("substance-misuse",),
        application_process="Options officers refer cases for assessment.",
        area="Greenwich",
        source=SEED,
    ),
    ServiceRecord(
        key="greenwich-housing-aid-centre",
        org="greenwich",
        name="Housing Aid Centre",
        eligibility="Private sector tenants and owner occupiers.",
        taxonomy=("housing-options",),
        area="Greenwich",
        source=SEED,
    ),
    ServiceRecord(
        key="greenwich-emergency-accommodation",
        org="greenwich",
        name="Emergency overnight accommodation",
        taxonomy=("emergency-accommodation",),
        area="Greenwich",
        source=SEED,
    ),
)

FORUMS = (
    ForumRecord(
        key="greenwich-dv-project-board",
        org="greenwich",
        name="Domestic Violence Management Project Board",
        kind="board",
        source=SEED,
    ),
    ForumRecord(
        key="greenwich-dv-forum", org="greenwich", name="Greenwich Multi Agency Domestic Violence Forum", source=SEED
    ),
    ForumRecord(
        key="greenwich-dv-substance-steering",
        org="greenwich",
        name="Domestic Violence and Substance Misuse Project Steering Group",
        kind="steering_group",
        source=SEED,
    ),
    ForumRecord(
        key="greenwich-sanctuary-steering",
        org="greenwich",
        name="Sanctuary Steering Group",
        kind="steering_group",
        purpose="Oversees and reviews the work of the Sanctuary Project.",
        source=SEED,
    ),
    ForumRecord(
        key="greenwich-marac",
        org="greenwich",
        name="Greenwich MARAC",
        kind="marac",
        purpose="Reviews and coordinates service provision in high-risk and complex domestic violence cases.",
        source=SEED,
    ),
    jwa_dv_subgroup("greenwich"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "greenwich":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES, forums=FORUMS)
