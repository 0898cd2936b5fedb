"""Dales Housing / Seven Locks Housing: directory data (seed ``003_8738e4ccc4c4272a.txt``).

Principle 9: "The Group will keep an up to date list of local agencies which might be in a
position to offer advice or support to victims of domestic violence" — the directory is
that list, and each landlord lists the agencies the policy names (Women's Aid); principle 2 asks for an interviewer of
the same sex where possible, so housing officers record their sex. The officers are invented placeholders
(``invented=True``); the responsible posts are the seed's ("Head of Neighbourhoods at Dales Housing", "Head of
Housing at Seven Locks Housing").
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import AgencyRecord, DirectoryData, OfficerRecord, ServiceRecord

SEED = "003_8738e4ccc4c4272a.txt"

OFFICERS = (
    OfficerRecord(
        key="dales-head-of-neighbourhoods",
        org="dales-housing",
        name="Dales Head of Neighbourhoods (invented)",
        positions=("dv_lead",),
        job_title="Head of Neighbourhoods",
        email="neighbourhoods@dales.example",
        source=SEED,
    ),
    OfficerRecord(
        key="dales-housing-officer-f",
        org="dales-housing",
        name="Dales Housing Officer (invented)",
        positions=("housing_options_officer",),
        sex="female",
        email="housing.officer@dales.example",
        source=SEED,
    ),
    OfficerRecord(
        key="seven-locks-head-of-housing",
        org="seven-locks-housing",
        name="Seven Locks Head of Housing (invented)",
        positions=("dv_lead",),
        job_title="Head of Housing",
        email="head.of.housing@sevenlocks.example",
        source=SEED,
    ),
    OfficerRecord(
        key="seven-locks-housing-officer-f",
        org="seven-locks-housing",
        name="Seven Locks Housing Officer (invented)",
        positions=("housing_options_officer",),
        sex="female",
        email="housing.officer@sevenlocks.example",
        source=SEED,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="dales-housing",
        name="Dales Housing",
        kind="housing_association",
        description="Registered provider; domestic violence policy AG/013.",
        source=SEED,
    ),
    AgencyRecord(
        id="seven-locks-housing",
        name="Seven Locks Housing",
        kind="housing_association",
        description="Registered provider; domestic violence policy AG/013.",
        source=SEED,
    ),
    AgencyRecord(
        id="womens-aid",
        name="Women's Aid",
        kind="specialist_da_service",
        description="Named in AG/013 as a source of advice and a partner in developing local strategies.",
        source=f"{SEED}: The Group will work closely with Local Authorities and other agencies e.g. Women's Aid",
    ),
)

#: The agencies AG/013 names, which each landlord's list of local agencies (principle 9) carries:
#: both Dales Housing and Seven Locks Housing list them, not only the first.
NAMED_AGENCIES = ("womens-aid",)


def _tenant_service(org: str, name: str) -> ServiceRecord:
    return ServiceRecord(
        key=f"{org}-dv-tenant-support",
        org=org,
        name=f"{name}: help for tenants experiencing domestic violence",
        description="Interview before the end of the next working day, with someone of the same sex or cultural "
        "background where possible; priority transfer like for like and away from the area, or a reciprocal "
        "with another landlord; emergency security measures; rent arrears disregarded at this stage.",
        taxonomy=("housing-options", "reciprocal", "target-hardening"),
        eligibility="Tenants and leaseholders, and anyone living in the Group's accommodation.",
        application_process="Report to housing services, or a referral from an appropriate individual or organisation.",
        source=SEED,
    )


SERVICES = (
    _tenant_service("dales-housing", "Dales Housing"),
    _tenant_service("seven-locks-housing", "Seven Locks Housing"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    return DirectoryData(
        officers=tuple(o for o in OFFICERS if o.org == org),
        agencies=tuple(a for a in AGENCIES if a.id == org or a.id in NAMED_AGENCIES),
        services=tuple(s for s in SERVICES if s.org == org),
    )
