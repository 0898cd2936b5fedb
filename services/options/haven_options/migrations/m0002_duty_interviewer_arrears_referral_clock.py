"""Duty accepted after opening, interviewer match, arrears decision and referral clock."""

from __future__ import annotations

from piccolo.columns import JSON, Timestamptz, Varchar

from haven_runtime.schema import AddColumn, CreateTable, Migration

MIGRATION = Migration(
    [
        AddColumn('options_case', 'duty_accepted_at', Timestamptz(default=None, null=True)),
        AddColumn('options_case', 'duty_accepted_by', Varchar(default=None, null=True)),
        CreateTable(
            'options_interviewer_match',
            {
                'case_ref': Varchar(length=40, unique=True),
                'org': Varchar(length=63, index=True),
                'offered': JSON(default='[]'),
                'requested': JSON(default='[]'),
                'provided': JSON(default='[]'),
                'unmet': JSON(default='[]'),
                'interviewed_by': Varchar(),
                'reason_not_met': Varchar(length=40, default=None, null=True),
                'recorded_by': Varchar(),
                'recorded_at': Timestamptz(),
            },
        ),
        CreateTable(
            'options_arrears_decision',
            {
                'case_ref': Varchar(length=40, unique=True),
                'org': Varchar(length=63),
                'transfer_option_id': Varchar(length=80),
                'decision': Varchar(length=30),
                'decided_by': Varchar(),
                'decided_at': Timestamptz(),
            },
        ),
        AddColumn('options_case_option', 'referral_completed_at', Timestamptz(default=None, null=True)),
        AddColumn('options_case_option', 'referral_completed_by', Varchar(default=None, null=True)),
        AddColumn('options_case_option', 'referral_overdue_at', Timestamptz(default=None, null=True)),
    ]
)
