"""London Borough of Bexley: directory data (seed ``001_2a45bb55c36fcb52.txt``, Bexley).

Seed ``000_93a7cd5d2a8b6030.txt``: boroughs contact each other "using a list of named
officers with DV leads and team managers". The seeds name positions, not people: the
officers below are invented placeholders (``invented=True``, ``.example`` addresses) that a
deployment replaces through the directory API. Agencies, services and forums are those the
seed names; it gives no phone numbers or addresses for them, so none are invented.

Hours: the legal clinic is a typed weekly schedule on Wednesdays, quoting
``001_2a45bb55c36fcb52.txt`` ("holds a legal clinic on Wednesday afternoons"); the seed gives
no clock times, so none are set.
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
        key="bexley-dv-lead",
        org="bexley",
        name="Bexley DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@bexley.example",
        source=JWA,
    ),
    OfficerRecord(
        key="bexley-team-manager",
        org="bexley",
        name="Bexley Team Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@bexley.example",
        source=JWA,
    ),
    # "In Bexley there are two housing options officers with a DV specialism."
    OfficerRecord(
        key="bexley-dv-specialist-1",
        org="bexley",
        name="Bexley DV Specialist One (invented)",
        positions=("housing_options_officer",),
        dv_specialism=True,
        email="dv.specialist1@bexley.example",
        source=SEED,
    ),
    OfficerRecord(
        key="bexley-dv-specialist-2",
        org="bexley",
        name="Bexley DV Specialist Two (invented)",
        positions=("housing_options_officer",),
        dv_specialism=True,
        email="dv.specialist2@bexley.example",
        source=SEED,
    ),
    OfficerRecord(
        key="bexley-subgroup-member",
        org="bexley",
        name="Bexley Homelessness Sub-group Member (invented)",
        positions=("homelessness_subgroup_member",),
        email="homelessness.subgroup@bexley.example",
        source=JWA,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="bexley",
        name="London Borough of Bexley",
        kind="local_authority",
        area="Bexley",
        description="Housing options for people fleeing domestic violence, with two DV specialist officers.",
        source=SEED,
    ),
    AgencyRecord(
        id="bexley-womens-aid",
        name="Bexley Women's Aid",
        kind="specialist_da_service",
        area="Bexley",
        description="Floating support for women experiencing domestic violence.",
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
        source=SEED,
    ),
    AgencyRecord(id="erith-law-centre", name="Erith Law Centre", kind="advice_agency", area="Bexley", source=SEED),
    AgencyRecord(
        id="bexley-citizens-advice", name="Citizens Advice Bexley", kind="advice_agency", area="Bexley", source=SEED
    ),
)

LOCATIONS = (
    LocationRecord(
        key="bexley-housing-options-centre",
        org="bexley",
        name="Bexley housing options centre",
        confidential=False,
        source=SEED,
    ),
)

SERVICES = (
    ServiceRecord(
        key="bexley-housing-options-dv",
        org="bexley",
        name="Housing options for domestic violence",
        description="Seen as an emergency by one of two DV specialist housing options officers; otherwise by "
        "another officer using the DV specialists' procedure folder.",
        taxonomy=("housing-options",),
        application_process="Approach reception with proof documents.",
        location_keys=("bexley-housing-options-centre",),
        area="Bexley",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-bobby-van",
        org="bexley",
        name="Bobby Van",
        description="Secures windows and doors, new front doors, spy-holes and link-line alarms linked to the "
        "local police, set at green, amber or red.",
        taxonomy=("sanctuary", "target-hardening"),
        area="Bexley",
        fees="No cost to the victim.",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-bond-deposit",
        org="bexley",
        name="Bond deposit scheme",
        taxonomy=("rent-deposit",),
        area="Bexley",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-womens-aid-floating-support",
        org="bexley-womens-aid",
        name="Floating support",
        taxonomy=("floating-support",),
        area="Bexley",
        application_process="Housing Options staff telephone with the client's details to make a referral.",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-crisis-intervention",
        org="bexley",
        name="Crisis Intervention Team",
        description="First port of call for signposting; works closely with the police under a referral protocol.",
        taxonomy=("advice", "police"),
        area="Bexley",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-legal-clinic",
        org="bexley",
        name="Legal clinic",
        description="Appointments with a legal representative, including advice on mortgaged properties.",
        taxonomy=("legal-advice",),
        application_process="Make an appointment through the Crisis Intervention Team.",
        schedules=(
            Session(
                byday="WE",
                description="Wednesday afternoons",
                notes="The source gives the afternoon, not the hours.",
                source=f"{SEED}: The Crisis Intervention Team holds a legal clinic on Wednesday afternoons",
            ),
        ),
        location_keys=("bexley-housing-options-centre",),
        area="Bexley",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-emergency-accommodation",
        org="bexley",
        name="Emergency overnight accommodation",
        description="The council's own emergency overnight accommodation when Refugeline cannot place.",
        taxonomy=("emergency-accommodation",),
        area="Bexley",
        source=SEED,
    ),
    ServiceRecord(
        key="bexley-bcu-counselling",
        org="bexley",
        name="BCU counselling (signposting)",
        taxonomy=("counselling",),
        area="Bexley",
        source=SEED,
    ),
)

FORUMS = (
    ForumRecord(
        key="bexley-dv-forum",
        org="bexley",
        name="Domestic Violence Forum",
        purpose="Setting up a new Steering Group.",
        source=SEED,
    ),
    ForumRecord(
        key="bexley-hate-crime-panel",
        org="bexley",
        name="Hate Crime Panel",
        kind="panel",
        members=("Crisis Intervention Team", "Housing", "Social services", "Victim Support", "Police"),
        source=SEED,
    ),
    ForumRecord(
        key="bexley-marac",
        org="bexley",
        name="Bexley MARAC",
        kind="marac",
        status="being set up",
        purpose="Expected to grow out of the Hate Crime Panel.",
        source=SEED,
    ),
    jwa_dv_subgroup("bexley"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "bexley":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES, locations=LOCATIONS, forums=FORUMS)
