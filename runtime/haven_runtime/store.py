"""Unit of work: a state change, its events (outbox) and its audit records commit together.

Usage in a controller or handler::

    async with ctx.store.transaction() as uow:
        await Case.insert(...)
        await uow.emit(CaseOpened(org=..., case_ref=...), ref=case_ref)
        await uow.audit(principal, "create", "case", case_ref, purpose="intake")

After the commit the relay is woken at once, so the event is published right after the
commit (not on a poll); if the bus is down the rows wait and the relay catches up.

A read that changes nothing but must be audited (``GET /cases/{ref}``) reads outside any
write transaction and then awaits :meth:`Store.audit_committed`: audit records of
concurrent reads are inserted in one transaction (group commit), so N reads cost one write
lock and one commit instead of N, and each request still answers only after its own audit
record is committed.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from piccolo.columns import Boolean, Column
from piccolo.custom_types import Combinable
from piccolo.engine.base import Engine

from haven_contracts.messages import Event, encode, envelope_for
from haven_runtime.db import write_transaction
from haven_runtime.observability import trace_headers
from haven_runtime.prepared import PreparedInsert
from haven_runtime.tables import RuntimeTables

if TYPE_CHECKING:
    from haven_runtime.identity import Principal


class UnitOfWork:
    """Collects what one transaction emits; bound to the open transaction."""

    def __init__(self, store: "Store") -> None:
        self._store = store
        self.emitted: list[str] = []
        #: the outbox rows written, as the relay reads them (handed to it after the commit)
        self.outbox_rows: list[dict[str, Any]] = []
        #: record an audit entry in this transaction: it commits or rolls back with the change
        self.audit = store.audit_writer.write

    @property
    def store(self) -> "Store":
        return self._store

    async def emit(self, event: Event, *, ref: str | None = None, headers: dict[str, str] | None = None) -> str:
        """Write ``event`` to the outbox inside this transaction; returns its event id.

        A service states facts only on its own stream: an event of another service would
        be refused by JetStream and hold up every later event in the outbox."""
        owner = self._store.tables.service
        if owner and event.service != owner:
            raise ValueError(
                f"the {owner} service cannot emit {event.type_name()}: events go on their own service's stream"
            )
        envelope = envelope_for(event, subject=ref)
        all_headers = envelope.to_headers() | {"haven-org": event.org} | trace_headers()
        if headers:
            all_headers |= headers
        row = self._store.tables.outbox(
            event_id=envelope.id,
            subject=event.subject,
            type=envelope.type,
            payload=encode(event),
            headers=msgspec.json.encode(all_headers).decode(),
            created_at=envelope.time,
        )
        await self._store.tables.outbox.insert(row)
        self.emitted.append(envelope.id)
        self.outbox_rows.append(
            {
                "seq": row.seq,
                "event_id": row.event_id,
                "subject": row.subject,
                "payload": row.payload,
                "headers": row.headers,
            }
        )
        return envelope.id

    async def claim(self, flag: Column, value: Any, where: Combinable, *returning: Column) -> list[dict[str, Any]]:
        """Set ``flag`` to ``value`` on the rows matching ``where`` whose flag is still unset
        (false or null), and return those rows' ``returning`` columns: the rows this
        transaction now owns.

        Every replica runs the periodic sweeps. Reading unflagged rows and flagging them in a
        later statement lets two replicas both raise the same overdue event, so the check and the set are one
        conditional ``UPDATE ... RETURNING``: on PostgreSQL a concurrent claimer waits for the row lock, re-checks the
        condition and finds the flag set; SQLite runs one writer at a time (``BEGIN IMMEDIATE``). Emit the
        event in this same unit of work, so the claim and its event commit or roll back
        together."""
        unset = (flag == False) if isinstance(flag, Boolean) else flag.is_null()  # noqa: E712
        table = flag._meta.table
        return await table.update({flag: value}).where(where & unset).returning(*(returning or (flag,)))


class Store:
    """A service's database engine plus its runtime tables and relay hook."""

    def __init__(self, engine: Engine, tables: RuntimeTables) -> None:
        from haven_runtime.audit import AuditWriter

        self.engine = engine
        self.tables = tables
        self.audit_writer = AuditWriter(tables.audit)
        self._audit_insert = PreparedInsert(tables.audit)
        self._after_commit: list = []
        self._audit_pending: list[tuple[Any, asyncio.Future]] = []
        self._audit_flusher: asyncio.Task | None = None

    def on_commit(self, callback) -> None:
        """Register ``callback(rows)`` to run after each commit that emitted events, with the
        outbox rows that commit wrote (``seq``, ``event_id``, ``subject``, ``payload``, ``headers``)."""
        self._after_commit.append(callback)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitOfWork]:
        """A write transaction. A refusal (``audit.refuse``) raised in it rolls the change back
        and is then audited on its own, once the outermost transaction has ended."""
        from haven_runtime.audit import Refused

        uow = UnitOfWork(self)
        try:
            async with write_transaction(self.engine):
                yield uow
        except Refused as refusal:
            if self.engine.current_transaction.get() is None:
                await self.audit_writer.record_refusal(refusal)
            raise
        if uow.emitted:
            for callback in self._after_commit:
                callback(uow.outbox_rows)

    async def audit_committed(
        self,
        principal: "Principal | None",
        action: str,
        entity: str,
        entity_ref: str,
        *,
        entity_org: str = "",
        purpose: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Commit one audit record on its own, grouped with concurrent ones; returns once
        it is committed (raises if its batch failed, so the caller answers nothing)."""
        row = self.audit_writer.fields(
            principal, action, entity, entity_ref, entity_org=entity_org, purpose=purpose, detail=detail
        )
        done = asyncio.get_running_loop().create_future()
        self._audit_pending.append((row, done))
        if self._audit_flusher is None or self._audit_flusher.done():
            # its own empty context: a batch never joins the transaction (or trace) of the
            # request that happened to start the flusher
            self._audit_flusher = asyncio.create_task(self._flush_audit(), context=contextvars.Context())
        await asyncio.shield(done)  # a cancelled request does not cancel its batch

    async def _flush_audit(self) -> None:
        # Records arriving while a batch commits wait for the next one: the batch size
        # follows the load with no timer. A batch that fits one statement is inserted
        # without BEGIN and COMMIT around it: a single statement is atomic and committed
        # when it returns, in one round trip (one trip to SQLite's writer thread) instead
        # of three.
        while self._audit_pending:
            batch, self._audit_pending = self._audit_pending, []
            rows = [row for row, _ in batch]
            try:
                if len(rows) <= self._audit_insert.max_rows:
                    await self._audit_insert.insert(rows)
                else:
                    async with write_transaction(self.engine):
                        await self._audit_insert.insert(rows)
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter of this batch
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)


def utcnow() -> datetime:
    return datetime.now(UTC)
