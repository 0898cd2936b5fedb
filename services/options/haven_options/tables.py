"""Options tables.

Columns ending ``_enc`` hold personal fields or free text encrypted with the service's field
cipher (bound to the record reference and column name); ``name_index`` is a keyed blind
index for finding a client by name. Nothing else about a person is stored.

A ``ref`` column (the record's opaque reference) hides Piccolo's ``Table.ref()`` join helper,
which no service calls; each says so to type checkers with an ``assignment`` ignore.
"""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Bytea, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("options")


class Case(Table, tablename="options_case"):
    """A survivor's approach to one organisation."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    org = Varchar(length=63, index=True)
    status = Varchar(length=20, default="open")
    channel = Varchar(length=30)
    tenure = Varchar(length=40)
    approached_at = Timestamptz()
    opened_by = Varchar(length=255)
    out_of_hours = Boolean(default=False)
    adults = Integer(default=1)
    children = Integer(default=0)
    pregnant = Boolean(default=False)
    perpetrator_at_property = Boolean(null=True, default=None)
    homelessness = Varchar(length=20, default="none")
    unable_to_return_home = Boolean(default=False)
    rent_arrears = Boolean(default=False)
    substance_misuse = Boolean(default=False)
    mortgaged = Boolean(default=False)
    landlord_org = Varchar(length=63, null=True, default=None)
    duty_accepted = Boolean(default=False)
    duty_accepted_at = Timestamptz(null=True, default=None)
    duty_accepted_by = Varchar(length=255, null=True, default=None)
    from_org = Varchar(length=63, null=True, default=None)
    name_enc = Text()
    date_of_birth_enc = Text(null=True, default=None)
    address_enc = Text(null=True, default=None)
    phone_enc = Text(null=True, default=None)
    safe_contact_enc = Text(null=True, default=None)
    landlord_name_enc = Text(null=True, default=None)
    former_address_enc = Text(null=True, default=None)
    address_kind = Varchar(length=20, default="current")  # haven_runtime.safe_address.AddressKind of address_enc
    name_index = Varchar(length=64, index=True)
    routing = JSON(default="{}")
    interview_due_at = Timestamptz(null=True, default=None)
    interviewed_at = Timestamptz(null=True, default=None)
    interview_overdue = Boolean(default=False)
    last_marac_referral_on = Date(null=True, default=None)
    marac_recommended = Boolean(default=False)
    closed_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=40, default="")
    erased_at = Timestamptz(null=True, default=None)


class InterviewerMatch(Table, tablename="options_interviewer_match"):
    """The same-sex / same-cultural-background interviewer offered, asked for and provided on a case.

    ``offered``, ``requested`` and ``provided`` are JSON lists of ``same_sex`` / ``same_culture``;
    ``unmet`` is what the client asked for and did not get, with a coded ``reason_not_met``.
    """

    case_ref = Varchar(length=40, unique=True)
    org = Varchar(length=63, index=True)
    offered = JSON(default="[]")
    requested = JSON(default="[]")
    provided = JSON(default="[]")
    unmet = JSON(default="[]")
    interviewed_by = Varchar(length=255)
    reason_not_met = Varchar(length=40, null=True, default=None)
    recorded_by = Varchar(length=255)
    recorded_at = Timestamptz()


class ArrearsDecision(Table, tablename="options_arrears_decision"):
    """The relevant manager's decision, after a transfer, on whether the rent arrears are apportioned."""

    case_ref = Varchar(length=40, unique=True)
    org = Varchar(length=63)
    transfer_option_id = Varchar(length=80)
    decision = Varchar(length=30)
    decided_by = Varchar(length=255)
    decided_at = Timestamptz()


class RiskAssessment(Table, tablename="options_risk_assessment"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    answers = JSON()
    yes_count = Integer()
    criteria = JSON(default="[]")
    marac_recommended = Boolean(default=False)
    judgement_reason_enc = Text(null=True, default=None)
    detail = JSON(default="{}")
    assessed_by = Varchar(length=255)
    assessed_at = Timestamptz()


class CaseOption(Table, tablename="options_case_option"):
    """An option offered on a case and the client's decision (offered / chosen / refused)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    option_id = Varchar(length=80)
    kind = Varchar(length=40)
    title = Varchar(length=200)
    refer_to = Varchar(length=300, default="")
    status = Varchar(length=20, default="offered")
    offered_by = Varchar(length=255)
    offered_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
    referral_due_at = Timestamptz(null=True, default=None)
    referral_completed_at = Timestamptz(null=True, default=None)
    referral_completed_by = Varchar(length=255, null=True, default=None)
    referral_overdue_at = Timestamptz(null=True, default=None)


class Referral(Table, tablename="options_referral"):
    """An outbound referral a chosen option opens, whose details the recipient may request:
    the sanctuary scheme, a landlord transfer, the reciprocal coordinator, floating support.
    All but the sanctuary referral (whose clock is the option's) run on ``due_at`` until an
    officer records them completed."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    to_org = Varchar(length=63)
    kind = Varchar(length=40)
    option_id = Varchar(length=80)
    created_by = Varchar(length=255)
    created_at = Timestamptz()
    bedrooms = Integer(null=True, default=None)
    unsafe_areas = JSON(default="[]")
    due_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    completed_by = Varchar(length=255, null=True, default=None)
    overdue_at = Timestamptz(null=True, default=None)


class Sheet(Table, tablename="options_sheet"):
    """A version of the options offered / advice given sheet (JWA procedure)."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    version = Integer()
    content = JSON()
    issued_by = Varchar(length=255)
    issued_at = Timestamptz()


class DutyClock(Table, tablename="options_duty_clock"):
    id: Serial  # the primary key Piccolo adds to a table that declares none
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    duty = Varchar(length=40)
    started_at = Timestamptz()
    due_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    expired_raised = Boolean(default=False)


class Consent(Table, tablename="options_consent"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    purpose = Varchar(length=40)
    recipient = Varchar(length=100)
    given_at = Timestamptz()
    given_by = Varchar(length=255)
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_by = Varchar(length=255, null=True, default=None)


class SafeguardingOverride(Table, tablename="options_safeguarding_override"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    purpose = Varchar(length=40)
    recipient = Varchar(length=100)
    reason_enc = Text()
    authorised_by = Varchar(length=255)
    roles = Varchar(length=255)
    at = Timestamptz()


class JwaNotification(Table, tablename="jwa_notification"):
    """JWA advance contact sent by borough ``from_org`` to ``to_org`` (seed 000)."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    from_org = Varchar(length=63, index=True)
    to_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    addressed_to = JSON(default="[]")
    sent_by = Varchar(length=255)
    notified_at = Timestamptz()
    information_shared = Boolean(default=False)
    #: set when B's ``MoveAcknowledged`` reaches A (B may be another deployment)
    acknowledged_at = Timestamptz(null=True, default=None)


class PartnerRoleHolders(Table, tablename="partner_role_holders"):
    """Read model of another organisation's role holders, from its directory's
    ``RoleHoldersPublished`` (directory ids per position; no names or contacts)."""

    org = Varchar(length=63, unique=True)
    holders = JSON(default="{}")
    published_at = Timestamptz()
    received_at = Timestamptz()


class JwaReceivedEvent(Table, tablename="jwa_received_event"):
    """An options event another organisation addressed to one hosted here, as received: with
    the outbox (what this deployment sent) it gives JWA monitoring both sides of every pair,
    so two deployments' reports for the same pair agree. References only, like every event."""

    event_id = Varchar(length=26, unique=True)
    type = Varchar(length=255)
    payload = Bytea()
    created_at = Timestamptz()


class JwaInboxItem(Table, tablename="jwa_inbox_item"):
    """A notification as received in the receiving borough's inbox."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    kind = Varchar(length=40, default="move-notified")
    from_org = Varchar(length=63)
    to_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    addressed_to = JSON(default="[]")
    received_at = Timestamptz()
    information_shared = Boolean(default=False)
    acknowledged = Boolean(default=False)
    acknowledged_by = Varchar(length=255, null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)


class InfoRequest(Table, tablename="jwa_info_request"):
    """JWA information request from ``requester_org`` (B) to ``responder_org`` (A).

    One row per request, seen from both sides: B writes it when asking; A's inbox consumer
    fills ``due_at`` from A's clock; A's answer sets ``provided_at`` and ``responder_case_ref``.
    """

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    requester_org = Varchar(length=63, index=True)
    responder_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    their_case_ref = Varchar(length=40, null=True, default=None)
    requested_by = Varchar(length=255)
    requested_at = Timestamptz()
    received_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz(null=True, default=None)
    provided_at = Timestamptz(null=True, default=None)
    provided_by = Varchar(length=255, null=True, default=None)
    responder_case_ref = Varchar(length=40, null=True, default=None)
    information_shared = Boolean(default=False)
    overdue = Boolean(default=False)


class TaBooking(Table, tablename="jwa_ta_booking"):
    """One-night temporary accommodation booked against a case (JWA)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    case_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    from_org = Varchar(length=63, null=True, default=None)
    starts_on = Date()
    ends_on = Date()
    booked_by = Varchar(length=255)
    booked_at = Timestamptz()
    extended_by = Varchar(length=255, null=True, default=None)
    extension_reason_enc = Text(null=True, default=None)
    #: the booking's clock: moved on or extended by then, else ``ClockOverdue`` (``haven_options.ta``)
    due_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    ended_by = Varchar(length=255, null=True, default=None)
    overdue_at = Timestamptz(null=True, default=None)


class EmergencyAccommodation(Table, tablename="options_emergency_accommodation"):
    """Emergency temporary accommodation a sanctuary scheme asked its organisation for
    (``SanctuaryEmergencyAccommodationRequested``): arranged by ``due_at``, open until a
    return-is-safe decision is recorded (``004_d4b796f614d2cfd3.txt`` s.10)."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    org = Varchar(length=63, index=True)
    referral_ref = Varchar(length=40, index=True)
    case_ref = Varchar(length=40, null=True, default=None)
    trigger = Varchar(length=40)
    requested_at = Timestamptz()
    received_at = Timestamptz()
    due_at = Timestamptz()
    arranged_at = Timestamptz(null=True, default=None)
    arranged_by = Varchar(length=255, null=True, default=None)
    overdue_at = Timestamptz(null=True, default=None)
    return_safe_at = Timestamptz(null=True, default=None)
    return_safe_by = Varchar(length=255, null=True, default=None)
    return_safe_reason_enc = Text(null=True, default=None)


class Dispute(Table, tablename="jwa_dispute"):
    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    org = Varchar(length=63, index=True)
    other_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    summary_enc = Text(null=True, default=None)
    status = Varchar(length=20, default="open")
    raised_by = Varchar(length=255)
    raised_at = Timestamptz()
    tabled_at = Timestamptz(null=True, default=None)
    tabled_meeting_on = Date(null=True, default=None)
    tabled_forum = Varchar(length=100, null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    escalated_to = JSON(default="[]")
    resolved_at = Timestamptz(null=True, default=None)


TABLES = [
    Case,
    InterviewerMatch,
    ArrearsDecision,
    RiskAssessment,
    CaseOption,
    Referral,
    Sheet,
    DutyClock,
    Consent,
    SafeguardingOverride,
    JwaNotification,
    JwaInboxItem,
    InfoRequest,
    TaBooking,
    EmergencyAccommodation,
    Dispute,
    PartnerRoleHolders,
    JwaReceivedEvent,
]
