"""Seed rules, federation and pages."""

from __future__ import annotations

from piccolo.columns import JSON, Timestamptz, Varchar

from haven_runtime.schema import CreateTable, Migration

MIGRATION = Migration(
    [
        CreateTable(
            'published_listing',
            {
                'org': Varchar(length=63, unique=True),
                'digest': Varchar(length=64),
                'published_at': Timestamptz(),
            },
        ),
        CreateTable(
            'federated_listing',
            {
                'org': Varchar(length=63, unique=True),
                'organization': JSON(default='null'),
                'services': JSON(default='[]'),
                'received_at': Timestamptz(),
            },
        ),
    ]
)
