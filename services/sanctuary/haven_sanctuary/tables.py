"""Sanctuary tables.

Columns holding the referral form's personal fields (``*_enc``) are ciphertext from
``ctx.cipher``, bound to the referral reference and the field name; nothing personal is
stored in plain text. History rows carry steps, organisations and references only.

A ``ref`` column (the record's opaque reference) hides Piccolo's ``Table.ref()`` join helper,
which no service calls; each says so to type checkers with an ``assignment`` ignore.
"""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.constraints import Unique
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("sanctuary")


class SanctuaryReferral(Table, tablename="sanctuary_referral"):
    """One referral to the scheme run by ``org`` (the owner); ``referrer_org`` may only see its status."""

    ref = Varchar(length=40, unique=True)  # type: ignore[assignment]
    org = Varchar(length=63, index=True)
    referrer_org = Varchar(length=63, index=True)
    submitted_by = Varchar(length=255, default="")
    source = Varchar(length=20, default="form")
    case_ref = Varchar(length=40, null=True, default=None)
    status = Varchar(length=40, default="received")
    received_at = Timestamptz()
    clocks_start_at = Timestamptz()
    out_of_hours = Boolean(default=False)
    unsafe_to_stay = Boolean(default=False)
    details_status = Varchar(length=20, default="received")
    # personal fields of Appendix A (ciphertext)
    person_name_enc = Text(null=True, default=None)
    person_address_enc = Text(null=True, default=None)
    person_phone_enc = Text(null=True, default=None)
    person_dob_enc = Text(null=True, default=None)
    property_other_enc = Text(null=True, default=None)
    landlord_name_enc = Text(null=True, default=None)
    reason_enc = Text(null=True, default=None)
    referrer_name_enc = Text(null=True, default=None)
    referrer_position_enc = Text(null=True, default=None)
    referrer_organisation_enc = Text(null=True, default=None)
    referrer_phone_enc = Text(null=True, default=None)
    referrer_email_enc = Text(null=True, default=None)
    name_index = Varchar(length=64, null=True, default=None, index=True)
    property_type = Varchar(length=20, null=True, default=None)
    tenure = Varchar(length=40, null=True, default=None)
    # eligibility
    eligibility = Varchar(length=20, default="pending")
    eligibility_decided_at = Timestamptz(null=True, default=None)
    landlord_permission = Varchar(length=20, default="not_applicable")
    # assessment
    inspection_requested_at = Timestamptz(null=True, default=None)
    inspection_booked_at = Timestamptz(null=True, default=None)
    inspection_appointment_at = Timestamptz(null=True, default=None)
    inspected_at = Timestamptz(null=True, default=None)
    recommendations_at = Timestamptz(null=True, default=None)
    recommended_measures = JSON(default="[]")
    recommendations_note_enc = Text(null=True, default=None)
    # works
    works_ordered_at = Timestamptz(null=True, default=None)
    works_category = Varchar(length=20, null=True, default=None)
    works_contractor = Varchar(length=255, null=True, default=None)
    works_due_at = Timestamptz(null=True, default=None)
    works_measures = JSON(default="[]")
    works_completed_at = Timestamptz(null=True, default=None)
    works_cost_pence = Integer(null=True, default=None)
    unsafe_during_works = Boolean(default=False)
    # funding
    funding = Varchar(length=40, null=True, default=None)
    funding_status = Varchar(length=20, default="undecided")
    # survey
    survey_sent_at = Timestamptz(null=True, default=None)
    survey_returned_at = Timestamptz(null=True, default=None)
    survey_satisfaction = Integer(null=True, default=None)
    survey_felt_safer = Boolean(null=True, default=None)
    survey_comments_enc = Text(null=True, default=None)
    # closing
    closed_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=20, null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)  # personal fields erased after retention
    emergency_accommodation_requested_at = Timestamptz(null=True, default=None)


class SanctuaryCriterion(Table, tablename="sanctuary_criterion"):
    """One eligibility criterion of a referral and who confirmed its status."""

    referral_ref = Varchar(length=40, index=True)
    key = Varchar(length=60)
    label = Text()
    position = Integer(default=0)
    status = Varchar(length=20, default="pending")
    confirmed_by = Varchar(length=255, null=True, default=None)
    confirmed_org = Varchar(length=63, null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    note_enc = Text(null=True, default=None)
    source = Text(default="")

    uq_sanctuary_criterion_referral_ref_key = Unique([referral_ref, key])


class SanctuaryClockRow(Table, tablename="sanctuary_clock"):
    """A running or stopped clock of a referral (from the scheme's clock rules)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    referral_ref = Varchar(length=40, index=True)
    org = Varchar(length=63, index=True)
    key = Varchar(length=60)
    label = Text(default="")
    awaiting = Varchar(length=40)
    started_at = Timestamptz()
    target_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz()
    stopped_at = Timestamptz(null=True, default=None)
    overdue_at = Timestamptz(null=True, default=None)
    rule = Text(default="")

    uq_sanctuary_clock_referral_ref_key = Unique([referral_ref, key])


class SanctuaryHistory(Table, tablename="sanctuary_history"):
    """The case log: every step of a referral, who took it and when (references only)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    referral_ref = Varchar(length=40, index=True)
    org = Varchar(length=63)
    at = Timestamptz()
    step = Varchar(length=60)
    actor = Varchar(length=255)
    actor_org = Varchar(length=63, default="")
    detail = JSON(default="{}")


TABLES = [SanctuaryReferral, SanctuaryCriterion, SanctuaryClockRow, SanctuaryHistory]
