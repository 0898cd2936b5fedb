"""Cross-borough notification latency vs raw JetStream publish -> consume, same server, same run.

    uv run python bench/notification.py [--n 200]

Haven path: ``POST /jwa/notifications`` at borough A (bexley) on the options service —
bearer check, a request/reply to the directory service for B's named officers, the
notification, its event and an audit record committed in one transaction — then the
outbox relay publishes it to JetStream and B's subscriber (bromley's integrator view,
``haven.*.evt.*.*.*.bromley``) receives it. Measured from sending the POST to delivery.

Baseline: a JetStream publish (with ack) of a same-sized message to the same server and
its delivery to a subscriber on the same subject pattern. A diagnostic: the target is measured by ``bench/run.py``
against the full floor chain (commit, publish-ack, pull-consume, commit), not against this bare publish.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx
import nats
from _common import machine, ms, nats_server, percentiles, services, token

RESPONSE: list[float] = []


async def haven_latencies(base: str, nats_url: str, n: int) -> list[float]:
    nc = await nats.connect(nats_url)
    arrived: dict[str, float] = {}
    waiting: dict[str, asyncio.Future] = {}

    async def on_event(msg) -> None:
        ref = json.loads(msg.data)["notification_ref"]
        arrived[ref] = time.perf_counter()
        if ref in waiting:
            waiting[ref].set_result(None)

    await nc.subscribe("haven.*.evt.*.*.*.bromley", cb=on_event)
    await nc.flush()
    headers = {"Authorization": f"Bearer {token('bexley', 'options_officer')}"}
    out: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        # advance contact follows a duty accepted on a case held here (000_93a7cd5d2a8b6030.txt): opened before timing
        case_refs = []
        for _ in range(n + 10):
            opened = await client.post(
                "/cases",
                json={"person": {"name": "Invented Client"}, "channel": "reception", "duty_accepted": True},
                headers=headers,
            )
            opened.raise_for_status()
            case_refs.append(opened.json()["ref"])
        for i in range(n + 10):
            start = time.perf_counter()
            r = await client.post(
                "/jwa/notifications", json={"case_ref": case_refs[i], "to_org": "bromley"}, headers=headers
            )
            r.raise_for_status()
            answered = time.perf_counter()
            ref = r.json()["ref"]
            if ref not in arrived:
                waiting[ref] = asyncio.get_running_loop().create_future()
                await asyncio.wait_for(waiting[ref], timeout=10)
            if i >= 10:  # warm-up excluded
                out.append(arrived[ref] - start)
                RESPONSE.append(answered - start)
    await nc.close()
    return out


async def raw_latencies(nats_url: str, n: int) -> list[float]:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="BENCH_RAW", subjects=["bench.raw.>"])
    payload = json.dumps(
        {
            "org": "bexley",
            "to_org": "bromley",
            "notification_ref": "N" * 26,
            "case_ref": "CASE-7K3QD9X2MB",
            "addressed_to": ["bromley-dv-lead", "bromley-team-manager"],
            "notified_at": "2026-11-23T10:00:00+00:00",
        }
    ).encode()
    got = asyncio.Queue()

    async def on_msg(msg) -> None:
        got.put_nowait(time.perf_counter())

    await nc.subscribe("bench.raw.*.bromley", cb=on_msg)
    await nc.flush()
    out: list[float] = []
    for i in range(n + 10):
        start = time.perf_counter()
        await js.publish(f"bench.raw.{i}.bromley", payload, headers={"Nats-Msg-Id": f"raw-{i}"})
        arrived = await asyncio.wait_for(got.get(), timeout=10)
        if i >= 10:
            out.append(arrived - start)
    await nc.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    with (
        nats_server() as server,
        tempfile.TemporaryDirectory() as tmp,
        services(["directory", "options"], server.url, Path(tmp)) as urls,
    ):
        raw = percentiles(asyncio.run(raw_latencies(server.url, args.n)))
        haven = percentiles(asyncio.run(haven_latencies(urls["options"], server.url, args.n)))
    ratio = haven["p99"] / raw["p99"]
    print(f"machine: {machine()}")
    print(f"raw JetStream publish->consume: p50 {ms(raw['p50'])}, p99 {ms(raw['p99'])} (n={raw['n']})")
    print(f"Haven POST->B's subscriber:     p50 {ms(haven['p50'])}, p99 {ms(haven['p99'])} (n={haven['n']})")
    answered = percentiles(RESPONSE)
    print(f"  of which the HTTP answer:     p50 {ms(answered['p50'])}, p99 {ms(answered['p99'])}")
    print(f"p99 ratio: {ratio:.1f}x (diagnostic; N1 in bench/run.py is the target)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
