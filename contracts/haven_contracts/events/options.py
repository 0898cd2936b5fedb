"""Options service events: cases and the Joint Working Agreement across boroughs
(seed ``000_93a7cd5d2a8b6030.txt``). References only — never a name, address or free text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from haven_contracts.ids import Code, Codes, OfficerId, OfficerIds, OrgId, Reference, Text
from haven_contracts.messages import Event, Reply, Request


class MoveNotified(Event):
    """JWA advance contact: borough ``org`` (duty accepted) tells borough ``to_org`` that the
    client intends to approach it. Addressed to B's named officers by directory id."""

    service = "options"
    name = "move-notified"
    version = 1

    to_org: OrgId
    notification_ref: Reference
    case_ref: Reference
    addressed_to: OfficerIds
    notified_at: datetime
    information_shared: bool = False


class SanctuaryReferralRequested(Event):
    """A case's sanctuary option was chosen: borough ``org`` refers the case to the sanctuary
    scheme run by ``to_org`` (which may be ``org`` itself). References only: the scheme asks
    for the referral form's personal details with :class:`ReferralDetailsRequest`."""

    service = "options"
    name = "sanctuary-referral-requested"
    version = 1

    to_org: OrgId
    case_ref: Reference
    referral_ref: Reference
    requested_at: datetime
    unsafe_to_stay: bool = False
    out_of_hours: bool = False
    #: when the client approached (reported to) the referring organisation: the scheme's clocks start then
    approached_at: datetime | None = None


class ReciprocalReferralRequested(Event):
    """A case's reciprocal option was chosen: partner ``org`` refers the case into the housing
    reciprocal coordinated by ``to_org`` (seed ``002_c1c7b199d9a53274.txt`` §3: partners
    integrate "referral into the Reciprocal into existing local referral pathways"). References
    only: the coordinator asks for the household's details with :class:`ReferralDetailsRequest`."""

    service = "options"
    name = "reciprocal-referral-requested"
    version = 1

    to_org: OrgId
    case_ref: Reference
    referral_ref: Reference
    requested_at: datetime


class ReferralDetailsRequest(Request):
    """Ask the owning options service (``target_org``) for the personal details a referral
    needs. Answered only when the client's consent to share with ``requested_by`` is
    recorded (or a safeguarding override is), and audited by the owner; the reply goes to
    the requester's inbox and is never stored in a stream."""

    service = "options"
    name = "referral-details"
    version = 1

    case_ref: Reference
    referral_ref: Reference
    requested_by_officer: OfficerId = ""


class PersonDetails(msgspec.Struct, frozen=True, kw_only=True):
    name: Text
    address: Text | None = None
    phone: Text | None = None
    date_of_birth: date | None = None
    safe_contact: Text | None = None


class ReferralDetailsReply(Reply):
    case_ref: Reference | None = None
    person: PersonDetails | None = None
    tenure: Code | None = None
    landlord_name: Text | None = None
    referrer_officer: OfficerId | None = None
    referrer_contact: Text | None = None
    household_adults: int | None = None
    household_children: int | None = None
    perpetrator_at_property: bool | None = None
    consent_basis: Text | None = None


ReferralDetailsRequest.reply_type = ReferralDetailsReply


# -- cases ---------------------------------------------------------------------------------
# Facts about one organisation's own cases. Codes, references and timestamps only.


class CaseOpened(Event):
    """A client's approach became case ``case_ref`` at ``org``."""

    service = "options"
    name = "case-opened"
    version = 1

    case_ref: Reference
    channel: Code
    tenure: Code
    opened_at: datetime
    seen_as_emergency: bool = False
    from_org: OrgId | None = None


class CaseClosed(Event):
    service = "options"
    name = "case-closed"
    version = 1

    case_ref: Reference
    closed_at: datetime
    outcome: Code = ""


class InterviewScheduled(Event):
    """The interview clock started: who interviews and by when (AG/013 principle 1)."""

    service = "options"
    name = "interview-scheduled"
    version = 1

    case_ref: Reference
    interviewer: OfficerId
    due_at: datetime
    same_sex_offered: bool = False
    same_culture_offered: bool = False
    seen_as_emergency: bool = False


class InterviewHeld(Event):
    service = "options"
    name = "interview-held"
    version = 1

    case_ref: Reference
    held_at: datetime
    on_time: bool = True


class InterviewOverdue(Event):
    service = "options"
    name = "interview-overdue"
    version = 1

    case_ref: Reference
    due_at: datetime
    detected_at: datetime


class RiskAssessed(Event):
    """A DASH risk identification checklist was completed; ``criteria`` names the MARAC
    criteria that fired (``visible_high_risk``, ``professional_judgement``,
    ``potential_escalation``, ``repeat``)."""

    service = "options"
    name = "risk-assessed"
    version = 1

    case_ref: Reference
    assessment_ref: Reference
    yes_count: int
    criteria: Codes = []
    marac_recommended: bool = False
    assessed_at: datetime


class MaracCriteriaMet(Event):
    service = "options"
    name = "marac-criteria-met"
    version = 1

    case_ref: Reference
    assessment_ref: Reference
    criteria: Codes
    assessed_at: datetime


class MaracReferred(Event):
    service = "options"
    name = "marac-referred"
    version = 1

    case_ref: Reference
    referred_at: datetime
    override: bool = False


class OptionsOffered(Event):
    """Options were offered on a case; ids and kinds only."""

    service = "options"
    name = "options-offered"
    version = 1

    case_ref: Reference
    option_ids: Codes
    kinds: Codes
    offered_at: datetime


class OptionReferralOverdue(Event):
    """A chosen option's referral was not completed by its deadline (the option's
    ``referral_level``, e.g. Lewisham's "Between 24-48 hours to complete a Risk Assessment",
    ``001_2a45bb55c36fcb52.txt``). Raised once per option."""

    service = "options"
    name = "option-referral-overdue"
    version = 1

    case_ref: Annotated[str, msgspec.Meta(max_length=40)]
    option_id: Annotated[str, msgspec.Meta(max_length=80)]
    kind: Annotated[str, msgspec.Meta(max_length=40)]
    due_at: datetime
    detected_at: datetime


class OptionDecided(Event):
    """The client chose or refused an offered option."""

    service = "options"
    name = "option-decided"
    version = 1

    case_ref: Reference
    option_id: Code
    kind: Code
    decision: Code
    decided_at: datetime
    referral_due_at: datetime | None = None


class SheetIssued(Event):
    """A version of the options offered / advice given sheet was issued (JWA procedure)."""

    service = "options"
    name = "sheet-issued"
    version = 1

    case_ref: Reference
    sheet_ref: Reference
    sheet_version: int
    issued_at: datetime


class DutyClockStarted(Event):
    """A statutory duty clock started (``prevention``, ``relief``, ``interim_accommodation``,
    ``main_duty_decision``)."""

    service = "options"
    name = "duty-clock-started"
    version = 1

    case_ref: Reference
    duty: Code
    started_at: datetime
    due_at: datetime | None = None


class DutyClockExpired(Event):
    service = "options"
    name = "duty-clock-expired"
    version = 1

    case_ref: Reference
    duty: Code
    due_at: datetime
    detected_at: datetime


class LocalConnectionReferralRefused(Event):
    """A local-connection referral to ``to_org`` was refused because someone in the household
    is at risk of domestic abuse there."""

    service = "options"
    name = "local-connection-referral-refused"
    version = 1

    case_ref: Reference
    refused_at: datetime
    considered_org: OrgId


class ConsentGiven(Event):
    service = "options"
    name = "consent-given"
    version = 1

    case_ref: Reference
    consent_ref: Reference
    purpose: Code
    recipient: OfficerId
    at: datetime


class ConsentWithdrawn(Event):
    service = "options"
    name = "consent-withdrawn"
    version = 1

    case_ref: Reference
    consent_ref: Reference
    purpose: Code
    recipient: OfficerId
    at: datetime


class SafeguardingOverrideRecorded(Event):
    """A senior officer authorised a share without consent; the reason stays in the service."""

    service = "options"
    name = "safeguarding-override-recorded"
    version = 1

    case_ref: Reference
    override_ref: Reference
    purpose: Code
    recipient: OfficerId
    at: datetime


# -- joint working agreement -----------------------------------------------------------------


class MoveAcknowledged(Event):
    """Borough ``org`` (B) acknowledged notification ``notification_ref`` from ``to_org`` (A)."""

    service = "options"
    name = "move-acknowledged"
    version = 1

    to_org: OrgId
    notification_ref: Reference
    acknowledged_at: datetime


class InformationRequested(Event):
    """Borough ``org`` (B) asks ``to_org`` (A) for information about a client who approached B
    without A's knowledge. ``their_case_ref`` is A's reference when the client has it."""

    service = "options"
    name = "information-requested"
    version = 1

    to_org: OrgId
    request_ref: Reference
    case_ref: Reference
    requested_at: datetime
    their_case_ref: Reference | None = None


class InformationProvided(Event):
    """Borough ``org`` (A) answered request ``request_ref`` from ``to_org`` (B)."""

    service = "options"
    name = "information-provided"
    version = 1

    to_org: OrgId
    request_ref: Reference
    requested_at: datetime
    provided_at: datetime
    information_shared: bool = False
    due_at: datetime | None = None


class InformationOverdue(Event):
    """Borough ``org`` (A) missed the response clock for ``to_org``'s (B) request; escalated to
    A's team manager(s) ``escalated_to`` (directory ids)."""

    service = "options"
    name = "information-overdue"
    version = 1

    to_org: OrgId
    request_ref: Reference
    requested_at: datetime
    due_at: datetime
    detected_at: datetime
    escalated_to: OfficerIds = []


class TemporaryAccommodationBooked(Event):
    """One-night temporary accommodation booked by ``org`` (JWA: "a one night booking")."""

    service = "options"
    name = "temporary-accommodation-booked"
    version = 1

    case_ref: Reference
    booking_ref: Reference
    starts_on: date
    ends_on: date
    from_org: OrgId | None = None
    extended: bool = False


class DisputeRaised(Event):
    service = "options"
    name = "dispute-raised"
    version = 1

    to_org: OrgId
    dispute_ref: Reference
    case_ref: Reference
    raised_at: datetime


class DisputeEscalated(Event):
    """Unresolved at the DV sub-group: referred to each borough's homelessness sub-group member.
    ``org`` is the borough that escalated, ``to_org`` the other one."""

    service = "options"
    name = "dispute-escalated"
    version = 1

    to_org: OrgId
    dispute_ref: Reference
    escalated_at: datetime
    escalated_to: OfficerIds = []


class DisputeResolved(Event):
    """``org`` recorded the dispute with ``to_org`` resolved."""

    service = "options"
    name = "dispute-resolved"
    version = 1

    to_org: OrgId
    dispute_ref: Reference
    resolved_at: datetime
