"""Delivery guarantees over a real nats-server:

"State change and its event are written in one transaction (outbox); the relay publishes
right after commit with the event id as Nats-Msg-Id; consumers are durable, acknowledge
after their own commit, and skip event ids already applied (inbox). A message that can
never be processed ends in a dead-letter record with the reason."

A small test-only service (hosted under the ``options`` name, so it may emit options
events) consumes its own stream with a handler whose behaviour each test controls.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime

import msgspec
import nats
import pytest
from piccolo.columns import Varchar
from piccolo.table import Table

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import event_filter
from haven_runtime.app import ServiceDefinition, context_of, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.errors import PermanentError, invalid, not_found, unavailable
from haven_runtime.ops.natsserver import start_nats_server
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.schema import create_tables
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually, serve_in_loop


class AppliedNotice(Table, tablename="test_applied_notice"):
    """One row per applied event: written in the inbox transaction, so a duplicate shows."""

    event_id = Varchar(length=26)
    case_ref = Varchar(length=40)


class Behaviour:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self.fail_times: dict[str, int] = {}
        self.permanent: set[str] = set()
        self.refusal: dict[str, Exception] = {}

    async def handler(self, ctx, event, envelope, uow) -> None:
        self.calls[event.case_ref] += 1
        self.times.setdefault(event.case_ref, []).append(time.monotonic())
        if event.case_ref in self.permanent:
            raise PermanentError("case closed")
        if self.calls[event.case_ref] <= self.fail_times.get(event.case_ref, 0):
            raise self.refusal.get(event.case_ref) or RuntimeError(f"transient failure {self.calls[event.case_ref]}")
        await AppliedNotice.insert(AppliedNotice(event_id=envelope.id, case_ref=event.case_ref))


def definition(behaviour: Behaviour) -> ServiceDefinition:
    return ServiceDefinition(
        name="options",
        title="bus test service",
        runtime_tables=runtime_tables("options"),
        tables=[AppliedNotice],
        consumers=[
            ConsumerSpec(
                purpose="test-inbox",
                from_service="options",
                filter_subject=event_filter("options", addressed=True),
                handler=behaviour.handler,
            )
        ],
    )


@pytest.fixture
async def bus_app(haven_settings):
    behaviour = Behaviour()
    app = create_app(definition(behaviour), settings=haven_settings, plugins=HavenPluginManager())
    async with serve_in_loop(app) as client:
        ctx = context_of(app)
        await create_tables(ctx.store.engine, [AppliedNotice])  # a test's own table: no migration builds it
        yield behaviour, ctx, client


def notice(case_ref: str) -> MoveNotified:
    return MoveNotified(
        org="bexley",
        to_org="bromley",
        notification_ref=f"JWA-{case_ref[-6:]}",
        case_ref=case_ref,
        addressed_to=["bromley-dv-lead"],
        notified_at=datetime.now(UTC),
    )


async def publish_raw(url: str, subject: str, payload: bytes, headers: dict[str, str] | None) -> None:
    nc = await nats.connect(url)
    try:
        await nc.jetstream().publish(subject, payload, headers=headers)
    finally:
        await nc.close()


async def publish_event(
    url: str, event: MoveNotified, *, event_id: str | None = None, msg_id: str | None = None
) -> str:
    envelope = envelope_for(event, event_id=event_id)
    headers = envelope.to_headers()
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id
    await publish_raw(url, event.subject, encode(event), headers)
    return envelope.id


async def applied(case_ref: str) -> list[dict]:
    return await AppliedNotice.select().where(AppliedNotice.case_ref == case_ref)


async def dead_letters(ctx) -> list[dict]:
    t = ctx.store.tables.dead_letter
    return await t.select().order_by(t.id)


async def test_handler_failing_once_is_retried_with_backoff_and_applied_once(bus_app, nats_server, haven_settings):
    behaviour, ctx, _ = bus_app
    behaviour.fail_times["CASE-RETRY00001"] = 1
    event_id = await publish_event(nats_server.url, notice("CASE-RETRY00001"))
    rows = await eventually(lambda: applied("CASE-RETRY00001"))
    assert [r["event_id"] for r in rows] == [event_id]
    assert behaviour.calls["CASE-RETRY00001"] == 2
    first, second = behaviour.times["CASE-RETRY00001"]
    assert second - first >= haven_settings.redelivery_backoff_seconds[0] * 0.9  # back-off, not a tight loop
    inbox = ctx.store.tables.inbox
    assert await inbox.count().where(inbox.event_id == event_id) == 1
    assert ctx.bus_stats.redelivered == 1 and ctx.bus_stats.applied == 1
    assert await dead_letters(ctx) == []


async def test_handler_always_failing_ends_in_dead_letter_with_the_reason(bus_app, nats_server, haven_settings):
    behaviour, ctx, client = bus_app
    behaviour.fail_times["CASE-ALWAYS0001"] = 1000
    event_id = await publish_event(nats_server.url, notice("CASE-ALWAYS0001"))
    rows = await eventually(lambda: dead_letters(ctx))
    assert len(rows) == 1
    dl = rows[0]
    assert dl["event_id"] == event_id and dl["type"] == "haven.options.move-notified.v1"
    assert dl["deliveries"] == haven_settings.max_deliver
    assert "handler failed 3 times" in dl["reason"] and "transient failure 3" in dl["reason"]
    assert dl["consumer"] == "options-test-inbox"
    assert behaviour.calls["CASE-ALWAYS0001"] == haven_settings.max_deliver
    assert await applied("CASE-ALWAYS0001") == []
    # no further deliveries once dead-lettered
    await _sleep(1.0)
    assert behaviour.calls["CASE-ALWAYS0001"] == haven_settings.max_deliver


async def test_permanent_error_goes_straight_to_dead_letter(bus_app, nats_server):
    behaviour, ctx, _ = bus_app
    behaviour.permanent.add("CASE-PERMANENT1")
    await publish_event(nats_server.url, notice("CASE-PERMANENT1"))
    rows = await eventually(lambda: dead_letters(ctx))
    assert rows[0]["reason"] == "rejected by handler: case closed"
    assert rows[0]["deliveries"] == 1 and behaviour.calls["CASE-PERMANENT1"] == 1


async def test_a_refusal_from_the_error_hierarchy_is_dead_lettered_with_its_reason_unless_it_may_pass(
    bus_app, nats_server
):
    """The bus applies ``haven_runtime.errors.as_permanent``: a not-found or invalid refusal in a
    handler would fail the same way every time, so it is dead-lettered on the first delivery
    with its status and reason; an unavailable dependency is retried and then applied."""
    behaviour, ctx, _ = bus_app
    for ref, refusal in (
        ("CASE-NOTFOUND01", not_found("case")),
        ("CASE-INVALID001", invalid("to_org", "must be another organisation")),
        ("CASE-UNAVAIL001", unavailable("the directory did not answer")),
    ):
        behaviour.fail_times[ref] = 1 if ref == "CASE-UNAVAIL001" else 99
        behaviour.refusal[ref] = refusal
        await publish_event(nats_server.url, notice(ref))

    async def settled():
        rows = await dead_letters(ctx)
        applied = await AppliedNotice.select(AppliedNotice.case_ref)
        return (rows, applied) if len(rows) == 2 and applied else None

    rows, applied = await eventually(settled)
    assert sorted(r["reason"] for r in rows) == [
        "rejected by handler: 400 to_org: must be another organisation",
        "rejected by handler: 404 no such case",
    ]
    assert all(r["deliveries"] == 1 for r in rows)
    assert behaviour.calls["CASE-NOTFOUND01"] == 1 and behaviour.calls["CASE-INVALID001"] == 1
    assert applied == [{"case_ref": "CASE-UNAVAIL001"}] and behaviour.calls["CASE-UNAVAIL001"] == 2


@pytest.mark.parametrize(
    "case",
    [
        "bad-payload",
        "missing-headers",
        "unknown-type",
        "invalid-field",
        "spoofed-org",
        "spoofed-recipient",
        "type-mismatch",
    ],
)
async def test_undecodable_message_goes_straight_to_dead_letter(bus_app, nats_server, case):
    behaviour, ctx, _ = bus_app
    event = notice("CASE-UNDECODE01")
    headers = envelope_for(event).to_headers()
    payload = encode(event)
    if case == "bad-payload":
        payload = b"{not json"
    elif case == "missing-headers":
        headers = {"Nats-Msg-Id": headers["Nats-Msg-Id"]}
    elif case == "unknown-type":
        headers["ce-type"] = "haven.options.no-such-event.v1"
    elif case == "invalid-field":
        payload = msgspec.json.encode(msgspec.json.decode(payload) | {"org": "Not An Org"})
    elif case == "spoofed-org":
        payload = msgspec.json.encode(msgspec.json.decode(payload) | {"org": "lewisham"})
    elif case == "spoofed-recipient":
        payload = msgspec.json.encode(msgspec.json.decode(payload) | {"to_org": "greenwich"})
    else:
        headers["ce-type"] = "haven.directory.role-holder-changed.v1"
        payload = msgspec.json.encode(
            {"org": "bexley", "position": "dv_lead", "officer_id": None, "effective_from": "2026-11-23T09:00:00Z"}
        )
    await publish_raw(nats_server.url, event.subject, payload, headers)
    rows = await eventually(lambda: dead_letters(ctx))
    assert len(rows) == 1
    reason = rows[0]["reason"]
    assert reason.startswith("undecodable: ")
    expected = {
        "bad-payload": "JSON",
        "missing-headers": "ce-id",
        "unknown-type": "unknown event type",
        "invalid-field": "org",
        "spoofed-org": "does not match the payload",
        "spoofed-recipient": "does not match the payload",
        "type-mismatch": "does not match the payload",
    }[case]
    assert expected in reason
    assert rows[0]["deliveries"] == 1
    assert behaviour.calls == Counter()
    await _sleep(0.5)
    assert len(await dead_letters(ctx)) == 1


async def test_redelivered_event_id_is_skipped_by_the_inbox(bus_app, nats_server):
    """The same event id arriving again (e.g. a crash after commit but before the ack) is
    acknowledged and skipped: applied once. A different ``Nats-Msg-Id`` gets it past
    JetStream's de-duplication, as a real redelivery would."""
    behaviour, ctx, _ = bus_app
    event = notice("CASE-DUPLICATE1")
    event_id = await publish_event(nats_server.url, event)
    await eventually(lambda: applied("CASE-DUPLICATE1"))
    await publish_event(nats_server.url, event, event_id=event_id, msg_id=event_id + "-again")
    await eventually(lambda: ctx.bus_stats.skipped_duplicates == 1)
    assert len(await applied("CASE-DUPLICATE1")) == 1
    assert behaviour.calls["CASE-DUPLICATE1"] == 1
    # the same Nats-Msg-Id is dropped by the stream itself
    await publish_event(nats_server.url, event, event_id=event_id)
    await _sleep(0.5)
    assert ctx.bus_stats.skipped_duplicates == 1 and len(await applied("CASE-DUPLICATE1")) == 1


@pytest.fixture
def restarted_servers():
    """Servers a test restarts; stopped after the app (set up first, so torn down last)."""
    servers: list = []
    yield servers
    for server in servers:
        server.stop()


async def test_outbox_catches_up_after_the_bus_was_down(restarted_servers, bus_app, nats_server, tmp_path):
    """Events committed while nats-server is down wait in the outbox and arrive exactly once
    after it restarts on the same port and store."""
    behaviour, ctx, client = bus_app
    nats_server.stop()
    refs = [f"CASE-OUTAGE{i:04d}" for i in range(5)]
    for ref in refs:
        async with ctx.store.transaction() as uow:
            await uow.emit(notice(ref), ref=ref)
    assert await ctx.relay.pending() == 5
    down = await client.get("/health/ready")
    assert down.status_code == 503 and down.json()["bus"] is False and down.json()["database"] is True
    restarted = start_nats_server(
        nats_server.store_dir, port=nats_server.port, log_file=tmp_path / "nats-restarted.log"
    )
    restarted_servers.append(restarted)
    for ref in refs:
        await eventually(lambda ref=ref: applied(ref))
    await eventually(lambda: _no_pending(ctx))
    await _sleep(1.0)
    for ref in refs:
        assert len(await applied(ref)) == 1, ref
    nc = await nats.connect(restarted.url)
    info = await nc.jetstream().stream_info("HAVEN_OPTIONS")
    await nc.close()
    assert info.state.messages == 5  # published once each, whatever the retries
    up = await eventually(lambda: _ready(client))
    assert up["outbox_error"] is None and up["outbox_backlog"] == 0 and up["plugin_failures"] == []


async def _ready(client) -> dict | None:
    r = await client.get("/health/ready")
    return r.json() if r.status_code == 200 else None


async def _no_pending(ctx) -> bool:
    return await ctx.relay.pending() == 0


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def test_dead_letters_endpoint_lists_records_without_payloads(bus_app, nats_server, token):
    behaviour, ctx, client = bus_app
    behaviour.permanent.add("CASE-ENDPOINT01")
    event_id = await publish_event(nats_server.url, notice("CASE-ENDPOINT01"))
    await eventually(lambda: dead_letters(ctx))
    assert (await client.get("/-/dead-letters")).status_code == 401
    assert (await client.get("/-/dead-letters", headers=token("bexley", "options_officer"))).status_code == 403
    for org, role in (("bexley", "auditor"), ("bexley", "admin"), ("bromley", "auditor"), ("lewisham", "operator")):
        r = await client.get("/-/dead-letters", headers=token(org, role))
        assert r.status_code == 200, r.text
        [row] = r.json()
        assert row["event_id"] == event_id and row["reason"] == "rejected by handler: case closed"
        assert row["subject"] == "haven.options.evt.move-notified.v1.bexley.bromley"
        assert {"id", "consumer", "type", "deliveries", "created_at", "resolved"} <= set(row)
        assert "payload" not in row and "headers" not in row
        assert "CASE-ENDPOINT01" not in r.text
    # another organisation's auditor or admin does not see it; only the operator
    # sees the whole deployment
    for role in ("auditor", "admin"):
        r = await client.get("/-/dead-letters", headers=token("lewisham", role))
        assert r.status_code == 200 and r.json() == [], r.text


async def test_audit_endpoint_says_who_has_seen_a_record(bus_app, token):
    from haven_runtime.identity import Principal

    _, ctx, client = bus_app
    reader = Principal(sub="officer-7", org="bexley", roles=frozenset({"options_officer"}))
    outsider = Principal(sub="officer-9", org="lewisham", roles=frozenset({"options_officer"}))
    async with ctx.store.transaction() as uow:
        await uow.audit(reader, "read", "case", "CASE-AUDITED001", entity_org="bexley", purpose="interview")
        await uow.audit(outsider, "read", "case", "CASE-AUDITED001", entity_org="lewisham", purpose="other org's case")
        await uow.audit(reader, "read", "case", "CASE-OTHER00001", entity_org="bexley")
    url = "/-/audit?entity=case&ref=CASE-AUDITED001"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=token("bexley", "dv_lead"))).status_code == 403
    r = await client.get(url, headers=token("bexley", "auditor"))
    assert r.status_code == 200, r.text
    assert [(e["actor"], e["purpose"]) for e in r.json()] == [("officer-7", "interview")]
    # an admin administers its own organisation only; the operator sees the deployment
    r = await client.get(url, headers=token("bexley", "admin"))
    assert [e["actor"] for e in r.json()] == ["officer-7"]
    r = await client.get(url, headers=token("bexley", "operator"))
    assert {e["actor"] for e in r.json()} == {"officer-7", "officer-9"}
    assert (await client.get("/-/audit?entity=case", headers=token("bexley", "auditor"))).status_code == 400


async def test_kill_9_of_nats_server_mid_flow_loses_nothing(restarted_servers, bus_app, nats_server, tmp_path):
    """Nats-server is SIGKILLed while events are being relayed and consumed; events written
    before, during and after the outage each arrive exactly once after it restarts."""
    behaviour, ctx, _ = bus_app
    refs = [f"CASE-NATSKILL{i:03d}" for i in range(30)]

    async def write(batch):
        for ref in batch:
            async with ctx.store.transaction() as uow:
                await uow.emit(notice(ref), ref=ref)

    await write(refs[:15])
    nats_server.kill()
    await write(refs[15:])
    restarted = start_nats_server(
        nats_server.store_dir, port=nats_server.port, log_file=tmp_path / "nats-after-kill.log"
    )
    restarted_servers.append(restarted)
    for ref in refs:
        await eventually(lambda ref=ref: applied(ref))
    await eventually(lambda: _no_pending(ctx))
    await _sleep(1.0)
    assert [len(await applied(ref)) for ref in refs] == [1] * len(refs)
    assert await dead_letters(ctx) == []
    inbox = ctx.store.tables.inbox
    assert await inbox.count() == len(refs)
