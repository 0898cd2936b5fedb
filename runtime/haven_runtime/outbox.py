"""The outbox relay: publishes committed events to JetStream, in order, exactly once per id.

Woken immediately after each commit that emitted events (so a notification is on the bus
within one publish round-trip of the commit), and sweeping on start-up and every few
seconds so events written while the bus was down are caught up. The commit hands its
outbox rows over in memory: when they follow on exactly from the last row the relay
published, they are published without reading them back; otherwise (a backlog, a failed
publish, another replica's rows in between) the relay reads the table, in order, as before. Each event is published
with ``Nats-Msg-Id`` = event id, so a republish after a crash between the publish ack and
marking the row sent is dropped by JetStream's duplicate window.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import msgspec
from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from haven_contracts.subjects import stream_name
from haven_runtime.tables import OutboxColumns

log = logging.getLogger("haven.outbox")

BATCH = 256
#: Publishes in flight before their acks are awaited. One connection writes them in order,
#: so the stream keeps the outbox order; a window retried after a failure is de-duplicated
#: by ``Nats-Msg-Id``.
WINDOW = 64
SWEEP_SECONDS = 2.0
#: Caught up, published rows are marked sent once no commit has followed for this long, in one
#: UPDATE: marking each at once took the database's writer just as the consumers of the
#: event (in the same database on a single deployment) wanted it. A crash before the mark
#: republishes them with the same ``Nats-Msg-Id``, inside JetStream's duplicate window.
MARK_SECONDS = 0.05


class OutboxRelay:
    def __init__(self, service: str, table: type[OutboxColumns], broker: NatsBroker, stream: str | None = None) -> None:
        self.service = service
        self.table = table
        self.broker = broker
        self.stream = stream or stream_name(service)  # a federated deployment's own stream
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.published = 0
        self.backlog = 0
        self.last_error: str | None = None
        self._js: JetStreamContext | None = None
        self._handed: list[dict] = []
        self._unmarked: list[int] = []  # published (acknowledged by JetStream), not yet marked sent
        #: the last seq published while nothing older was left unsent (None: not known)
        self._last_seq: int | None = None

    def notify(self, rows: list[dict] | None = None) -> None:
        """Wake the relay after a commit; ``rows`` are the outbox rows it committed."""
        if rows:
            self._handed.extend(rows)
        self._wake.set()

    def _take_handed(self) -> list[dict] | None:
        """The rows handed over since the last drain when they are exactly the next ones after
        the last row published, else None (read the table). A row written elsewhere, a rolled-back
        insert's gap or a row the table read already published all break the run of seqs."""
        handed, self._handed = sorted(self._handed, key=lambda r: r["seq"]), []
        if not handed or self._last_seq is None or len(handed) > BATCH:
            return None
        first = self._last_seq + 1
        if any(row["seq"] != first + i for i, row in enumerate(handed)):
            return None
        return handed

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.service}")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()

    async def _woken(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
            return True
        except TimeoutError:
            return False

    async def _run(self) -> None:
        delay = 0.1
        while not self._stopping:
            try:
                more = await self.drain_once()
                if not more and self._unmarked and not await self._woken(MARK_SECONDS):
                    await self._mark_sent()
                self.last_error = None
                delay = 0.1
                if more:
                    continue
            except Exception as exc:  # noqa: BLE001 - bus or database down: back off and retry
                detail = getattr(exc, "description", None)
                self.last_error = f"{exc!r}: {detail}" if detail else repr(exc)
                log.warning("outbox relay paused: %s", self.last_error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=SWEEP_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
        # final drain on shutdown, best effort
        try:
            await self.drain_once()
            await self._mark_sent()
        except Exception:  # noqa: BLE001
            pass

    async def _mark_sent(self) -> None:
        """Mark every published row sent (kept for the next attempt if this fails)."""
        if not self._unmarked:
            return
        t = self.table
        seqs, self._unmarked = self._unmarked, []
        try:
            await t.update({t.sent_at: datetime.now(UTC)}).where(t.seq.is_in(seqs))
        except BaseException:
            self._unmarked = seqs + self._unmarked
            raise

    async def drain_once(self) -> bool:
        """Publish one batch of unsent events; True when more may be waiting."""
        t = self.table
        rows = self._take_handed()
        if rows is None:
            await self._mark_sent()  # else the read below would find them unsent
            rows = (
                await t.select(t.seq, t.event_id, t.subject, t.payload, t.headers)
                .where(t.sent_at.is_null())
                .order_by(t.seq)
                .limit(BATCH)
            )
            caught_up = len(rows) < BATCH  # every unsent row is in this batch
        else:
            caught_up = True
        self.backlog = len(rows)
        if not rows:
            return False
        sent: list[int] = []
        self._last_seq = None  # until this batch is published
        done = False
        try:
            for start in range(0, len(rows), WINDOW):
                window = rows[start : start + WINDOW]
                results = await asyncio.gather(*(self._publish(row) for row in window), return_exceptions=True)
                failure = next((r for r in results if isinstance(r, BaseException)), None)
                for row, result in zip(window, results):
                    if not isinstance(result, BaseException):
                        sent.append(row["seq"])
                        self.published += 1
                if failure is not None:
                    raise failure
            if caught_up:
                self._last_seq = rows[-1]["seq"]
            done = True
        finally:
            self._unmarked += sent
            self.backlog = len(rows) - len(sent)
            if not (done and caught_up) or len(self._unmarked) >= BATCH:
                await self._mark_sent()  # a backlog or a failure: marked at once, as before
        return not caught_up

    async def _publish(self, row: dict) -> None:
        # nats-py's JetStream publish on the broker's own connection: FastStream's publish
        # path (middlewares, serialisation hooks) added a third to each event, and the
        # relay publishes bytes and headers it already has.
        headers = row["headers"]
        if isinstance(headers, str):
            headers = msgspec.json.decode(headers)
        if self._js is None:
            self._js = self.broker.connection.jetstream()
        await self._js.publish(row["subject"], bytes(row["payload"]), timeout=5.0, stream=self.stream, headers=headers)

    async def pending(self) -> int:
        return await self.table.count().where(self.table.sent_at.is_null())
