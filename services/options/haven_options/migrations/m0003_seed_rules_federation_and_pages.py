"""Seed rules, federation and pages."""

from __future__ import annotations

from piccolo.columns import JSON, Date, Integer, Text, Timestamptz, Varchar

from haven_runtime.schema import AddColumn, CreateTable, Migration

MIGRATION = Migration(
    [
        AddColumn('options_referral', 'bedrooms', Integer(default=None, null=True)),
        AddColumn('options_referral', 'unsafe_areas', JSON(default='[]')),
        AddColumn('options_referral', 'due_at', Timestamptz(default=None, null=True)),
        AddColumn('options_referral', 'completed_at', Timestamptz(default=None, null=True)),
        AddColumn('options_referral', 'completed_by', Varchar(default=None, null=True)),
        AddColumn('options_referral', 'overdue_at', Timestamptz(default=None, null=True)),
        AddColumn('jwa_ta_booking', 'due_at', Timestamptz(default=None, null=True)),
        AddColumn('jwa_ta_booking', 'ended_at', Timestamptz(default=None, null=True)),
        AddColumn('jwa_ta_booking', 'ended_by', Varchar(default=None, null=True)),
        AddColumn('jwa_ta_booking', 'overdue_at', Timestamptz(default=None, null=True)),
        CreateTable(
            'options_emergency_accommodation',
            {
                'ref': Varchar(length=40, unique=True),
                'org': Varchar(length=63, index=True),
                'referral_ref': Varchar(length=40, index=True),
                'case_ref': Varchar(length=40, default=None, null=True),
                'trigger': Varchar(length=40),
                'requested_at': Timestamptz(),
                'received_at': Timestamptz(),
                'due_at': Timestamptz(),
                'arranged_at': Timestamptz(default=None, null=True),
                'arranged_by': Varchar(default=None, null=True),
                'overdue_at': Timestamptz(default=None, null=True),
                'return_safe_at': Timestamptz(default=None, null=True),
                'return_safe_by': Varchar(default=None, null=True),
                'return_safe_reason_enc': Text(default=None, null=True),
            },
        ),
        AddColumn('jwa_dispute', 'tabled_at', Timestamptz(default=None, null=True)),
        AddColumn('jwa_dispute', 'tabled_meeting_on', Date(default=None, null=True)),
        AddColumn('jwa_dispute', 'tabled_forum', Varchar(length=100, default=None, null=True)),
    ]
)
