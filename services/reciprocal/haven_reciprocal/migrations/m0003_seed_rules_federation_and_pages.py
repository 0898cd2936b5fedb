"""Seed rules, federation and pages."""

from __future__ import annotations

from piccolo.columns import JSON, Integer, Timestamptz, Varchar

from haven_runtime.schema import CreateTable, Migration

MIGRATION = Migration(
    [
        CreateTable(
            'reciprocal_incoming_referral',
            {
                'ref': Varchar(length=40, unique=True),
                'scheme': Varchar(length=63, index=True),
                'referring_partner': Varchar(length=63),
                'case_ref': Varchar(length=40),
                'bedrooms': Integer(),
                'unsafe_areas': JSON(default='[]'),
                'requested_at': Timestamptz(),
                'received_at': Timestamptz(),
                'due_at': Timestamptz(default=None, null=True),
                'status': Varchar(length=20, default='waiting'),
                'referral_ref': Varchar(length=40, default=None, null=True),
            },
        ),
    ]
)
