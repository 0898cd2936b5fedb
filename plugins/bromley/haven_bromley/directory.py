"""London Borough of Bromley: directory data (seed ``001_2a45bb55c36fcb52.txt``, Bromley).

Seed ``000_93a7cd5d2a8b6030.txt``: boroughs contact each other "using a list of named
officers with DV leads and team managers". The seeds name positions, not people: the
officers below are invented placeholders (``invented=True``, ``.example`` addresses) that a
deployment replaces through the directory API. "Any DV cases are always offered a female
officer to conduct the interview", so the options officers record their sex for routing.

Hours: the One-Stop Shop "is open two mornings a week" (``001_2a45bb55c36fcb52.txt``) — a
weekly schedule without days or times, because the seed names neither; the Bromley Women's Aid
meeting "takes place every six weeks".
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
        key="bromley-dv-lead",
        org="bromley",
        name="Bromley DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@bromley.example",
        source=JWA,
        job_title="DV officer: single point of reference for external agencies",
    ),
    OfficerRecord(
        key="bromley-team-manager",
        org="bromley",
        name="Bromley Team Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@bromley.example",
        source=JWA,
    ),
    OfficerRecord(
        key="bromley-options-officer-f1",
        org="bromley",
        name="Bromley Options Officer (invented)",
        positions=("housing_options_officer",),
        sex="female",
        email="options.officer1@bromley.example",
        team="Options and Assessment Team",
        source=SEED,
    ),
    OfficerRecord(
        key="bromley-dv-coordinator",
        org="bromley",
        name="Bromley DV Coordinator (invented)",
        positions=("dv_coordinator",),
        email="dv.coordinator@bromley.example",
        source=SEED,
    ),
    OfficerRecord(
        key="bromley-subgroup-member",
        org="bromley",
        name="Bromley Homelessness Sub-group Member (invented)",
        positions=("homelessness_subgroup_member",),
        email="homelessness.subgroup@bromley.example",
        source=JWA,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="bromley",
        name="London Borough of Bromley",
        kind="local_authority",
        area="Bromley",
        description="Housing options for people fleeing domestic violence; a female officer is always offered.",
        source=SEED,
    ),
    AgencyRecord(
        id="bromley-womens-aid",
        name="Bromley Women's Aid",
        kind="specialist_da_service",
        area="Bromley",
        description="Outreach and floating support; meets Housing Options every six weeks.",
        source=SEED,
    ),
    AgencyRecord(
        id="victim-support",
        name="Victim Support",
        kind="support_agency",
        description="Support and practical advice for anyone affected by crime.",
        source=SEED,
    ),
    AgencyRecord(
        id="refuge",
        name="Refuge",
        kind="specialist_da_service",
        description="Refuges, floating support and the national domestic violence helpline (Refugeline).",
        source=f"{SEED}: If emergency accommodation is required Housing Options staff contact Refugeline",
    ),
    AgencyRecord(
        id="bromley-community-safety-unit",
        name="Bromley Community Safety Unit (police)",
        kind="police",
        area="Bromley",
        source=SEED,
    ),
)

LOCATIONS = (
    LocationRecord(
        key="bromley-one-stop-shop-venue", org="bromley", name="Bromley One-Stop Shop", confidential=False, source=SEED
    ),
)

#: "It is open two mornings a week": a weekly opening whose days and hours the source does not
#: give, so none are invented (``001_2a45bb55c36fcb52.txt``, Bromley).
ONE_STOP_SHOP_HOURS = Session(
    freq="WEEKLY",
    description="Open two mornings a week",
    notes="The source names neither the mornings nor the hours; ask the service.",
    source=f"{SEED}: The One-Stop Shop provides sign posting and legal advice. It is open two mornings a week.",
)

SERVICES = (
    ServiceRecord(
        key="bromley-one-stop-shop",
        org="bromley",
        name="One-Stop Shop",
        description="Staffed by a police officer from Bromley Community Safety Unit, a family-law solicitor, "
        "HPU, Bromley Women's Aid and Victim Support; often the first port of call. Signposting and "
        "legal advice.",
        taxonomy=("advice", "legal-advice"),
        schedules=(ONE_STOP_SHOP_HOURS,),
        location_keys=("bromley-one-stop-shop-venue",),
        area="Bromley",
        source=SEED,
    ),
    ServiceRecord(
        key="bromley-sanctuary",
        org="bromley",
        name="Sanctuary Scheme",
        taxonomy=("sanctuary",),
        application_process="Staff complete a referral form; most referrals come from the police.",
        area="Bromley",
        source=SEED,
    ),
    ServiceRecord(
        key="bromley-rent-deposit",
        org="bromley",
        name="Rent deposit / private sector",
        description="With floating support from the family caseworker in the support and resettlement team.",
        taxonomy=("rent-deposit", "floating-support"),
        area="Bromley",
        source=SEED,
    ),
    ServiceRecord(
        key="bromley-womens-aid-outreach",
        org="bromley-womens-aid",
        name="Outreach and floating support",
        taxonomy=("outreach", "floating-support"),
        area="Bromley",
        source=SEED,
    ),
    ServiceRecord(
        key="bromley-landlord-negotiation",
        org="bromley",
        name="Landlord negotiation",
        description="Negotiates a housing-association transfer or a reciprocal move, and payment plans for debt.",
        taxonomy=("housing-options", "reciprocal"),
        area="Bromley",
        source=SEED,
    ),
    ServiceRecord(
        key="bromley-emergency-accommodation",
        org="bromley",
        name="Emergency overnight accommodation",
        taxonomy=("emergency-accommodation",),
        area="Bromley",
        source=SEED,
    ),
)

FORUMS = (
    ForumRecord(key="bromley-marac", org="bromley", name="Bromley MARAC", kind="marac", source=SEED),
    ForumRecord(key="bromley-dv-forum", org="bromley", name="Domestic Violence Forum", source=SEED),
    ForumRecord(
        key="bromley-bwa-meeting",
        org="bromley",
        name="Bromley Women's Aid meeting",
        kind="case_conference",
        purpose="Case conference and service update; staff shadowing between Housing Options and BWA.",
        cadence="every six weeks",
        schedule=Session(freq="WEEKLY", interval=6, source=f"{SEED}: Meeting takes place every six weeks"),
        source=SEED,
    ),
    jwa_dv_subgroup("bromley"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "bromley":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES, locations=LOCATIONS, forums=FORUMS)
