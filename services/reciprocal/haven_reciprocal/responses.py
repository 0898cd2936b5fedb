"""What the reciprocal HTTP API answers: one Struct per JSON shape, so the OpenAPI document
describes every response field by field.

The field names and values are those the API has always answered. A view the domain
modules build as a dict (the pages read the same dicts) becomes its Struct through
:func:`typed`, which refuses a key the Struct does not declare, so a field added to a view
and not here fails loudly instead of vanishing from the API. A field the caller may not see
(the household's areas, for the receiving partner) is left out, not sent as ``null``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

import msgspec

from haven_reciprocal.ledger import Balance, Posting


class Response(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


T = TypeVar("T")


def typed(value: Any, kind: type[T]) -> T:
    """``value`` (a view dict, a list of them, or a row object) as the response Struct ``kind``."""
    return msgspec.convert(value, kind, from_attributes=True)


# -- schemes, partners and named leads ----------------------------------------------------------
class AbuseCategoryOut(Response, kw_only=True):
    code: str
    label: str


class SchemeOut(Response, kw_only=True):
    coordinator: str
    name: str
    areas: list[str]
    supporting_partners: list[str]
    abuse_categories: list[AbuseCategoryOut]
    escalation_to: str


class NamedLeadRow(Response, kw_only=True):
    org: str
    officer_id: str
    name: str
    email: str | None
    start: datetime
    end: datetime | None


class PartnerOut(Response, kw_only=True):
    """A candidate or signatory of the memorandum with its named-lead holdings; ``stock_areas`` is the
    recorded JSON text (``"[]"`` until recorded)."""

    scheme: str
    org: str
    kind: str
    area: str | None
    stock_areas: str
    status: str
    signed_on: date | None
    partner_signatory: str | None
    coordinator_signatory: str | None
    recorded_by: str | None
    recorded_at: datetime | None
    named_leads: list[NamedLeadRow]


class SignedOut(Response, kw_only=True):
    org: str
    status: str
    signed_on: date | None
    kind: str
    area: str | None


class NamedLeadOut(Response, kw_only=True):
    org: str
    officer_id: str
    name: str
    start: datetime


class NamedLeadEnded(Response, kw_only=True):
    org: str
    officer_id: str
    status: str


class PanelInvitationOut(Response, kw_only=True):
    partner: str
    panel: str
    meeting_on: date
    arc: str | None


class PanelInvitationRow(PanelInvitationOut, kw_only=True):
    invited_at: datetime


class StockAreasOut(Response, kw_only=True):
    scheme: str
    org: str
    stock_areas: list[str]


# -- referrals -----------------------------------------------------------------------------------
class ReferralBrief(Response, kw_only=True):
    """``referral_ref`` is ``null`` for a partner once the ARC replaces it."""

    referral_ref: str | None
    arc: str | None
    status: str
    stage_since: datetime
    referring_partner: str
    receiving_partner: str | None
    property_ref: str | None


class StuckReferral(Response, kw_only=True):
    ref: str
    arc: str | None
    scheme: str
    status: str
    stage_since: datetime
    stuck_warned_at: datetime | None
    due_at: datetime


class StageOut(Response, kw_only=True):
    stage: str
    entered_at: datetime
    left_at: datetime | None
    seconds_in_stage: int


class SignOffRow(Response, kw_only=True):
    stage: str
    partner: str
    requested_at: datetime
    decision: str | None
    decided_at: datetime | None


class MoveRow(Response, kw_only=True):
    property_ref: str
    tenancy_start: date
    completed_at: datetime
    previous_tenancy_due_at: datetime
    previous_tenancy_ended_on: date | None
    previous_tenancy_confirmed_at: datetime | None


class DutyRow(Response, kw_only=True):
    accommodation: str
    from_date: date
    to_date: date | None
    recorded_at: datetime


class SupportRow(Response, kw_only=True):
    kind: str
    reference: str | None
    area: str | None
    started_on: date
    ended_on: date | None


class ReferralStatus(Response, kw_only=True):
    """Stages, clocks and tasks of a referral, no personal data; the household's areas only for the
    coordinator and the referring partner."""

    referral_ref: str | None
    arc: str | None
    scheme: str
    status: str
    referring_partner: str
    receiving_partner: str | None
    property_ref: str | None
    subject_kind: str
    tenancy: str
    abuse_category: str
    bedrooms: int
    accessibility: list[str]
    current_area: str | msgspec.UnsetType = msgspec.UNSET
    unsafe_areas: list[str] | msgspec.UnsetType = msgspec.UNSET
    preferred_areas: list[str] | msgspec.UnsetType = msgspec.UNSET
    stage_since: datetime
    seconds_in_stage: int
    stage_due_at: datetime | None
    stuck: bool
    stages: list[StageOut]
    signoffs: list[SignOffRow]
    move: MoveRow | None
    duty_of_care: list[DutyRow]
    support: list[SupportRow]


class SignOffRequested(Response, kw_only=True):
    signoff_ref: str
    partner: str
    stage: str
    requested_at: datetime


class SignOffDecided(Response, kw_only=True):
    signoff_ref: str
    stage: str
    decision: str | None
    decided_at: datetime | None


class MoveOut(Response, kw_only=True):
    arc: str
    property_ref: str
    bedrooms: int
    tenancy_start: date
    previous_tenancy_due_at: datetime


class PreviousTenancyOut(Response, kw_only=True):
    arc: str
    ended_on: date | None
    costs_pence: int | None


class DutyOut(Response, kw_only=True):
    accommodation: str
    from_date: date
    to_date: date | None


class SupportOut(Response, kw_only=True):
    kind: str
    reference: str | None
    area: str | None
    started_on: date


class IncomingReferralOut(Response, kw_only=True):
    ref: str
    scheme: str
    referring_partner: str
    case_ref: str
    bedrooms: int
    unsafe_areas: list[str]
    requested_at: datetime
    due_at: datetime | None
    status: str
    referral_ref: str | None


class TakenUpOut(Response, kw_only=True):
    ref: str
    status: str
    referral_ref: str


# -- the pool and the matcher --------------------------------------------------------------------
class PropertyOut(Response, kw_only=True):
    property_ref: str
    scheme: str
    partner: str
    area: str
    bedrooms: int
    accessibility: list[str]
    available_from: date
    status: str


class ProposalOut(Response, kw_only=True):
    proposal_ref: str
    arc: str
    property_ref: str
    status: str
    proposed_at: datetime


class MatchingRun(Response, kw_only=True):
    proposals: list[ProposalOut]
    maximum_possible: int


# -- the ledger and reports ----------------------------------------------------------------------
class LedgerBalances(Response, kw_only=True):
    scheme: str
    at: datetime
    balances: list[Balance]
    total: int


class LedgerQuarter(Response, kw_only=True):
    quarter: str
    from_: datetime = msgspec.field(name="from")
    to: datetime
    movements: list[Balance]
    closing: list[Balance]
    postings: list[Posting]


class PreviousTenancyTask(Response, kw_only=True):
    arc: str
    referring_partner: str
    completed_at: datetime
    previous_tenancy_due_at: datetime


class SchemeReport(Response, kw_only=True):
    scheme: str
    from_: datetime = msgspec.field(name="from")
    to: datetime
    referrals: int
    referrals_by_status: dict[str, int]
    referrals_by_partner: dict[str, int]
    perpetrator_referrals: int
    non_social_tenancy_referrals: int
    moves: int
    days_to_move_average: float | None
    days_to_move_p90: float | None
    refusals: int
    refusals_by_reason: dict[str, int]
    ledger_balances: list[Balance]


# -- conflicts and administration ----------------------------------------------------------------
class ConflictOut(Response, kw_only=True):
    ref: str
    scheme: str
    arc: str | None
    partners: list[str]
    status: str
    raised_at: datetime
    raised_by_org: str
    escalation_due_at: datetime
    escalated_at: datetime | None
    escalated_to: str | None
    resolved_at: datetime | None


class ConflictNoteOut(Response, kw_only=True):
    at: datetime
    by: str
    by_org: str
    note: str | None


class ConflictDetail(ConflictOut, kw_only=True):
    notes: list[ConflictNoteOut]


class Noted(Response, kw_only=True):
    ref: str
    status: str


class Erasure(Response, kw_only=True):
    erased: list[str]
    retention_days: int
