"""The outbox relay publishes the rows a commit hands it without reading them back, and
falls back to reading the table whenever the handed rows are not exactly the next ones:
every committed event is published once, in commit order, over a real nats-server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from haven_contracts.events.options import MoveNotified
from haven_runtime import db
from haven_runtime.bus import make_broker, provision_stream
from haven_runtime.outbox import OutboxRelay
from haven_runtime.schema import create_tables
from haven_runtime.store import Store
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually


@pytest.fixture
async def relay_setup(tmp_path, nats_server):
    tables = runtime_tables("options")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'options.sqlite3'}")
    await db.start(engine, tables.all())
    await create_tables(engine, tables.all())
    store = Store(engine, tables)
    broker = make_broker(nats_server.url, name="test-relay")
    await broker.connect()
    js = broker.connection.jetstream()
    await provision_stream(js, "options")
    sub = await js.subscribe("haven.options.evt.>", ordered_consumer=True)
    try:
        yield store, tables, broker, sub
    finally:
        await sub.unsubscribe()
        await broker.stop()
        await db.stop(engine)


async def commit(store: Store, *refs: str) -> None:
    async with store.transaction() as uow:
        for ref in refs:
            await uow.emit(
                MoveNotified(
                    org="bexley",
                    to_org="bromley",
                    notification_ref=ref,
                    case_ref="CASE-7K3QD9X2MB",
                    addressed_to=["bromley-dv-lead"],
                    notified_at=datetime.now(UTC),
                ),
                ref=ref,
            )


async def received(sub, n: int) -> list[str]:
    import msgspec

    out = []
    for _ in range(n):
        msg = await sub.next_msg(timeout=10)
        out.append(msgspec.json.decode(msg.data)["notification_ref"])
    return out


async def all_marked_sent(relay: OutboxRelay) -> bool:
    """Every published row is marked sent (shortly after the relay is idle)."""
    return relay.backlog == 0 and await relay.pending() == 0


async def test_handed_rows_are_published_once_in_commit_order_after_a_backlog(relay_setup):
    store, tables, broker, sub = relay_setup
    relay = OutboxRelay("options", tables.outbox, broker)
    store.on_commit(relay.notify)
    # a backlog committed while the relay is not running: handed over, but not the next rows
    # after anything this relay published, so it reads the table
    await commit(store, "N-1", "N-2")
    await commit(store, "N-3")
    relay.start()
    try:
        assert await received(sub, 3) == ["N-1", "N-2", "N-3"]
        # caught up: the next commits are published from what they hand over
        for i in range(4, 12):
            await commit(store, f"N-{i}")
        await commit(store, "N-12", "N-13")
        assert await received(sub, 10) == [f"N-{i}" for i in range(4, 14)]
        await eventually(lambda: all_marked_sent(relay))
        with pytest.raises(TimeoutError):  # nothing was published twice
            await sub.next_msg(timeout=0.5)
        # stopping right after a publish still marks it sent
        await commit(store, "N-14")
        assert await received(sub, 1) == ["N-14"]
    finally:
        await relay.stop()
    assert await relay.pending() == 0


async def test_a_row_written_by_another_process_in_between_sends_the_relay_back_to_the_table(relay_setup):
    store, tables, broker, sub = relay_setup
    relay = OutboxRelay("options", tables.outbox, broker)
    store.on_commit(relay.notify)
    relay.start()
    try:
        await commit(store, "N-1")
        assert await received(sub, 1) == ["N-1"]
        await eventually(lambda: relay.backlog == 0)
        # a row committed elsewhere (another replica on the same database): nothing handed over
        other = Store(store.engine, tables)
        await commit(other, "N-2")
        await commit(store, "N-3")  # handed over, but N-2's seq lies between: read the table
        assert await received(sub, 2) == ["N-2", "N-3"]
        await eventually(lambda: all_marked_sent(relay))
    finally:
        await relay.stop()


async def test_handed_rows_are_not_lost_when_publishing_fails(relay_setup, nats_server):
    store, tables, broker, sub = relay_setup
    relay = OutboxRelay("options", tables.outbox, broker, stream="NO_SUCH_STREAM")
    store.on_commit(relay.notify)
    relay.start()
    try:
        await commit(store, "N-1")
        await eventually(lambda: relay.last_error is not None)
        assert await relay.pending() == 1
    finally:
        await relay.stop()
    # the next relay (a restart) finds the row in the table and publishes it
    relay = OutboxRelay("options", tables.outbox, broker)
    store._after_commit = [relay.notify]
    relay.start()
    try:
        await commit(store, "N-2")
        assert await received(sub, 2) == ["N-1", "N-2"]
        await eventually(lambda: all_marked_sent(relay))
    finally:
        await relay.stop()
    await asyncio.sleep(0)
