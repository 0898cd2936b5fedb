"""The outbox, relay and inbox on both storage backends ("The same
code runs against a NATS cluster and PostgreSQL by configuration alone"; principle 3:
state change, event and audit commit together or not at all)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from piccolo.columns import Varchar
from piccolo.table import Table

from haven_contracts.events.options import MoveNotified
from haven_contracts.subjects import event_filter
from haven_runtime import db
from haven_runtime.app import ServiceDefinition, context_of, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.identity import Principal
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.schema import apply_migrations, creating, pending, runtime_app
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually, serve_in_loop

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
OFFICER = Principal(sub="officer-1", org="bexley", roles=frozenset({"options_officer"}))


class StoredNotice(Table, tablename="test_storage_notice"):
    ref = Varchar(length=40, unique=True)


class ReceivedNotice(Table, tablename="test_storage_received"):
    ref = Varchar(length=40, unique=True)
    event_id = Varchar(length=26)


async def receive(ctx, event, envelope, uow) -> None:
    await ReceivedNotice.insert(ReceivedNotice(ref=event.notification_ref, event_id=envelope.id))


@pytest.fixture
async def service(haven_settings):
    definition = ServiceDefinition(
        name="options",
        title="storage test service",
        runtime_tables=runtime_tables("options"),
        tables=[StoredNotice, ReceivedNotice],
        migrations=creating("storage-test", [StoredNotice, ReceivedNotice]),
        consumers=[
            ConsumerSpec(
                purpose="storage-test",
                from_service="options",
                filter_subject=event_filter("options", addressed=True),
                handler=receive,
            )
        ],
    )
    app = create_app(definition, settings=haven_settings, plugins=HavenPluginManager())
    async with serve_in_loop(app) as client:
        yield context_of(app), client


def notice(ref: str) -> MoveNotified:
    return MoveNotified(
        org="bexley",
        to_org="bromley",
        notification_ref=ref,
        case_ref="CASE-STORAGE01",
        addressed_to=["bromley-dv-lead"],
        notified_at=datetime.now(UTC),
    )


@BACKENDS
async def test_outbox_relay_and_inbox(service, db_backend, haven_settings):
    ctx, client = service
    assert db.is_sqlite(ctx.engine) is (db_backend == "sqlite")
    refs = [f"JWA-STORE{i:05d}" for i in range(20)]
    for ref in refs:
        async with ctx.store.transaction() as uow:
            await StoredNotice.insert(StoredNotice(ref=ref))
            await uow.emit(notice(ref), ref=ref)
            await uow.audit(OFFICER, "create", "notice", ref, entity_org="bexley")
    await eventually(lambda: _count(ReceivedNotice, 20))
    outbox, inbox, audit = ctx.store.tables.outbox, ctx.store.tables.inbox, ctx.store.tables.audit
    await eventually(lambda: _unsent_is(outbox, 0))  # marked sent once the relay is idle (outbox.MARK_SECONDS)
    assert await outbox.count() == 20
    assert await inbox.count().where(inbox.consumer == "options-storage-test") == 20
    assert await audit.count().where(audit.entity == "notice") == 20
    events = await outbox.select(outbox.event_id).order_by(outbox.seq)
    received = {r["event_id"] for r in await ReceivedNotice.select(ReceivedNotice.event_id)}
    assert received == {e["event_id"] for e in events}
    assert (await client.get("/health/ready")).json()["database"] is True


@BACKENDS
async def test_a_failed_transaction_leaves_no_state_event_or_audit(service, db_backend):
    ctx, _ = service
    with pytest.raises(RuntimeError):
        async with ctx.store.transaction() as uow:
            await StoredNotice.insert(StoredNotice(ref="JWA-ROLLBACK01"))
            await uow.emit(notice("JWA-ROLLBACK01"))
            await uow.audit(OFFICER, "create", "notice", "JWA-ROLLBACK01")
            raise RuntimeError("validation failed after the writes")
    assert await StoredNotice.count().where(StoredNotice.ref == "JWA-ROLLBACK01") == 0
    assert await ctx.store.tables.outbox.count() == 0
    assert await ctx.store.tables.audit.count() == 0


@BACKENDS
async def test_start_up_applied_the_migrations_and_a_second_run_is_a_no_op(service, db_backend):
    ctx, _ = service
    apps = [runtime_app(), creating("storage-test", [StoredNotice, ReceivedNotice])]
    assert await pending(ctx.engine, apps) == []
    assert await apply_migrations(ctx.engine, apps) == []
    assert await StoredNotice.count() == 0


async def _count(table, expected: int) -> bool:
    return await table.count() >= expected


async def test_a_service_emits_only_its_own_events(service):
    from haven_contracts.events.directory import RoleHolderChanged

    ctx, _ = service
    other = RoleHolderChanged(org="bromley", position="dv_lead", officer_id="x", effective_from=datetime.now(UTC))
    with pytest.raises(ValueError, match="options service cannot emit haven.directory.role-holder-changed.v1"):
        async with ctx.store.transaction() as uow:
            await uow.emit(other)
    assert await ctx.store.tables.outbox.count() == 0


@BACKENDS
async def test_pipelined_relay_keeps_outbox_order_in_the_stream(service, db_backend, haven_settings):
    """The relay keeps a window of publishes in flight; the stream must still hold the events
    in the order they were committed (consumers see a referral before its decision)."""
    import nats

    ctx, _ = service
    refs = [f"JWA-ORDER{i:05d}" for i in range(300)]
    async with ctx.store.transaction() as uow:
        for ref in refs:
            await uow.emit(notice(ref), ref=ref)
    outbox = ctx.store.tables.outbox
    await eventually(lambda: _unsent_is(outbox, 0))
    committed = [r["event_id"] for r in await outbox.select(outbox.event_id).order_by(outbox.seq)]
    nc = await nats.connect(haven_settings.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe("haven.options.evt.>", durable=None, stream="HAVEN_OPTIONS")
        seen: list[str] = []
        while len(seen) < len(committed):
            for msg in await sub.fetch(100, timeout=5):
                seen.append(msg.headers["ce-id"])
                await msg.ack()
    finally:
        await nc.close()
    assert seen == committed


async def _unsent_is(outbox, n: int) -> bool:
    return await outbox.count().where(outbox.sent_at.is_null()) == n
