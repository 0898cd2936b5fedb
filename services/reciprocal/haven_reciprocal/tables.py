"""Reciprocal tables (seed ``002_c1c7b199d9a53274.txt``).

Every table carries ``scheme`` — the coordinating organisation whose reciprocal the row
belongs to — so one deployment can run several reciprocals. Personal fields of a
household (lead name, contact, current address) and free-text notes are stored only as
ciphertext (``*_enc``, ``ctx.cipher``); lists are JSON.

A ``ref`` column (the record's opaque reference) hides Piccolo's ``Table.ref()`` join helper,
which no service calls; each says so to type checkers with an ``assignment`` ignore.
"""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.constraints import Unique
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("reciprocal")


class Partner(Table, tablename="reciprocal_partner"):
    """A candidate or signatory of a scheme's memorandum (MoU §2, §5)."""

    scheme = Varchar(length=63, index=True)
    org = Varchar(length=63, index=True)
    kind = Varchar(length=30)
    area = Varchar(length=63, null=True, default=None)
    stock_areas = JSON(default="[]")  # scheme areas where the partner holds stock it can offer, when recorded
    status = Varchar(length=20, default="candidate")  # candidate | signed | left
    signed_on = Date(null=True, default=None)
    partner_signatory = Varchar(length=200, null=True, default=None)
    coordinator_signatory = Varchar(length=200, null=True, default=None)
    recorded_by = Varchar(length=255, null=True, default=None)
    recorded_at = Timestamptz(null=True, default=None)

    uq_reciprocal_partner_scheme_org = Unique([scheme, org])


class NamedLead(Table, tablename="reciprocal_named_lead"):
    """A partner's named lead; a change of staff ends one holding and opens another (MoU §3)."""

    scheme = Varchar(length=63, index=True)
    org = Varchar(length=63, index=True)
    officer_id = Varchar(length=255)
    name = Varchar(length=200)
    email = Varchar(length=200, null=True, default=None)
    start = Timestamptz()
    end = Timestamptz(null=True, default=None)
    recorded_by = Varchar(length=255)


class Referral(Table, tablename="reciprocal_referral"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    arc = Varchar(length=40, unique=True, null=True, default=None)
    scheme = Varchar(length=63, index=True)
    referring_partner = Varchar(length=63, index=True)
    receiving_partner = Varchar(length=63, null=True, default=None, index=True)
    status = Varchar(length=40, index=True)
    stage_since = Timestamptz()
    stuck_warned_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    created_by = Varchar(length=255)
    remit_explained_on = Date(null=True, default=None)
    abuse_category = Varchar(length=60)
    subject_kind = Varchar(length=20, default="survivor")
    safety_assessment = JSON(default="null")
    tenancy = Varchar(length=30)
    agrees_to_owe = Boolean(default=False)
    bedrooms = Integer()
    accessibility = JSON(default="[]")
    current_area = Varchar(length=63)
    unsafe_areas = JSON(default="[]")
    preferred_areas = JSON(default="[]")
    lead_name_enc = Text()
    contact_enc = Text(null=True, default=None)
    address_enc = Text(null=True, default=None)
    name_index = Varchar(length=64, index=True)
    property_ref = Varchar(length=40, null=True, default=None)
    accepted_at = Timestamptz(null=True, default=None)
    moved_at = Timestamptz(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)  # personal fields erased after retention


class StageEntry(Table, tablename="reciprocal_stage"):
    """When a referral entered and left each stage (time-in-stage clocks)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    referral_ref = Varchar(length=40, index=True)
    stage = Varchar(length=40)
    entered_at = Timestamptz()
    left_at = Timestamptz(null=True, default=None)
    actor = Varchar(length=255)


class SignOff(Table, tablename="reciprocal_signoff"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    scheme = Varchar(length=63)
    referral_ref = Varchar(length=40, index=True)
    partner = Varchar(length=63)
    stage = Varchar(length=20)  # referring | receiving
    property_ref = Varchar(length=40, null=True, default=None)
    requested_at = Timestamptz()
    requested_by = Varchar(length=255)
    decision = Varchar(length=20, null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=255, null=True, default=None)
    agrees_to_owe = Boolean(default=False)


class PoolProperty(Table, tablename="reciprocal_property"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    scheme = Varchar(length=63, index=True)
    partner = Varchar(length=63, index=True)
    area = Varchar(length=63)
    bedrooms = Integer()
    accessibility = JSON(default="[]")
    available_from = Date()
    status = Varchar(length=20, default="available")  # available | proposed | offered | let | withdrawn
    offered_at = Timestamptz()
    offered_by = Varchar(length=255)


class Proposal(Table, tablename="reciprocal_proposal"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    scheme = Varchar(length=63, index=True)
    referral_ref = Varchar(length=40, index=True)
    arc = Varchar(length=40)
    property_ref = Varchar(length=40)
    status = Varchar(length=20, default="proposed")  # proposed | confirmed | rejected | cancelled | refused | accepted
    proposed_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=255, null=True, default=None)


class Refusal(Table, tablename="reciprocal_refusal"):
    scheme = Varchar(length=63, index=True)
    referral_ref = Varchar(length=40, index=True)
    arc = Varchar(length=40)
    property_ref = Varchar(length=40)
    reason = Varchar(length=40)
    note_enc = Text(null=True, default=None)
    refused_at = Timestamptz()
    recorded_by = Varchar(length=255)


class Move(Table, tablename="reciprocal_move"):
    scheme = Varchar(length=63, index=True)
    referral_ref = Varchar(length=40, unique=True)
    arc = Varchar(length=40)
    property_ref = Varchar(length=40)
    referring_partner = Varchar(length=63)
    receiving_partner = Varchar(length=63)
    bedrooms = Integer()
    tenancy_start = Date()
    completed_at = Timestamptz()
    granted_by = Varchar(length=255)
    previous_tenancy_due_at = Timestamptz()
    previous_tenancy_ended_on = Date(null=True, default=None)
    previous_tenancy_costs_pence = Integer(null=True, default=None)
    previous_tenancy_costs = JSON(default="{}")
    previous_tenancy_confirmed_at = Timestamptz(null=True, default=None)
    previous_tenancy_confirmed_by = Varchar(length=255, null=True, default=None)
    previous_tenancy_warned_at = Timestamptz(null=True, default=None)


class LedgerEntry(Table, tablename="reciprocal_ledger"):
    """Double entry: each posting writes one debit (-1) and one credit (+1) of one size."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    txn_ref = Varchar(length=40, index=True)
    scheme = Varchar(length=63, index=True)
    arc = Varchar(length=40)
    partner = Varchar(length=63, index=True)
    bedrooms = Integer()
    amount = Integer()
    posted_at = Timestamptz()


class DutyOfCare(Table, tablename="reciprocal_duty_of_care"):
    """A referring local authority's statutory duty while the move is awaited (MoU §3)."""

    referral_ref = Varchar(length=40, index=True)
    partner = Varchar(length=63)
    accommodation = Varchar(length=20)  # temporary | emergency | none
    from_date = Date()
    to_date = Date(null=True, default=None)
    recorded_at = Timestamptz()
    recorded_by = Varchar(length=255)


class Support(Table, tablename="reciprocal_support"):
    """IDVA / outreach support and links to local services in the new area (MoU §3)."""

    referral_ref = Varchar(length=40, index=True)
    kind = Varchar(length=20)  # idva | outreach | local_service
    reference = Varchar(length=120, null=True, default=None)
    area = Varchar(length=63, null=True, default=None)
    started_on = Date()
    ended_on = Date(null=True, default=None)
    recorded_at = Timestamptz()
    recorded_by = Varchar(length=255)


class PanelInvitation(Table, tablename="reciprocal_panel_invitation"):
    """A partner invites the coordinator to a multi-agency panel or meeting (MoU §3)."""

    scheme = Varchar(length=63, index=True)
    partner = Varchar(length=63)
    panel = Varchar(length=30)
    meeting_on = Date()
    arc = Varchar(length=40, null=True, default=None)
    invited_at = Timestamptz()
    invited_by = Varchar(length=255)


class ConflictCase(Table, tablename="reciprocal_conflict"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    scheme = Varchar(length=63, index=True)
    arc = Varchar(length=40, null=True, default=None)
    partners = JSON(default="[]")
    summary_enc = Text(null=True, default=None)
    status = Varchar(length=20, default="open")  # open | escalated | resolved
    raised_at = Timestamptz()
    raised_by = Varchar(length=255)
    raised_by_org = Varchar(length=63)
    escalation_due_at = Timestamptz()
    escalated_at = Timestamptz(null=True, default=None)
    escalated_by = Varchar(length=255, null=True, default=None)
    escalated_to = Varchar(length=200, null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    resolved_by = Varchar(length=255, null=True, default=None)


class ConflictNote(Table, tablename="reciprocal_conflict_note"):
    conflict_ref = Varchar(length=40, index=True)
    at = Timestamptz()
    by = Varchar(length=255)
    by_org = Varchar(length=63)
    note_enc = Text()


class IncomingReferral(Table, tablename="reciprocal_incoming_referral"):
    """A partner's options case referred to the coordinator (``ReciprocalReferralRequested``):
    references, bedrooms and unsafe areas only, until the coordinator takes it up with the
    household's details fetched from the partner (consent-checked, never stored in a stream)."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]  # the partner's options referral reference
    scheme = Varchar(length=63, index=True)
    referring_partner = Varchar(length=63)
    case_ref = Varchar(length=40)
    bedrooms = Integer()
    unsafe_areas = JSON(default="[]")
    requested_at = Timestamptz()
    received_at = Timestamptz()
    due_at = Timestamptz(null=True, default=None)
    status = Varchar(length=20, default="waiting")  # waiting | taken_up
    referral_ref = Varchar(length=40, null=True, default=None)  # the reciprocal referral it became


TABLES = [
    Partner,
    NamedLead,
    Referral,
    IncomingReferral,
    StageEntry,
    SignOff,
    PoolProperty,
    Proposal,
    Refusal,
    Move,
    LedgerEntry,
    DutyOfCare,
    Support,
    PanelInvitation,
    ConflictCase,
    ConflictNote,
]
