"""Without a span exporter no spans are recorded, yet every request still has a
trace id: an incoming ``traceparent``'s, or a fresh one, for correlation and event headers,
and every response names it in ``X-Correlation-ID``."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.middleware.base import DefineMiddleware
from litestar.testing import AsyncTestClient
from opentelemetry import trace

from haven_runtime import observability

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@get("/probe")
async def probe() -> dict:
    span = trace.get_current_span()
    return {
        "trace": format(span.get_span_context().trace_id, "032x"),
        "recording": span.is_recording(),
        "headers": observability.trace_headers(),
    }


def app() -> Litestar:
    return Litestar(
        [probe],
        middleware=[DefineMiddleware(observability.TraceContextMiddleware)],  # it sets X-Correlation-ID itself
    )


async def test_incoming_traceparent_is_continued_without_recording_a_span():
    async with AsyncTestClient(app=app()) as client:
        r = await client.get("/probe", headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
    body = r.json()
    assert body["trace"] == TRACE_ID and r.headers["x-correlation-id"] == TRACE_ID
    assert body["recording"] is False
    assert TRACE_ID in body["headers"]["traceparent"]


async def test_a_request_without_traceparent_gets_a_fresh_trace_id():
    async with AsyncTestClient(app=app()) as client:
        first = (await client.get("/probe")).json()["trace"]
        answer = await client.get("/probe")
        second = answer.json()["trace"]
    assert answer.headers["x-correlation-id"] == second
    assert first != second and int(first, 16) and int(second, 16)
