"""Cambridgeshire Housing Reciprocal: directory data (seed ``002_c1c7b199d9a53274.txt``).

Each partner identifies "named leads within the Local Authority Housing Team or Registered
Provider" and informs Cambridgeshire Specialist DA Services "of any changes in staffing";
the directory holds them as the ``reciprocal_named_lead`` position, so a change through the
API reaches the reciprocal service as ``RoleHolderChanged``. The seed names posts, not
people: every officer here is an invented placeholder (``invented=True``).
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import AgencyRecord, DirectoryData, OfficerRecord, ServiceRecord

SEED = "002_c1c7b199d9a53274.txt"
COORDINATOR = "cambridgeshire-da-services"
AUTHORITIES = {
    "cambridge": "Cambridge City Council",
    "east-cambridgeshire": "East Cambridgeshire District Council",
    "fenland": "Fenland District Council",
    "huntingdonshire": "Huntingdonshire District Council",
    "south-cambridgeshire": "South Cambridgeshire District Council",
    "peterborough": "Peterborough City Council",
}

OFFICERS = (
    OfficerRecord(
        key="cambs-reciprocal-coordinator",
        org=COORDINATOR,
        name="Reciprocal Coordinator (invented)",
        positions=("reciprocal_coordinator",),
        email="reciprocal.coordinator@cambs-da.example",
        source=SEED,
    ),
    OfficerRecord(
        key="cambs-idva",
        org=COORDINATOR,
        name="Cambridgeshire IDVA (invented)",
        positions=("idva",),
        email="idva@cambs-da.example",
        source=SEED,
    ),
    *(
        OfficerRecord(
            key=f"{org}-reciprocal-named-lead",
            org=org,
            name=f"{name} Reciprocal Named Lead (invented)",
            positions=("reciprocal_named_lead",),
            email=f"reciprocal.lead@{org}.example",
            source=SEED,
        )
        for org, name in AUTHORITIES.items()
    ),
)

AGENCIES = (
    AgencyRecord(
        id=COORDINATOR,
        name="Cambridgeshire Specialist DA Services",
        kind="specialist_da_service",
        area="Cambridgeshire",
        description="Coordinates the Cambridgeshire Housing Reciprocal; IDVA and outreach support throughout "
        "relocation.",
        source=SEED,
    ),
    AgencyRecord(
        id="standing-together",
        name="Standing Together",
        kind="support_agency",
        description="Supporting partner of the Cambridgeshire Housing Reciprocal.",
        source=SEED,
    ),
    AgencyRecord(
        id="daha",
        name="Domestic Abuse Housing Alliance (DAHA)",
        kind="support_agency",
        description="Supporting partner of the Cambridgeshire Housing Reciprocal.",
        source=SEED,
    ),
    AgencyRecord(
        id="safer-london",
        name="Safer London",
        kind="support_agency",
        description="Supporting partner of the Cambridgeshire Housing Reciprocal.",
        source=SEED,
    ),
    *(
        AgencyRecord(id=org, name=name, kind="local_authority", area="Cambridgeshire", source=SEED)
        for org, name in AUTHORITIES.items()
    ),
)

SERVICES = (
    ServiceRecord(
        key="cambs-housing-reciprocal",
        org=COORDINATOR,
        name="Cambridgeshire Housing Reciprocal",
        description="Lets social tenants at risk of harm from domestic or sexual violence and other VAWG strands "
        "move to another local authority area and keep a social tenancy; the referring partner owes an "
        "equal size property back to the central pool.",
        taxonomy=("reciprocal", "housing-options"),
        eligibility="Social tenants at risk of harm who need to move local authority area; others in priority "
        "need at the originating partner lead's discretion.",
        application_process="Referral by Cambridgeshire Specialist DA Services, with sign-off from the partners' "
        "named leads; an Application Reference Code (ARC) is used in all communications.",
        area="Cambridgeshire",
        source=SEED,
    ),
    ServiceRecord(
        key="cambs-idva-outreach",
        org=COORDINATOR,
        name="IDVA and outreach support",
        description="Specialist IDVA or outreach support to all reciprocal applicants throughout relocation.",
        taxonomy=("idva", "outreach"),
        area="Cambridgeshire",
        source=SEED,
    ),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    agencies = tuple(a for a in AGENCIES if a.id == org or (org == COORDINATOR and a.kind != "local_authority"))
    return DirectoryData(
        officers=tuple(o for o in OFFICERS if o.org == org),
        agencies=agencies,
        services=tuple(s for s in SERVICES if s.org == org),
    )
