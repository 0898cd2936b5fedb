"""The runtime's shared tables as every service database held them before Haven had migrations,
and the triggers that keep the audit trail append-only."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Bytea, Integer, Serial, Text, Timestamptz, Varchar

from haven_runtime.retention import protect_append_only
from haven_runtime.schema import CreateTable, Migration, Run

MIGRATION = Migration(
    [
        CreateTable(
            'haven_outbox',
            {
                'seq': Serial(primary_key=True),
                'event_id': Varchar(length=26, unique=True),
                'subject': Varchar(),
                'type': Varchar(),
                'payload': Bytea(),
                'headers': JSON(),
                'created_at': Timestamptz(),
                'sent_at': Timestamptz(default=None, null=True),
                'attempts': Integer(),
            },
        ),
        CreateTable(
            'haven_inbox',
            {
                'consumer': Varchar(length=100),
                'event_id': Varchar(length=26),
                'applied_at': Timestamptz(),
            },
            unique={'uq_haven_inbox_consumer_event_id': ['consumer', 'event_id']},
        ),
        CreateTable(
            'haven_dead_letter',
            {
                'consumer': Varchar(length=100),
                'subject': Varchar(),
                'event_id': Varchar(length=64, default=None, null=True),
                'type': Varchar(default=None, null=True),
                'reason': Text(),
                'deliveries': Integer(default=1),
                'payload': Bytea(),
                'headers': JSON(),
                'created_at': Timestamptz(),
                'resolved': Boolean(),
            },
        ),
        CreateTable(
            'haven_audit',
            {
                'at': Timestamptz(),
                'actor': Varchar(),
                'actor_org': Varchar(length=63),
                'roles': Varchar(),
                'action': Varchar(length=50),
                'entity': Varchar(length=50),
                'entity_ref': Varchar(length=100),
                'entity_org': Varchar(length=63),
                'purpose': Text(),
                'detail': JSON(),
            },
        ),
        Run(protect_append_only),
    ]
)
