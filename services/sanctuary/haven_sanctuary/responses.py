"""What the sanctuary HTTP API answers: one Struct per JSON shape, so the OpenAPI document
describes every response field by field.

The officers' pages and the API read the same views (:mod:`haven_sanctuary.views`), built as
dicts; the API turns each into its Struct with :func:`haven_runtime.openapi.as_response`, which refuses a key the Struct
does not declare — a field added to a view and not here fails loudly instead of vanishing
from the API. Field names and values are those the API has always answered; a field without
a value is ``null``, not left out (``reason`` of a details fetch excepted: it is there only
when the details did not come).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from haven_contracts.plugin.records import CoreDefault
from haven_contracts.plugin.sanctuary import ClockRule, FundingRule, SecurityMeasure
from haven_runtime.openapi import Out


# -- referrals -----------------------------------------------------------------------------------
class ClockOut(Out, kw_only=True):
    """A running clock: ``remaining_seconds`` is negative once it is past due."""

    key: str
    label: str
    awaiting: str
    started_at: datetime
    target_at: datetime | None
    due_at: datetime
    remaining_seconds: int
    overdue: bool
    overdue_flagged_at: datetime | None


class ReferralSummary(Out, kw_only=True):
    """Where a referral is: its stage, decisions, works and running clocks (no personal data)."""

    ref: str
    org: str
    referrer_org: str
    source: str
    case_ref: str | None
    status: str
    received_at: datetime
    clocks_start_at: datetime
    out_of_hours: bool
    unsafe_to_stay: bool
    details_status: str
    tenure: str | None
    property_type: str | None
    eligibility: str
    landlord_permission: str
    funding: str | None
    funding_status: str
    recommended_measures: list[str]
    works_category: str | None
    works_due_at: datetime | None
    works_completed_at: datetime | None
    emergency_accommodation_requested_at: datetime | None
    survey_satisfaction: int | None
    outcome: str | None
    clocks: list[ClockOut]


class ReferrerView(Out, kw_only=True):
    """What the referring organisation sees of its own referral: the status, nothing more."""

    ref: str
    scheme: str
    status: str
    received_at: datetime
    outcome: str | None


class SubmittedReferral(ReferrerView, kw_only=True):
    """The referrer's view of a referral just submitted, with when its clocks start."""

    out_of_hours: bool
    clocks_start_at: datetime


class CriterionOut(Out, kw_only=True):
    key: str
    label: str
    status: str
    confirmed_by: str | None
    confirmed_org: str | None
    confirmed_at: datetime | None
    source: str
    note: str | None


class UnmetCriterion(Out, kw_only=True):
    key: str
    label: str
    explanation: str
    confirmed_by: str | None


class EligibilityDecision(Out, kw_only=True):
    eligible: bool
    unmet: list[UnmetCriterion]
    pending: list[str]


class DecidedReferral(ReferralSummary, kw_only=True):
    decision: EligibilityDecision


class CriterionRecorded(ReferralSummary, kw_only=True):
    """The referral after one criterion is recorded, with the whole checklist."""

    criteria: list[CriterionOut]


class PersonOut(Out, kw_only=True):
    name: str | None
    address: str | None
    telephone: str | None
    date_of_birth: str | None


class ReferrerOut(Out, kw_only=True):
    name: str | None
    position: str | None
    organisation: str | None
    telephone: str | None
    email: str | None


class FormOut(Out, kw_only=True):
    """The referral form (Appendix A) as received; personal fields are ``null`` once erased or until
    fetched from the referring options case."""

    person: PersonOut
    property_type: str | None
    property_type_other: str | None
    tenure: str | None
    landlord_name: str | None
    reason: str | None
    referrer: ReferrerOut


class ReferralDetail(ReferralSummary, kw_only=True):
    form: FormOut
    criteria: list[CriterionOut]
    works_measures: list[str]
    works_contractor: str | None


class InspectionVisit(Out, kw_only=True):
    ref: str
    address: str | None
    telephone: str | None
    property_type: str | None
    appointment_at: datetime | None


class HistoryEntry(Out, kw_only=True):
    at: datetime
    step: str
    actor: str
    actor_org: str
    detail: dict[str, Any]


class DetailsFetch(Out, kw_only=True):
    """Whether the form's personal details came from the referring options case; ``reason`` when not."""

    ref: str
    details_status: str
    reason: str | msgspec.UnsetType = msgspec.UNSET


# -- schemes, reports and administration ---------------------------------------------------------
WallClock = Annotated[str, msgspec.Meta(pattern=r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$")]
"""A local (Europe/London) wall-clock time, ``HH:MM:SS``."""


class OfficeHoursOut(Out, kw_only=True):
    """Opening hours by ISO weekday (1 = Monday): ``[opens, closes]``; a missing day is closed."""

    days: dict[int, Annotated[list[WallClock], msgspec.Meta(min_length=2, max_length=2)]]
    source: str


class SchemeOut(Out, kw_only=True):
    """A scheme's published procedure, and which of its settings are core defaults."""

    org: str
    name: str
    borough: str
    police_org: str | None
    office_hours: OfficeHoursOut
    works_categories: list[str]
    clocks: list[ClockRule]
    catalogue: list[SecurityMeasure]
    funding: list[FundingRule]
    cost_to_victim_pence: int
    source: str
    core_defaults: list[CoreDefault]


class FundingBucket(Out, kw_only=True):
    referrals: int
    cost_pence: int


class FundingReport(Out, kw_only=True):
    """Completed works of a scheme by funding source (pence)."""

    org: str
    by_funding: dict[str, FundingBucket]
    total_cost_pence: int
    cost_to_victims_pence: int
