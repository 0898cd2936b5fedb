"""Metrics, correlation ids and traces that follow a request from HTTP through the bus.

A small probe service (the runtime's app factory, a route that emits an addressed event,
and a durable consumer of it) runs against a real nats-server, so these tests exercise the
runtime wiring without depending on any one service's domain rules.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import msgspec
from litestar import post
from litestar.testing import AsyncTestClient
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from haven_contracts.events.options import MoveNotified
from haven_contracts.subjects import event_filter
from haven_runtime import observability
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.identity import Principal
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.settings import load_settings
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
CASE_REF = "CASE-7K3QD9X2MB"

EXPORTER = InMemorySpanExporter()
observability.setup_tracing("options", load_settings({"HAVEN_DATA_DIR": ".haven"}))
trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(EXPORTER))  # type: ignore[attr-defined]


def probe_definition(seen: list[str]) -> ServiceDefinition:
    @post("/probe/notify/{to_org:str}", status_code=201)
    async def notify(ctx: object, principal: Principal, to_org: str) -> dict[str, str]:
        async with ctx.store.transaction() as uow:  # type: ignore[attr-defined]
            event_id = await uow.emit(
                MoveNotified(
                    org=principal.org,
                    to_org=to_org,
                    notification_ref="N-1",
                    case_ref=CASE_REF,
                    addressed_to=[],
                    notified_at=datetime.now(UTC),
                ),
                ref=CASE_REF,
            )
            await uow.audit(principal, "create", "notification", "N-1", purpose="probe")
        return {"event_id": event_id}

    async def receive(ctx, event, envelope, uow) -> None:
        seen.append(format(trace.get_current_span().get_span_context().trace_id, "032x"))
        logging.getLogger("haven.probe").info("applied %s", envelope.id)

    return ServiceDefinition(
        name="options",
        title="probe",
        runtime_tables=runtime_tables("options"),
        route_handlers=[notify],
        consumers=[
            ConsumerSpec(
                purpose="probe-inbox",
                from_service="options",
                filter_subject=event_filter("options", "move-notified", 1, addressed=True),
                handler=receive,
            )
        ],
    )


async def _client(haven_settings, seen):
    app = create_app(probe_definition(seen), settings=haven_settings, plugins=build_plugin_manager(haven_settings))
    return AsyncTestClient(app=app, raise_server_exceptions=False)


async def test_trace_follows_request_through_bus_to_consumer(haven_settings, token):
    EXPORTER.clear()
    seen: list[str] = []
    async with await _client(haven_settings, seen) as client:
        r = await client.post(
            "/probe/notify/bromley?q=secret", headers=token("bexley", "options_officer") | {"traceparent": TRACEPARENT}
        )
        assert r.status_code == 201, r.text
        assert r.headers["x-correlation-id"] == TRACE_ID
        await eventually(lambda: seen)
        assert seen == [TRACE_ID]
        outbox = client.app.state["haven"].store.tables.outbox
        rows = await outbox.select(outbox.headers)
        assert TRACE_ID in json.loads(rows[0]["headers"])["traceparent"]
    spans = [s for s in EXPORTER.get_finished_spans() if s.context.trace_id == int(TRACE_ID, 16)]
    names = {s.name for s in spans}
    server = [s for s in spans if s.kind == trace.SpanKind.SERVER]
    assert server and all("secret" not in str(dict(s.attributes or {})) for s in server)
    assert "consume haven.options.move-notified.v1" in names
    assert any(s.kind == trace.SpanKind.SERVER for s in spans), names


async def test_metrics_are_public_and_carry_no_record_reference(haven_settings, token):
    seen: list[str] = []
    async with await _client(haven_settings, seen) as client:
        r = await client.post("/probe/notify/bromley", headers=token("bexley", "options_officer"))
        assert r.status_code == 201
        await eventually(lambda: client.app.state["haven"].bus_stats.applied == 1)
        assert (await client.post("/probe/notify/bromley")).status_code == 401
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        text = metrics.text
    assert 'haven_outbox_backlog{service="options"}' in text
    assert 'haven_consumer_events_total{outcome="applied",service="options"} 1.0' in text
    assert (
        'haven_handler_duration_seconds_count{consumer="options-probe-inbox",outcome="applied",service="options"}'
        in text
    )
    assert (
        "/probe/notify/{to_org" in text and "haven_http_requests_total" in text
    )  # the route template, not the organisation
    assert "haven_dead_letters" in text and "haven_overdue_events" in text
    http = [line for line in text.splitlines() if line.startswith("haven_http") and "/probe/notify/" in line]
    for status in ("201", "401"):  # a refusal by the bearer middleware is counted as what it answered
        assert any(f'status_code="{status}"' in line and "haven_http_requests_total" in line for line in http)
        assert any(f'status_code="{status}"' in line and 'le="+Inf"' in line for line in http), http
    for secret in (CASE_REF, "N-1"):
        assert secret not in text
    # organisation names may label other tests' consumers in this process (a deployment named
    # after its borough); this request's metrics name neither organisation
    ours = [line for line in text.splitlines() if "probe" in line or line.startswith("haven_http")]
    assert ours and not [line for line in ours if "bromley" in line or "bexley" in line]


async def test_metrics_token_when_configured(haven_settings):
    settings = msgspec.structs.replace(haven_settings, metrics_token="scrape-secret-0123456789")
    async with await _client(settings, []) as client:
        assert (await client.get("/metrics")).status_code == 401
        ok = await client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-0123456789"})
        assert ok.status_code == 200


def test_json_log_lines_carry_the_correlation_id():
    formatter = observability.JsonFormatter("options")
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("x") as span:
        record = logging.LogRecord("haven.test", logging.INFO, __file__, 1, "applied %s", ("E1",), None)
        line = json.loads(formatter.format(record))
    assert line["message"] == "applied E1"
    assert line["service"] == "options"
    assert line["correlation_id"] == format(span.get_span_context().trace_id, "032x")
