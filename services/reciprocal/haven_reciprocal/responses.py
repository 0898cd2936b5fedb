"""What the reciprocal HTTP API answers: one Struct per JSON shape, so the OpenAPI document
describes every response field by field.

The field names and values are those the API has always answered. A view the domain
modules build as a dict (the pages read the same dicts) becomes its Struct through
:func:`haven_runtime.openapi.as_response`, which refuses a key the Struct does not declare, so a field added to a view
and not here fails loudly instead of vanishing from the API. A field the caller may not see
(the household's areas, for the receiving partner) is left out, not sent as ``null``.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from haven_reciprocal.ledger import Balance, Posting
from haven_runtime.openapi import Out


# -- schemes, partners and named leads ----------------------------------------------------------
class AbuseCategoryOut(Out, kw_only=True):
    code: str
    label: str


class SchemeOut(Out, kw_only=True):
    coordinator: str
    name: str
    areas: list[str]
    supporting_partners: list[str]
    abuse_categories: list[AbuseCategoryOut]
    escalation_to: str


class NamedLeadRow(Out, kw_only=True):
    org: str
    officer_id: str
    name: str
    email: str | None
    start: datetime
    end: datetime | None


class PartnerOut(Out, kw_only=True):
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


class SignedOut(Out, kw_only=True):
    org: str
    status: str
    signed_on: date | None
    kind: str
    area: str | None


class NamedLeadOut(Out, kw_only=True):
    org: str
    officer_id: str
    name: str
    start: datetime


class NamedLeadEnded(Out, kw_only=True):
    org: str
    officer_id: str
    status: str


class PanelInvitationOut(Out, kw_only=True):
    partner: str
    panel: str
    meeting_on: date
    arc: str | None


class PanelInvitationRow(PanelInvitationOut, kw_only=True):
    invited_at: datetime


class StockAreasOut(Out, kw_only=True):
    scheme: str
    org: str
    stock_areas: list[str]


# -- referrals -----------------------------------------------------------------------------------
class ReferralBrief(Out, kw_only=True):
    """``referral_ref`` is ``null`` for a partner once the ARC replaces it."""

    referral_ref: str | None
    arc: str | None
    status: str
    stage_since: datetime
    referring_partner: str
    receiving_partner: str | None
    property_ref: str | None


class StuckReferral(Out, kw_only=True):
    ref: str
    arc: str | None
    scheme: str
    status: str
    stage_since: datetime
    stuck_warned_at: datetime | None
    due_at: datetime


class StageOut(Out, kw_only=True):
    stage: str
    entered_at: datetime
    left_at: datetime | None
    seconds_in_stage: int


class SignOffRow(Out, kw_only=True):
    stage: str
    partner: str
    requested_at: datetime
    decision: str | None
    decided_at: datetime | None


class MoveRow(Out, kw_only=True):
    property_ref: str
    tenancy_start: date
    completed_at: datetime
    previous_tenancy_due_at: datetime
    previous_tenancy_ended_on: date | None
    previous_tenancy_confirmed_at: datetime | None


class DutyRow(Out, kw_only=True):
    accommodation: str
    from_date: date
    to_date: date | None
    recorded_at: datetime


class SupportRow(Out, kw_only=True):
    kind: str
    reference: str | None
    area: str | None
    started_on: date
    ended_on: date | None


class ReferralStatus(Out, kw_only=True):
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


class SignOffRequested(Out, kw_only=True):
    signoff_ref: str
    partner: str
    stage: str
    requested_at: datetime


class SignOffDecided(Out, kw_only=True):
    signoff_ref: str
    stage: str
    decision: str | None
    decided_at: datetime | None


class MoveOut(Out, kw_only=True):
    arc: str
    property_ref: str
    bedrooms: int
    tenancy_start: date
    previous_tenancy_due_at: datetime


class PreviousTenancyOut(Out, kw_only=True):
    arc: str
    ended_on: date | None
    costs_pence: int | None


class DutyOut(Out, kw_only=True):
    accommodation: str
    from_date: date
    to_date: date | None


class SupportOut(Out, kw_only=True):
    kind: str
    reference: str | None
    area: str | None
    started_on: date


class IncomingReferralOut(Out, kw_only=True):
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


class TakenUpOut(Out, kw_only=True):
    ref: str
    status: str
    referral_ref: str


# -- the pool and the matcher --------------------------------------------------------------------
class PropertyOut(Out, kw_only=True):
    property_ref: str
    scheme: str
    partner: str
    area: str
    bedrooms: int
    accessibility: list[str]
    available_from: date
    status: str


class ProposalOut(Out, kw_only=True):
    proposal_ref: str
    arc: str
    property_ref: str
    status: str
    proposed_at: datetime


class MatchingRun(Out, kw_only=True):
    proposals: list[ProposalOut]
    maximum_possible: int


# -- the ledger and reports ----------------------------------------------------------------------
class LedgerBalances(Out, kw_only=True):
    scheme: str
    at: datetime
    balances: list[Balance]
    total: int


class LedgerQuarter(Out, kw_only=True):
    quarter: str
    from_: datetime = msgspec.field(name="from")
    to: datetime
    movements: list[Balance]
    closing: list[Balance]
    postings: list[Posting]


class PreviousTenancyTask(Out, kw_only=True):
    arc: str
    referring_partner: str
    completed_at: datetime
    previous_tenancy_due_at: datetime


class SchemeReport(Out, kw_only=True):
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
class ConflictOut(Out, kw_only=True):
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


class ConflictNoteOut(Out, kw_only=True):
    at: datetime
    by: str
    by_org: str
    note: str | None


class ConflictDetail(ConflictOut, kw_only=True):
    notes: list[ConflictNoteOut]


class Noted(Out, kw_only=True):
    ref: str
    status: str
