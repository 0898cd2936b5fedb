"""What the options service answers, typed: the structs its OpenAPI document publishes.

Handlers build these from the rows and mappings the domain modules return (the officers'
pages render the same mappings), field for field, so each encodes to the JSON the mapping did.
:class:`~haven_runtime.openapi.Out` refuses a key it does not publish, so a mapping that gains a field fails loudly
instead of losing it. Where an answer is a plugin's record plus a few fields of the case, the
struct extends the record's type (:class:`OptionAvailable`, :class:`InterviewOut`).
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from haven_contracts.events.options import PersonDetails, ReferralDetailsReply
from haven_contracts.plugin.options import HousingOption, InterviewRouting
from haven_options.dash import DashResult
from haven_runtime.openapi import Out

# -- cases -----------------------------------------------------------------------------------


class Household(Out):
    adults: int
    children: int
    pregnant: bool


class InterviewOut(InterviewRouting, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """How the client is interviewed (the routing chosen when the case was opened) and its clock."""

    due_at: datetime | None
    held_at: datetime | None
    overdue: bool
    clock_core_default: dict[str, str] | None


class DutyClockOut(Out):
    """A statutory duty's clock (prevention, relief, ...)."""

    duty: str
    started_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    expired: bool


class CaseOut(Out):
    ref: str
    org: str
    status: str
    channel: str
    tenure: str
    approached_at: datetime
    household: Household
    perpetrator_at_property: bool | None
    homelessness: str
    interview: InterviewOut
    marac_recommended: bool
    duties: list[DutyClockOut]
    person: PersonDetails | None = None


class CaseSummary(Out):
    """A case in the organisation's list: no personal fields."""

    ref: str
    status: str
    channel: str
    tenure: str
    approached_at: datetime
    interview_due_at: datetime | None
    interview_overdue: bool


class InterviewHeld(Out):
    ref: str
    held_at: datetime | None
    on_time: bool | None


class AddressMarked(Out):
    ref: str
    address_kind: str | None
    former_address_recorded: bool


class CaseClosed(Out):
    ref: str
    status: str


class LocalConnectionChecked(Out):
    ref: str
    to_org: str
    referral_permitted: bool
    note: str


class TaBookingOut(Out):
    """A night (or an extension) of temporary accommodation booked on the case (JWA)."""

    ref: str
    case_ref: str
    starts_on: date
    ends_on: date
    from_org: str | None
    extended: bool
    due_at: datetime | None
    ended_at: datetime | None
    overdue: bool


class DutyOut(Out):
    ref: str
    duty_accepted: bool
    accepted_at: datetime | None
    accepted_by: str | None


# -- risk ------------------------------------------------------------------------------------


class MaracOut(Out):
    name: str | None
    live: bool | None
    source: str | None


class DashAssessed(DashResult, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """A DASH checklist recorded: the criteria that fired and the MARAC it would go to."""

    ref: str
    case_ref: str
    marac: MaracOut


class AssessmentOut(Out):
    ref: str
    yes_count: int
    criteria: list[str]
    marac_recommended: bool
    assessed_at: datetime
    answers: list[str]


class MaracReferral(Out):
    case_ref: str
    referred_on: date | None
    basis: str


class RiskFactor(Out):
    number: int
    topic: str


# -- options, referrals and the sheet --------------------------------------------------------


class OptionAvailable(HousingOption, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """An option for the case with its eligibility, what was done with it and whose consent referring needs."""

    status: str | None
    consent_recipient: str | None


class OptionOffered(Out):
    option_id: str
    kind: str
    status: str


class ReferralOut(Out):
    """A referral a chosen option opened, with its clock."""

    ref: str
    kind: str
    option_id: str
    to_org: str
    created_at: datetime
    bedrooms: int | None
    unsafe_areas: list[str]
    due_at: datetime | None
    completed_at: datetime | None
    overdue: bool
    on_time: bool | msgspec.UnsetType = msgspec.UNSET  # once completed, by this call


class ReferralBrief(Out):
    ref: str
    to_org: str


class OptionDecided(Out):
    option_id: str
    kind: str
    status: str
    referral_due_at: datetime | None
    referral: ReferralBrief | None
    referrals: list[ReferralOut]


class OptionReferralCompleted(Out):
    option_id: str
    referral_due_at: datetime | None
    referral_completed_at: datetime | None
    on_time: bool


class SheetOrganisation(Out):
    id: str
    name: str


class SheetOfficer(Out):
    name: str
    contact: str | None


class SheetOption(Out):
    id: str
    title: str
    kind: str
    status: str
    refer_to: str
    referral_due_at: str | None


class SheetAdvice(Out):
    topic: str
    text: str
    source: str


class AgencyContact(Out):
    key: str
    name: str
    phones: list[str]
    hours: list[str]
    refer_to: str


class SheetClock(Out):
    duty: str
    started_at: str
    due_at: str | None
    ended_at: str | None


class SheetContent(Out):
    """One issued version of the options offered / advice given sheet, as issued."""

    ref: str
    title: str
    case_ref: str
    organisation: SheetOrganisation
    version: int
    issued_at: str
    officer: SheetOfficer
    options: list[SheetOption]
    advice: list[SheetAdvice]
    support_agencies: list[str]
    agency_contacts: list[AgencyContact]
    statutory_clocks: list[SheetClock]
    source: str


class SheetVersion(Out):
    ref: str
    version: int
    issued_by: str
    issued_at: datetime


# -- consent ---------------------------------------------------------------------------------


class ConsentOut(Out):
    ref: str
    purpose: str
    recipient: str
    given_at: datetime
    given_by: str
    withdrawn_at: datetime | None
    active: bool


class OverrideOut(Out):
    """A safeguarding override: sharing without consent, by a senior, flagged for review."""

    ref: str
    purpose: str
    recipient: str
    authorised_by: str
    at: datetime
    flagged: bool


class ConsentsOut(Out):
    consents: list[ConsentOut]
    safeguarding_overrides: list[OverrideOut]


# -- the joint working agreement -------------------------------------------------------------


class NotificationOut(Out):
    ref: str
    from_org: str
    to_org: str
    case_ref: str
    addressed_to: list[str]
    at: datetime
    acknowledged: bool = False
    information_shared: bool = False


class InboxItemOut(Out):
    """A notification with the information borough A shared, when it shared any."""

    ref: str
    from_org: str
    case_ref: str
    acknowledged: bool
    information_shared: bool
    information: ReferralDetailsReply | None


class Acknowledged(Out):
    ref: str
    status: str


class InfoRequestOut(Out):
    ref: str
    requester_org: str
    responder_org: str
    case_ref: str
    their_case_ref: str | None
    requested_at: datetime
    due_at: datetime | None
    provided_at: datetime | None
    information_shared: bool
    overdue: bool
    received_at: datetime | None = None


class InfoRequestRead(InfoRequestOut, kw_only=True):
    """A request; the requester sees the information shared once provided."""

    information: ReferralDetailsReply | None


class IdentifyingDetails(Out):
    name: str
    date_of_birth: date | None


class Candidate(Out):
    case_ref: str
    status: str
    approached_at: datetime
    matched_on: list[str]


class Identification(Out):
    """Which of the responder's cases the request may mean, those matching on more first."""

    request_ref: str
    details: IdentifyingDetails
    candidates: list[Candidate]


class DisputeOut(Out):
    ref: str
    org: str
    other_org: str
    case_ref: str
    status: str
    raised_at: datetime
    escalated_to: list[str]
    tabled_meeting_on: date | None = None
    tabled_forum: str | None = None


# -- monitoring, arrears, interviewer, emergency accommodation -------------------------------


class PairRow(Out):
    """One borough pair's JWA counts for the DV sub-group."""

    from_org: str
    to_org: str
    notifications: int
    acknowledgements: int
    information_requests: int
    information_provided: int
    breaches: int
    one_night_bookings: int
    disputes_raised: int
    disputes_escalated: int
    response_minutes_median: float | None
    response_minutes_p90: float | None
    options_offered: dict[str, int]
    outcomes: dict[str, int]


class OrganisationRow(Out):
    org: str
    options_offered: dict[str, int]
    outcomes: dict[str, int]
    safeguarding_overrides: int


class JwaReport(Out):
    """The JWA monitoring report for ``[from, to)``."""

    from_: str = msgspec.field(name="from")
    to: str
    pairs: list[PairRow]
    organisations: list[OrganisationRow]


class ArrearsDecisionOut(Out):
    case_ref: str
    decision: str
    transfer_option_id: str
    decided_by: str
    decided_at: datetime


class ArrearsUndecided(Out):
    """No decision recorded yet: whether one is due (rent arrears and a transfer chosen)."""

    case_ref: str
    decision: None
    rent_arrears: bool
    transfer_chosen: bool


class InterviewerMatchOut(Out):
    case_ref: str
    offered: list[str]
    requested: list[str]
    interviewed_by: str
    provided: list[str]
    request_met: bool
    unmet: list[str]
    reason_not_met: str | None
    recorded_by: str
    recorded_at: datetime


class InterviewerMatchNotRecorded(Out):
    case_ref: str
    required_offers: list[str]
    recorded: bool


class EmergencyAccommodationOut(Out):
    ref: str
    referral_ref: str
    case_ref: str | None
    trigger: str
    requested_at: datetime
    due_at: datetime
    arranged_at: datetime | None
    return_safe_at: datetime | None
    status: str
    overdue: bool
