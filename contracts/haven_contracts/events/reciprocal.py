"""Reciprocal service events (seed ``002_c1c7b199d9a53274.txt``, the Cambridgeshire Housing
Reciprocal memorandum of understanding).

The memorandum asks the coordinator to use "the ARC in all partnership communications for
security purposes", so every event names a referral by its Application Reference Code
(``arc``) alone once one is issued. Before that (referral received, referring sign-off,
decline) a random ``referral_ref`` stands in; ``ArcIssued`` and ``ReferralAccepted`` are
the only events carrying both, so the referring partner can link them. Otherwise events
carry partner organisation ids, property references, sizes, stage names, codes and
timestamps — never a name, address, contact or free text about a household.

``org`` is the organisation stating the fact; ``scheme`` is the coordinating organisation
whose reciprocal the fact belongs to. Addressed events (``to_org``) go to one partner.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from haven_contracts.ids import Code, Codes, OrgId, OrgIds, Reference
from haven_contracts.messages import Event

SignOffStage = Literal["referring", "receiving"]
Decision = Literal["approved", "declined"]
RefusalReason = Literal[
    "area",
    "property_size",
    "property_condition",
    "accessibility",
    "safety",
    "personal_circumstances",
    "no_response",
    "other",
]
"""Why a household refused an offer: a code, so reports can count it and no free text travels."""
PanelKind = Literal["marac", "mappa", "multi_agency_panel", "housing_panel", "other"]
"""The multi-agency panel or meeting a partner invites the coordinator to."""


class _Reciprocal(Event):
    service = "reciprocal"
    scheme: OrgId


class ReferralReceived(_Reciprocal):
    """The coordinator referred a household on behalf of ``referring_partner``."""

    name = "referral-received"
    referral_ref: Reference
    referring_partner: OrgId
    subject_kind: Literal["survivor", "perpetrator"] = "survivor"
    received_at: datetime


class IncomingReferralTakenUp(_Reciprocal):
    """The coordinator took up ``to_org``'s options referral ``options_referral_ref`` (sent
    with ``ReciprocalReferralRequested``) as its reciprocal referral ``referral_ref``: the
    partner's referral clock stops."""

    name = "incoming-referral-taken-up"
    to_org: OrgId
    options_referral_ref: Reference
    referral_ref: Reference
    taken_up_at: datetime


class SignOffRequested(_Reciprocal):
    """The coordinator asks the named leads of ``to_org`` to sign off (MoU §3)."""

    name = "signoff-requested"
    to_org: OrgId
    referral_ref: Reference | None = None
    arc: Reference | None = None
    stage: SignOffStage
    requested_at: datetime


class SignedOff(_Reciprocal):
    """A partner's named lead recorded a sign-off decision; addressed to the coordinator."""

    name = "signed-off"
    to_org: OrgId
    referral_ref: Reference | None = None
    arc: Reference | None = None
    stage: SignOffStage
    decision: Decision
    decided_at: datetime


class ReferralAccepted(_Reciprocal):
    """Outcome of a referral, addressed to the referring partner: accepted with an ARC."""

    name = "referral-accepted"
    to_org: OrgId
    referral_ref: Reference
    arc: Reference
    accepted_at: datetime


class ReferralDeclined(_Reciprocal):
    """Outcome of a referral, addressed to the referring partner: not accepted."""

    name = "referral-declined"
    to_org: OrgId
    referral_ref: Reference
    declined_at: datetime


class ArcIssued(_Reciprocal):
    """An Application Reference Code was issued for a newly accepted referral."""

    name = "arc-issued"
    arc: Reference
    referral_ref: Reference
    referring_partner: OrgId
    issued_at: datetime


class PropertyOffered(_Reciprocal):
    """Partner ``org`` offered a property into the central pool."""

    name = "property-offered"
    property_ref: Reference
    area: OrgId
    bedrooms: int
    accessibility: Codes = []
    available_from: date


class MatchProposed(_Reciprocal):
    """The matcher proposed the household ``arc`` for property ``property_ref``."""

    name = "match-proposed"
    arc: Reference
    property_ref: Reference
    referring_partner: OrgId
    receiving_partner: OrgId
    proposed_at: datetime


class MatchConfirmed(_Reciprocal):
    """The coordinator confirmed a proposal; addressed to the receiving partner."""

    name = "match-confirmed"
    to_org: OrgId
    arc: Reference
    property_ref: Reference
    confirmed_at: datetime


class OfferAccepted(_Reciprocal):
    name = "offer-accepted"
    arc: Reference
    property_ref: Reference
    receiving_partner: OrgId
    accepted_at: datetime


class OfferRefused(_Reciprocal):
    name = "offer-refused"
    arc: Reference
    property_ref: Reference
    receiving_partner: OrgId
    reason: RefusalReason
    refused_at: datetime


class MoveCompleted(_Reciprocal):
    """The receiving partner ``org`` granted the tenancy; addressed to the referring partner,
    who must now end the previous tenancy."""

    name = "move-completed"
    to_org: OrgId
    arc: Reference
    property_ref: Reference
    bedrooms: int
    tenancy_start: date
    completed_at: datetime
    previous_tenancy_due_at: datetime | None = None


class PreviousTenancyEnded(_Reciprocal):
    """The referring partner ``org`` confirmed the previous tenancy is ended."""

    name = "previous-tenancy-ended"
    arc: Reference
    ended_on: date
    confirmed_at: datetime


class PreviousTenancyOverdue(_Reciprocal):
    """The referring partner has not confirmed the previous tenancy ended by its deadline;
    addressed to the referring partner (the coordinator sees it on the scheme's stream)."""

    name = "previous-tenancy-overdue"
    to_org: OrgId
    arc: Reference
    due_at: datetime


class LedgerPosted(_Reciprocal):
    """A completed move posted to the owed-property ledger: ``debit_partner`` owes the pool
    one property of ``bedrooms`` bedrooms, ``credit_partner`` is credited one."""

    name = "ledger-posted"
    txn_ref: Reference
    arc: Reference
    debit_partner: OrgId
    credit_partner: OrgId
    bedrooms: int
    posted_at: datetime


class ConflictRaised(_Reciprocal):
    name = "conflict-raised"
    conflict_ref: Reference
    partners: OrgIds
    arc: Reference | None = None
    raised_at: datetime


class ConflictEscalated(_Reciprocal):
    """An unresolved conflict went to the chief executives / directors (MoU §4)."""

    name = "conflict-escalated"
    conflict_ref: Reference
    partners: OrgIds
    arc: Reference | None = None
    escalated_at: datetime
    automatic: bool = False


class ConflictResolved(_Reciprocal):
    name = "conflict-resolved"
    conflict_ref: Reference
    resolved_at: datetime


class ReferralStuck(_Reciprocal):
    """A referral has been in ``stage`` past the scheme's level; addressed to the coordinator."""

    name = "referral-stuck"
    to_org: OrgId
    referral_ref: Reference | None = None
    arc: Reference | None = None
    stage: Code
    since: datetime
    due_at: datetime


class PanelInvited(_Reciprocal):
    """Partner ``org`` invites the coordinator to a multi-agency panel or meeting (MoU §3)."""

    name = "panel-invited"
    to_org: OrgId
    panel: PanelKind
    meeting_on: date
    arc: Reference | None = None
    invited_at: datetime


class ReferralWithdrawn(_Reciprocal):
    name = "referral-withdrawn"
    referral_ref: Reference | None = None
    arc: Reference | None = None
    withdrawn_at: datetime


__all__ = [
    "ArcIssued",
    "ConflictEscalated",
    "ConflictRaised",
    "ConflictResolved",
    "Decision",
    "LedgerPosted",
    "MatchConfirmed",
    "MatchProposed",
    "MoveCompleted",
    "OfferAccepted",
    "OfferRefused",
    "PanelInvited",
    "PreviousTenancyEnded",
    "PreviousTenancyOverdue",
    "PropertyOffered",
    "ReferralAccepted",
    "ReferralDeclined",
    "ReferralReceived",
    "ReferralStuck",
    "ReferralWithdrawn",
    "RefusalReason",
    "SignOffRequested",
    "SignOffStage",
    "SignedOff",
]
