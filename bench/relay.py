"""Outbox relay throughput (committed outbox rows -> acknowledged by the stream) vs raw
JetStream publish-with-ack, same server, same run.

    uv run python bench/relay.py [--n 3000]

Haven: N events are committed to the options outbox (SQLite, 50 per transaction) while the
relay is stopped; then the relay starts and the clock runs until every row is marked sent
(each one published with ``Nats-Msg-Id`` and its stream acknowledgement awaited).
Baseline: N sequential ``js.publish`` calls (each awaiting its ack) with nats-py, the same
payload size and headers. A diagnostic: the targets are measured by
``bench/run.py`` — the relay while a producer commits, and against pipelined publishes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nats
from _common import OptionsOutbox, machine, nats_server


async def haven_rate(nats_url: str, data: Path, n: int) -> float:
    from haven_contracts.events.options import MoveNotified

    outbox = await OptionsOutbox().open(nats_url, data)
    store, relay, broker = outbox.store, outbox.relay, outbox.broker
    now = datetime.now(UTC)
    for start in range(0, n, 50):
        async with store.transaction() as uow:
            for i in range(start, min(n, start + 50)):
                await uow.emit(
                    MoveNotified(
                        org="bexley",
                        to_org="bromley",
                        notification_ref=f"N-{i}",
                        case_ref="CASE-7K3QD9X2MB",
                        addressed_to=["bromley-dv-lead"],
                        notified_at=now,
                    ),
                    ref="CASE-7K3QD9X2MB",
                )
    t0 = time.perf_counter()
    relay.start()
    while await relay.pending():
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - t0
    await relay.stop()
    info = await broker.connection.jetstream().stream_info("HAVEN_OPTIONS")
    assert info.state.messages == n, info.state.messages
    await outbox.close()
    return n / elapsed


async def raw_rate(nats_url: str, n: int) -> float:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="BENCH_RAW", subjects=["bench.raw.>"])
    payload = (
        b'{"org":"bexley","to_org":"bromley","notification_ref":"N-0000","case_ref":"CASE-7K3QD9X2MB",'
        b'"addressed_to":["bromley-dv-lead"],"notified_at":"2026-11-23T10:00:00+00:00"}'
    )
    headers = {
        "ce-source": "haven/options",
        "ce-type": "haven.options.move-notified.v1",
        "ce-time": "2026-11-23T10:00:00+00:00",
        "ce-specversion": "1.0",
        "ce-subject": "CASE-7K3QD9X2MB",
        "haven-org": "bexley",
    }
    t0 = time.perf_counter()
    for i in range(n):
        await js.publish(
            "bench.raw.move-notified.v1.bexley.bromley",
            payload,
            headers=headers | {"Nats-Msg-Id": f"raw-{i}", "ce-id": f"raw-{i}"},
        )
    rate = n / (time.perf_counter() - t0)
    await nc.close()
    return rate


async def faststream_rate(nats_url: str, n: int) -> float:
    """The relay's own publish call (FastStream, awaiting the ack), without the database."""
    from haven_runtime.bus import make_broker

    broker = make_broker(nats_url, name="bench-faststream")
    await broker.connect()
    payload = b'{"org":"bexley","to_org":"bromley","notification_ref":"N-0000","case_ref":"CASE-7K3QD9X2MB"}'
    t0 = time.perf_counter()
    for i in range(n):
        await broker.publish(
            payload, "bench.raw.fs.bexley.bromley", headers={"Nats-Msg-Id": f"fs-{i}"}, stream="BENCH_RAW", timeout=5.0
        )
    rate = n / (time.perf_counter() - t0)
    await broker.stop()
    return rate


async def pipelined_rate(nats_url: str, n: int, window: int = 64) -> float:
    """What the proposed pipelined relay could reach: ``window`` publishes in flight, acks awaited together."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    payload = b'{"org":"bexley","to_org":"bromley","notification_ref":"N-0000","case_ref":"CASE-7K3QD9X2MB"}'
    t0 = time.perf_counter()
    for start in range(0, n, window):
        await asyncio.gather(
            *(
                js.publish("bench.raw.pipe.bexley.bromley", payload, headers={"Nats-Msg-Id": f"pipe-{i}"})
                for i in range(start, min(n, start + window))
            )
        )
    rate = n / (time.perf_counter() - t0)
    await nc.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    with nats_server() as server, tempfile.TemporaryDirectory() as tmp:
        raw = asyncio.run(raw_rate(server.url, args.n))
        fast = asyncio.run(faststream_rate(server.url, args.n))
        haven = asyncio.run(haven_rate(server.url, Path(tmp), args.n))
        pipelined = asyncio.run(pipelined_rate(server.url, args.n))
    ratio = haven / raw
    print(f"machine: {machine()}")
    print(f"raw JetStream publish-with-ack: {raw:,.0f} events/s")
    print(f"FastStream publish-with-ack:    {fast:,.0f} events/s (the relay's publish call alone)")
    print(f"Haven outbox relay:             {haven:,.0f} events/s")
    print(f"(pipelined publish, 64 in flight: {pipelined:,.0f} events/s — the ceiling of the proposed relay change)")
    print(f"ratio: {ratio:.2f} (diagnostic; N5 in bench/run.py is the target)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
