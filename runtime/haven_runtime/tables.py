"""The runtime's own tables, created per service so each lives in that service's database.

``outbox`` — events written in the same transaction as the state change they describe.
``inbox`` — event ids a consumer has applied, committed with the handler's effects.
``dead_letter`` — messages that can never be processed, with the reason.
``audit`` — an append-only trail of who read or changed what, and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from piccolo.columns import JSON, Boolean, Bytea, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.constraints import Unique
from piccolo.table import Table

if TYPE_CHECKING:
    _Columns = Table
else:
    _Columns = object


class OutboxColumns(_Columns):
    """The outbox's columns, so code given a service's table class may name them (type
    checkers see a table; at run time a plain base that adds nothing to the table)."""

    seq: Serial
    event_id: Varchar
    subject: Varchar
    type: Varchar
    payload: Bytea
    headers: JSON
    created_at: Timestamptz
    sent_at: Timestamptz
    attempts: Integer


class InboxColumns(_Columns):
    consumer: Varchar
    event_id: Varchar
    applied_at: Timestamptz


class DeadLetterColumns(_Columns):
    id: Serial
    consumer: Varchar
    subject: Varchar
    event_id: Varchar
    type: Varchar
    reason: Text
    deliveries: Integer
    payload: Bytea
    headers: JSON
    created_at: Timestamptz
    resolved: Boolean


class AuditColumns(_Columns):
    at: Timestamptz
    actor: Varchar
    actor_org: Varchar
    roles: Varchar
    action: Varchar
    entity: Varchar
    entity_ref: Varchar
    entity_org: Varchar
    purpose: Text
    detail: JSON


@dataclass(frozen=True)
class RuntimeTables:
    outbox: type[OutboxColumns]
    inbox: type[InboxColumns]
    dead_letter: type[DeadLetterColumns]
    audit: type[AuditColumns]
    service: str = ""

    def all(self) -> list[type[Table]]:
        return [self.outbox, self.inbox, self.dead_letter, self.audit]


def runtime_tables(service: str) -> RuntimeTables:
    """New table classes for ``service`` (distinct classes so each binds its own engine)."""
    prefix = service.capitalize()

    class Outbox(OutboxColumns, Table, tablename="haven_outbox"):
        seq = Serial(primary_key=True)
        event_id = Varchar(length=26, unique=True)
        subject = Varchar(length=255)
        type = Varchar(length=255)
        payload = Bytea()
        headers = JSON()
        created_at = Timestamptz()
        sent_at = Timestamptz(null=True, default=None)
        attempts = Integer(default=0)

    class Inbox(InboxColumns, Table, tablename="haven_inbox"):
        consumer = Varchar(length=100)
        event_id = Varchar(length=26)
        applied_at = Timestamptz()

        uq_haven_inbox_consumer_event_id = Unique([consumer, event_id])

    class DeadLetter(DeadLetterColumns, Table, tablename="haven_dead_letter"):
        consumer = Varchar(length=100)
        subject = Varchar(length=255)
        event_id = Varchar(length=64, null=True, default=None)
        type = Varchar(length=255, null=True, default=None)
        reason = Text()
        deliveries = Integer(default=1)
        payload = Bytea()
        headers = JSON()
        created_at = Timestamptz()
        resolved = Boolean(default=False)

    class Audit(AuditColumns, Table, tablename="haven_audit"):
        at = Timestamptz()
        actor = Varchar(length=255)
        actor_org = Varchar(length=63)
        roles = Varchar(length=255, default="")
        action = Varchar(length=50)
        entity = Varchar(length=50)
        entity_ref = Varchar(length=100)
        entity_org = Varchar(length=63, default="")
        purpose = Text(default="")
        detail = JSON(default="{}")

    for cls in (Outbox, Inbox, DeadLetter, Audit):
        cls.__name__ = cls.__qualname__ = f"{prefix}{cls.__name__}"
    return RuntimeTables(outbox=Outbox, inbox=Inbox, dead_letter=DeadLetter, audit=Audit, service=service)
