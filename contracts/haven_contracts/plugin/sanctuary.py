"""Sanctuary hooks: what an organisation's plugin adds to the sanctuary service.

The sanctuary workflow itself is core (seed ``004_d4b796f614d2cfd3.txt``, the reference
process): the referral form, the eight eligibility criteria, police inspection and
recommendations, works, funding by tenure, the survey. A scheme operator's plugin supplies
the values: office hours, clocks, catalogue, funding rules, police partner — and may add
criteria, extend the catalogue or replace the borough check. Fields a plugin leaves at
their defaults take the documented core defaults (``services/sanctuary/README.md``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from haven_contracts.clocks import OfficeHours, ServiceLevel
from haven_contracts.ids import OrgId
from haven_contracts.plugin import hookspec

Tenure = Literal["council_tenant", "housing_association_tenant", "private_sector_tenant", "owner_occupier"]
PropertyType = Literal["flat", "maisonette", "house", "bungalow", "other"]
CriterionStatus = Literal["met", "not_met", "pending", "not_applicable"]

Milestone = Literal[
    "received",
    "eligibility_decided",
    "inspection_requested",
    "inspection_booked",
    "inspected",
    "recommendations_received",
    "works_ordered",
    "works_completed",
    "survey_sent",
]
"""Steps of a referral a clock may start or stop at. ``received`` is the referral's clock
start (the next opening when it arrived out of hours)."""

FundingSource = Literal[
    "existing_budget",
    "preventing_homelessness_grant",
    "landlord",
    "council",
    "police",
    "other",
]


class SecurityMeasure(msgspec.Struct, frozen=True, kw_only=True):
    """One item of a scheme's security-measure catalogue; ``key`` is what events carry."""

    key: str
    label: str
    source: str = ""


class EligibilityCriterion(msgspec.Struct, frozen=True, kw_only=True):
    """A criterion that must be met (or not applicable) before measures are approved."""

    key: str
    label: str
    source: str = ""


class CriterionOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin's automatic finding on one criterion; ``reason`` explains it to officers."""

    status: CriterionStatus
    reason: str = ""


class ClockRule(msgspec.Struct, frozen=True, kw_only=True):
    """A timescale of the scheme: from milestone ``starts`` until milestone ``stops``.

    ``level`` ``None`` means the due time is supplied when the clock starts (a contractor's
    own timescale, given when works are ordered). ``categories`` restricts a works clock to
    works of those categories (e.g. Lewisham's ``complex`` sanctuaries); empty = all.
    ``office_hours_only``: the clock starts at the next opening when started out of hours.
    """

    key: str
    label: str
    starts: Milestone
    stops: Milestone
    level: ServiceLevel | None = None
    categories: tuple[str, ...] = ()
    office_hours_only: bool = False


class FundingRule(msgspec.Struct, frozen=True, kw_only=True):
    """Who pays for the works of a tenure. ``fallback`` pays when ``funding`` (a landlord
    asked to resource the works) declines. Never the victim: there is no cost to them."""

    tenure: Tenure
    funding: FundingSource
    fallback: FundingSource | None = None
    source: str = ""


class SanctuaryScheme(msgspec.Struct, frozen=True, kw_only=True):
    """A scheme operator's settings. Empty / ``None`` fields take the core defaults.

    ``office_hours`` ``None``: the organisation's manifest hours, else the core default.
    ``borough`` names the area for the "lives in the borough" criterion; ``postcode_districts``
    (outward codes such as ``DA1``) let the core borough check find it met automatically.
    ``police_org`` is the police partner whose ``police_cpo`` officers record inspections.
    ``works_categories`` are the kinds of works order the scheme distinguishes.
    ``clocks`` are merged over the core default clocks by ``key`` (same key: the scheme's
    rule replaces the core one); ``omit_core_clocks`` lists core clock keys the scheme
    does not use.
    """

    org: OrgId
    name: str
    borough: str = ""
    office_hours: OfficeHours | None = None
    clocks: tuple[ClockRule, ...] = ()
    omit_core_clocks: tuple[str, ...] = ()
    catalogue: tuple[SecurityMeasure, ...] = ()
    funding: tuple[FundingRule, ...] = ()
    postcode_districts: tuple[str, ...] = ()
    police_org: OrgId | None = None
    works_categories: tuple[str, ...] = ()
    survey: bool = True
    source: str = ""


class ReferralFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What a hook may know about a referral: no name, telephone or date of birth.

    ``postcode_district`` is the outward code found in the address (``DA1``), if any.
    """

    referral_ref: str
    org: OrgId
    referrer_org: OrgId
    tenure: Tenure | None = None
    property_type: PropertyType | None = None
    postcode_district: str | None = None
    received_at: datetime | None = None
    unsafe_to_stay: bool = False


@hookspec(firstresult=True)
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    """The sanctuary scheme run by ``org``; ``None`` when ``org`` runs none.

    The first plugin (in name order) serving ``org`` that returns a scheme wins. Unset
    fields take the core defaults documented in ``services/sanctuary/README.md``.

    Example::

        @hookimpl
        def haven_sanctuary_scheme(org):
            return SanctuaryScheme(
                org="dartford", name="Dartford Sanctuary Scheme", borough="Dartford",
                office_hours=OFFICE_HOURS,
                clocks=(ClockRule(key="police_request", label="Ask the police to inspect",
                                  starts="received", stops="inspection_requested",
                                  level=ServiceLevel(amount=3, unit="working_days"),
                                  office_hours_only=True),),
            )
    """


@hookspec
def haven_sanctuary_criteria(org: str, referral: ReferralFacts) -> list[EligibilityCriterion]:
    """Extra eligibility criteria for a referral to ``org``'s scheme, added to the core eight.

    Called when a referral is received; each returned criterion starts ``pending`` and must
    be confirmed by an officer like the core ones.

    Example::

        @hookimpl
        def haven_sanctuary_criteria(org, referral):
            if referral.tenure == "private_sector_tenant":
                return [EligibilityCriterion(key="tenancy_over_6_months",
                                             label="Tenancy has more than six months to run")]
            return []
    """


@hookspec
def haven_sanctuary_catalogue(org: str) -> list[SecurityMeasure]:
    """Measures added to ``org``'s catalogue (after the scheme's own list); keys must be new.

    Example::

        @hookimpl
        def haven_sanctuary_catalogue(org):
            return [SecurityMeasure(key="link_line_alarm",
                                    label="Link-line alarm to the local police")]
    """


@hookspec(firstresult=True)
def haven_sanctuary_borough_check(org: str, referral: ReferralFacts) -> CriterionOutcome | None:
    """Replace the core "lives in the scheme's borough" check for ``org``.

    Return ``None`` to fall back to the core check (postcode district in the scheme's
    ``postcode_districts`` → met; otherwise pending for an officer to confirm).

    Example::

        @hookimpl
        def haven_sanctuary_borough_check(org, referral):
            if referral.postcode_district in {"DA1", "DA2"}:
                return CriterionOutcome(status="met", reason="postcode district in the borough")
            return None
    """
