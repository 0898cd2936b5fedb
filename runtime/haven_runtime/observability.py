"""Metrics, structured logs and traces for every service.

* **Metrics** (Prometheus text at ``GET /metrics``): HTTP requests by route template
  (``haven_http_*``, :mod:`haven_runtime.httpmetrics`), consumer handler durations and
  outcomes, outbox backlog and published count, dead letters per consumer, and the overdue
  or escalation events each service has raised. Labels are service, route template,
  consumer, event type and status — never an organisation, a record reference or a path
  with one in it, so the endpoint exposes no survivor data. It is excluded from bearer
  authentication so Prometheus can scrape it; keep it on the internal network (see
  ``deploy/README.md``), or set ``HAVEN_METRICS_TOKEN`` to require
  ``Authorization: Bearer <token>`` from the scraper.
* **Traces** (OpenTelemetry): Litestar's OpenTelemetry middleware opens a span per request
  (continuing an incoming ``traceparent``); :func:`trace_headers` puts the current span's
  ``traceparent`` on every event written to the outbox, and :func:`consume_span` continues
  that trace when a consumer applies the event, so one trace runs from the HTTP request
  through the bus to every consumer. ``HAVEN_TRACE_EXPORTER=console`` prints spans;
  ``otlp`` sends them to ``OTEL_EXPORTER_OTLP_ENDPOINT`` (install
  ``opentelemetry-exporter-otlp-proto-http``). Spans are recorded only when something
  receives them: with no exporter, requests still carry a trace id (an incoming
  ``traceparent``'s, or a fresh one) for correlation and event headers, but no span is
  built — OpenTelemetry's ASGI middleware cost ≈ 10 % of the read path's CPU recording
  spans nobody exported. With an exporter, the per-``send``/``receive`` child
  spans are left out all the same.
* **Logs**: ``HAVEN_LOG_FORMAT=json`` (the default when ``HAVEN_ENV=production``) writes one
  JSON object per line with the trace id as ``correlation_id``; every response carries it
  in ``X-Correlation-ID`` so a caller can quote it.
"""

from __future__ import annotations

import hmac
import json
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from litestar import Controller, Request, Response, get
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.opentelemetry import OpenTelemetryConfig
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from haven_runtime.settings import Settings

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

    from haven_contracts.messages import Envelope
    from haven_runtime.context import ServiceContext

PUBLIC_PATHS = ["^/metrics$"]
OVERDUE_MARKERS = ("overdue", "escalated", "breach")
log = logging.getLogger("haven.observability")

HANDLER_SECONDS = Histogram(
    "haven_handler_duration_seconds",
    "Time a consumer handler took to apply one event (inside its transaction)",
    ["service", "consumer", "outcome"],
)


# ---------------------------------------------------------------- tracing


def setup_tracing(service: str, settings: Settings) -> trace.Tracer:
    """Install an SDK tracer provider once per process (the first service names it)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider(
            resource=Resource.create({"service.name": f"haven-{service}", "service.namespace": "haven"})
        )
        exporter = settings.trace_exporter
        if exporter == "console":
            from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

            provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
        elif exporter == "otlp":
            try:
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # type: ignore[import-not-found]
                from opentelemetry.sdk.trace.export import BatchSpanProcessor

                provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            except ImportError:
                log.warning("HAVEN_TRACE_EXPORTER=otlp but opentelemetry-exporter-otlp-proto-http is not installed")
        trace.set_tracer_provider(provider)
    return trace.get_tracer("haven")


def trace_headers() -> dict[str, str]:
    """``traceparent`` (and ``tracestate``) of the current span, for an event's headers."""
    carrier: dict[str, str] = {}
    if trace.get_current_span().get_span_context().is_valid:
        propagate.inject(carrier)
    return carrier


@contextmanager
def consume_span(ctx: "ServiceContext", consumer: str, envelope: "Envelope", headers: dict[str, str]) -> Iterator[None]:
    """A consumer span continuing the producer's trace; times the handler for Prometheus."""
    parent = propagate.extract(headers)
    start = time.perf_counter()
    outcome = "applied"
    if not spans_exported(ctx.settings):  # keep the producer's trace id for logs and events, record nothing
        token = otel_context.attach(parent)
        try:
            yield
        except BaseException:
            outcome = "failed"
            raise
        finally:
            otel_context.detach(token)
            HANDLER_SECONDS.labels(ctx.service, consumer, outcome).observe(time.perf_counter() - start)
        return
    tracer = trace.get_tracer("haven")
    with tracer.start_as_current_span(
        f"consume {envelope.type}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={
            "messaging.system": "nats",
            "messaging.consumer.group.name": consumer,
            "messaging.message.id": envelope.id,
            "haven.service": ctx.service,
        },
    ):
        try:
            yield
        except BaseException:
            outcome = "failed"
            raise
        finally:
            HANDLER_SECONDS.labels(ctx.service, consumer, outcome).observe(time.perf_counter() - start)


# ---------------------------------------------------------------- logging


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``correlation_id`` is the current trace id when there is one."""

    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            out["correlation_id"] = format(span.trace_id, "032x")
            out["span_id"] = format(span.span_id, "016x")
        if self.service:
            out["service"] = self.service
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def setup_logging(service: str | None, settings: Settings) -> None:
    """Switch the root handlers to JSON when asked (or in production)."""
    if settings.log_format != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO)
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter(service))


# ---------------------------------------------------------------- HTTP


class CorrelationIdMiddleware:
    """Adds ``X-Correlation-ID`` (the request's trace id) to every response."""

    def __init__(self, app: "ASGIApp") -> None:
        self.app = app

    async def __call__(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_id(message: "Message") -> None:
            if message["type"] == "http.response.start":
                span = trace.get_current_span().get_span_context()
                if span.is_valid:
                    headers = list(message.get("headers", []))
                    headers.append((b"x-correlation-id", format(span.trace_id, "032x").encode()))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


class TraceContextMiddleware:
    """The trace context without spans, for when no exporter is configured.

    Continues an incoming ``traceparent`` (or starts a fresh trace id) as a non-recording
    span, so correlation ids, log lines and event headers stay joined up across services
    at the cost of one context switch per request. It also adds ``X-Correlation-ID`` (what
    :class:`CorrelationIdMiddleware` does when spans are exported) from the trace id it
    set, instead of asking OpenTelemetry for the current span again on the way out."""

    def __init__(self, app: "ASGIApp") -> None:
        self.app = app

    async def __call__(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        span_context = None
        carrier = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in scope.get("headers") or ()
            if k in (b"traceparent", b"tracestate")
        }
        if carrier:
            span_context = trace.get_current_span(propagate.extract(carrier)).get_span_context()
        if span_context is None or not span_context.is_valid:
            span_context = trace.SpanContext(
                trace_id=random.getrandbits(128) or 1, span_id=random.getrandbits(64) or 1, is_remote=False
            )
        correlation = (b"x-correlation-id", b"%032x" % span_context.trace_id)

        async def send_with_id(message: "Message") -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), correlation]
            await send(message)

        token = otel_context.attach(trace.set_span_in_context(trace.NonRecordingSpan(span_context)))
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            otel_context.detach(token)


class ReleaseMemoryAfterSchema:
    """Hands the memory freed after building the OpenAPI document back to the system.

    Litestar builds the document on the first ``/schema`` request: ≈ 58 MB at its peak, of
    which ≈ 12 MB stay (STACK.md). The rest is freed but glibc keeps it in the process, so
    each service's resident memory stayed at its peak. After the first
    schema response a full collection and ``malloc_trim`` return it; later requests are
    served from Litestar's cache and skip this."""

    def __init__(self, app: "ASGIApp") -> None:
        self.app = app
        self.done = False

    async def __call__(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
        await self.app(scope, receive, send)
        if not self.done and scope["type"] == "http" and scope.get("path", "").startswith("/schema"):
            self.done = True
            release_memory()


def schema_router():
    """The router Litestar serves ``/schema`` from, with :class:`ReleaseMemoryAfterSchema` on
    its routes only (as app middleware it ran on every request)."""
    from litestar import Router

    return Router(path="/schema", route_handlers=[], middleware=[ReleaseMemoryAfterSchema], include_in_schema=False)


def release_memory() -> None:
    """A full garbage collection, then glibc's ``malloc_trim`` (a no-op elsewhere)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def spans_exported(settings: Settings) -> bool:
    """True when spans go somewhere: an exporter set by HAVEN_TRACE_EXPORTER, or a span
    processor a test or an embedding application added to the provider."""
    if settings.trace_exporter:
        return True
    processors = getattr(getattr(trace.get_tracer_provider(), "_active_span_processor", None), "_span_processors", ())
    return bool(processors)


def _without_query(span: Any, scope: dict[str, Any]) -> None:
    """Keep query strings out of spans: a future search parameter must never reach a trace."""
    if span is None or not span.is_recording():
        return
    path = scope.get("path", "")
    for key in ("http.target", "url.path"):
        span.set_attribute(key, path)
    for key in ("http.url", "url.full"):
        span.set_attribute(
            key,
            f"{scope.get('scheme', 'http')}://"
            f"{dict(scope.get('headers') or []).get(b'host', b'').decode(errors='replace')}{path}",
        )
    span.set_attribute("url.query", "")


def middleware(service: str, settings: Settings) -> list[Any]:
    """Outermost first: tracing with the correlation id, then HTTP metrics by route template
    (:mod:`haven_runtime.httpmetrics`). :class:`ReleaseMemoryAfterSchema` wraps only the
    schema routes (:func:`schema_router`)."""
    from haven_runtime.httpmetrics import HttpMetricsMiddleware

    setup_tracing(service, settings)
    setup_logging(service, settings)
    tracing: list[Any] = [DefineMiddleware(TraceContextMiddleware)]
    if spans_exported(settings):
        tracing = [
            OpenTelemetryConfig(
                tracer_provider=trace.get_tracer_provider(),
                exclude=[*PUBLIC_PATHS, "^/health/"],
                exclude_spans=["send", "receive"],
                server_request_hook_handler=_without_query,
            ).middleware,
            DefineMiddleware(CorrelationIdMiddleware),
        ]
    return [
        *tracing,
        DefineMiddleware(HttpMetricsMiddleware, service=service, exclude=("/metrics",)),
    ]


async def _service_families(ctx: "ServiceContext") -> list[Any]:
    tables = ctx.store.tables
    svc = ctx.service
    backlog = GaugeMetricFamily(
        "haven_outbox_backlog", "Events committed but not yet acknowledged by the stream", labels=["service"]
    )
    backlog.add_metric([svc], await ctx.relay.pending())
    published = CounterMetricFamily(
        "haven_outbox_published", "Events this process's relay published", labels=["service"]
    )
    published.add_metric([svc], ctx.relay.published)
    consumed = CounterMetricFamily(
        "haven_consumer_events", "Events this process's consumers handled, by outcome", labels=["service", "outcome"]
    )
    stats = ctx.bus_stats
    for outcome, value in (
        ("applied", stats.applied),
        ("duplicate", stats.skipped_duplicates),
        ("redelivered", stats.redelivered),
        ("dead_lettered", stats.dead_lettered),
    ):
        consumed.add_metric([svc, outcome], value)
    dead = GaugeMetricFamily(
        "haven_dead_letters", "Dead-letter records waiting for an operator, by consumer", labels=["service", "consumer"]
    )
    rows = await tables.dead_letter.raw(
        f"SELECT consumer, COUNT(*) AS n FROM {tables.dead_letter._meta.tablename} GROUP BY consumer"
    )
    for row in rows:
        dead.add_metric([svc, row["consumer"]], row["n"])
    overdue = GaugeMetricFamily(
        "haven_overdue_events",
        "Overdue-clock and escalation events this service has raised, by type",
        labels=["service", "type"],
    )
    outbox = tables.outbox._meta.tablename
    likes = " OR ".join(f"type LIKE '%{m}%'" for m in OVERDUE_MARKERS)
    for row in await tables.outbox.raw(f"SELECT type, COUNT(*) AS n FROM {outbox} WHERE {likes} GROUP BY type"):
        overdue.add_metric([svc, row["type"]], row["n"])
    bus = GaugeMetricFamily(
        "haven_bus_connected", "1 when the service is connected to NATS and consuming", labels=["service"]
    )
    bus.add_metric(
        [svc], 1 if ctx.bus_ready and ctx.broker.connection is not None and ctx.broker.connection.is_connected else 0
    )
    return [backlog, published, consumed, dead, overdue, bus]


class _Snapshot:
    def __init__(self, families: list[Any]) -> None:
        self.families = families

    def collect(self):
        yield from self.families


class MetricsController(Controller):
    path = "/metrics"
    tags = ["operations"]
    include_in_schema = False

    @get("", summary="Prometheus metrics (no survivor data)")
    async def metrics(self, ctx: Any, request: Request) -> Response[bytes]:
        expected = ctx.settings.metrics_token
        if expected:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return Response(b"metrics token required\n", status_code=401, media_type="text/plain")
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Snapshot(await _service_families(ctx)))
        body = generate_latest(REGISTRY) + generate_latest(registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)
