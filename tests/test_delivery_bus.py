"""Nothing vanishes on the way in.

* A malformed envelope (an over-long ``ce-id``) is dead-lettered with the reason, on SQLite
  and PostgreSQL alike; it used to fail the inbox insert and then the dead-letter insert on
  PostgreSQL, and JetStream gave up with nothing recorded.
* A message JetStream stops redelivering (no replica ever acknowledged it) is recorded from
  the max-deliveries advisory, although no handler ran.
* An oversize field (a 900 KB ``case_ref``) is refused at decode on both databases.
* An event on a version subject this build does not know (``.v2.``) is dead-lettered
  naming the subject, instead of passing a ``v1`` filter unseen.

A small test-only service (hosted under the ``options`` name) consumes every version of
the addressed options events; the last test runs the real options service.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec
import nats
import pytest

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import consumer_name, event_filter, stream_name
from haven_runtime.app import ServiceDefinition, context_of, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually, serve_in_loop


class Applied:
    """Counts the events the test service's handler applied."""

    def __init__(self) -> None:
        self.refs: list[str] = []

    async def handler(self, ctx, event, envelope, uow) -> None:
        self.refs.append(event.case_ref)


def probe_definition(applied: Applied, on_startup=()) -> ServiceDefinition:
    return ServiceDefinition(
        name="options",
        title="delivery test service",
        runtime_tables=runtime_tables("options"),
        consumers=[
            ConsumerSpec(
                purpose="probe-inbox",
                from_service="options",
                filter_subject=event_filter("options", addressed=True),
                handler=applied.handler,
            )
        ],
        on_startup=on_startup,
    )


def notice(case_ref: str = "CASE-7K3QD9X2MB") -> MoveNotified:
    return MoveNotified(
        org="bexley",
        to_org="bromley",
        notification_ref="JWA-7K3QD9",
        case_ref=case_ref,
        addressed_to=["bromley-dv-lead"],
        notified_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )


async def publish(url: str, subject: str, payload: bytes, headers: dict[str, str]) -> None:
    nc = await nats.connect(url)
    try:
        await nc.jetstream().publish(subject, payload, headers=headers)
    finally:
        await nc.close()


async def dead_letters(ctx) -> list[dict]:
    t = ctx.store.tables.dead_letter
    return await t.select().order_by(t.id)


@pytest.mark.hostile_bus_input
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_overlong_event_id_is_dead_lettered_with_the_reason(haven_settings, nats_server):
    applied = Applied()
    app = create_app(probe_definition(applied), settings=haven_settings, plugins=HavenPluginManager())
    async with serve_in_loop(app):
        ctx = context_of(app)
        event = notice()
        long_id = "01J" + "X" * 97
        await publish(
            nats_server.url,
            event.subject,
            encode(event),
            envelope_for(event).to_headers() | {"ce-id": long_id, "Nats-Msg-Id": long_id},
        )
        rows = await eventually(lambda: dead_letters(ctx))
        inbox = ctx.store.tables.inbox
        assert await inbox.count() == 0
    assert len(rows) == 1 and applied.refs == []
    assert rows[0]["reason"].startswith("undecodable: malformed envelope header ce-id: '01JXXX")
    assert rows[0]["event_id"] == long_id[:64] and rows[0]["deliveries"] == 1
    assert rows[0]["subject"] == event.subject


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_message_jetstream_gives_up_on_is_dead_lettered_though_no_handler_ran(haven_settings, nats_server):
    """A replica that dies mid-message every time (here: a raw puller that never acknowledges)
    exhausts the deliveries; the max-deliveries advisory makes the service record it."""
    from haven_runtime.bus import provision_consumer, watch_max_deliveries

    durable = consumer_name("options", "crashing")
    spec = ConsumerSpec(
        purpose="crashing",
        from_service="options",
        filter_subject="haven.options.evt.case-closed.*.*",
        handler=Applied().handler,
    )

    async def provision_crashing(ctx) -> None:
        quick = msgspec.structs.replace(ctx.settings, ack_wait_seconds=1)  # redeliver after 1 s, not 30
        await provision_consumer(ctx.broker.connection.jetstream(), "options", spec, quick)
        watch_max_deliveries(ctx.broker, ctx, stream_name("options"), durable)

    applied = Applied()
    app = create_app(
        probe_definition(applied, on_startup=[provision_crashing]),
        settings=haven_settings,
        plugins=HavenPluginManager(),
    )
    async with serve_in_loop(app):
        ctx = context_of(app)
        from haven_contracts.events.options import CaseClosed

        event = CaseClosed(
            org="bexley", case_ref="CASE-7K3QD9X2MB", closed_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        )
        envelope = envelope_for(event)
        await publish(nats_server.url, event.subject, encode(event), envelope.to_headers())

        nc = await nats.connect(nats_server.url)
        try:
            puller = await nc.jetstream().pull_subscribe_bind(durable, stream=stream_name("options"))
            deliveries = 0
            for _ in range(ctx.settings.max_deliver + 1):  # the consumer's max_deliver; never acknowledged
                deliveries += len(await puller.fetch(1, timeout=10))

            async def keep_pulling() -> None:  # the server checks for exhaustion when serving a pull
                while True:
                    try:
                        await puller.fetch(1, timeout=1)
                    except nats.errors.TimeoutError:
                        pass

            pulling = asyncio.create_task(keep_pulling())
            try:
                rows = await eventually(lambda: dead_letters(ctx), timeout=20)
            finally:
                pulling.cancel()
                await asyncio.gather(pulling, return_exceptions=True)
        finally:
            await nc.close()
    assert deliveries == ctx.settings.max_deliver + 1
    assert len(rows) == 1 and applied.refs == []
    row = rows[0]
    assert row["consumer"] == durable and row["event_id"] == envelope.id and row["subject"] == event.subject
    assert row["reason"].startswith(f"JetStream gave up after {deliveries} deliveries")
    assert (
        row["deliveries"] == deliveries and msgspec.json.decode(bytes(row["payload"]))["case_ref"] == "CASE-7K3QD9X2MB"
    )


@pytest.mark.hostile_bus_input
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_oversize_field_is_refused_at_decode_on_both_databases(haven_settings, nats_server):
    applied = Applied()
    app = create_app(probe_definition(applied), settings=haven_settings, plugins=HavenPluginManager())
    async with serve_in_loop(app):
        ctx = context_of(app)
        event = notice()
        payload = msgspec.json.encode(msgspec.json.decode(encode(event)) | {"case_ref": "C" * 900_000})
        await publish(nats_server.url, event.subject, payload, envelope_for(event).to_headers())
        rows = await eventually(lambda: dead_letters(ctx))
    assert len(rows) == 1 and applied.refs == []
    assert rows[0]["reason"] == "undecodable: Expected `str` of length <= 64 - at `$.case_ref`"


async def test_event_on_an_unknown_version_subject_is_dead_lettered_naming_it(start_service, nats_server):
    options = await start_service("options")
    ctx = options.app.state["haven"]
    event = notice()
    subject = event.subject.replace(".v1.", ".v2.")
    headers = envelope_for(event).to_headers() | {"ce-type": "haven.options.move-notified.v2"}
    await publish(nats_server.url, subject, encode(event), headers)
    # every consumer reading move-notified records it: the JWA inbox and the pair monitoring
    readers = {"options-jwa-inbox", "options-jwa-monitoring"}

    async def recorded():
        rows = await dead_letters(ctx)
        return rows if {r["consumer"] for r in rows} == readers else None

    rows = await eventually(recorded)
    assert len(rows) == len(readers)
    for row in rows:
        assert row["subject"] == subject
        assert row["reason"] == f"unknown version: subject {subject!r} carries move-notified v2; this consumer reads v1"
