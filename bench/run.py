"""The performance targets N1–N7, each a ratio against a floor measured in the same run.

    uv run python bench/run.py            # full run (about 15 minutes)
    uv run python bench/run.py --quick    # short rounds, same shape (about 5 minutes)
    uv run python bench/run.py --only N3,N6 --postgres postgresql://postgres@127.0.0.1:5432/postgres

Every target runs at least three rounds; within a round Haven and its floor alternate
(sample by sample for latencies, run by run for throughput, the order swapped every
round), because absolute numbers on a shared 2-core machine drift by 2× within minutes.
The table reports the median ratio, its spread (lowest–highest round), the goal and a
verdict; it is printed, written between the markers in ``bench/README.md``, and the exit
status is 1 when any target misses.

Floors use raw aiosqlite / asyncpg / nats-py with Haven's own PRAGMAs and ``synchronous``
setting (:data:`haven_runtime.db.SQLITE_PRAGMAS`) on the same disk. HTTP load comes from
``wrk`` (https://github.com/wg/wrk, Debian package ``wrk``), not from Haven's code; the
N1 client is a plain ``httpx`` client plus a read-only ``sqlite3`` poll of B's inbox.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import OptionsOutbox, free_port, machine, nats_server, percentiles, rss_mb, services, token, wait_ready  # noqa: E402

HERE = Path(__file__).parent
README = HERE / "README.md"
BEGIN, END = "<!-- bench/run.py results: begin -->", "<!-- bench/run.py results: end -->"
PERSON = {
    "name": "Jo Invented-Example",
    "date_of_birth": "1990-02-03",
    "address": "12 Nowhere Lane, Testville",
    "phone": "07000 900123",
}


@dataclass
class Result:
    """One row of the table: a ratio per round against a goal (``<=`` or ``>=``)."""

    target: str
    what: str
    goal: str
    ratios: list[float] = field(default_factory=list)
    detail: str = ""
    extra_ok: bool = True  # conditions beyond the ratio (errors, maximality, backlog…)

    @property
    def median(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def met(self) -> bool:
        if not self.ratios:
            return False
        op, bound = self.goal.split()[0], float(self.goal.split()[1].rstrip("×s MB"))
        return self.extra_ok and (self.median <= bound if op == "≤" else self.median >= bound)

    def row(self) -> str:
        spread = f"{min(self.ratios):.2f}–{max(self.ratios):.2f}" if self.ratios else "—"
        return (
            f"| {self.target} | {self.what} | {self.median:.2f} | {spread} | {self.goal} | "
            f"{'meets' if self.met else '**miss**'} | {self.detail} |"
        )


# ------------------------------------------------------------------------------- helpers


def wrk(
    url: str, seconds: float, connections: int, headers: dict[str, str] | None = None, script: Path | None = None
) -> dict[str, float]:
    """Run wrk; returns requests/s, p50/p99 (s) and errors (non-2xx/3xx plus socket errors)."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "30s"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    units = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}

    def latency(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        return float(m.group(1)) * units[m.group(2)] if m else float("nan")

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),
    }


def http_json(method: str, url: str, bearer: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def open_case(base: str, bearer: str) -> str:
    return http_json(
        "POST", f"{base}/cases", bearer, {"person": PERSON, "channel": "reception", "tenure": "council_secure"}
    )["ref"]


class Process:
    """A helper process (floor or bare app) on a free port, stopped on exit."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, *args[:1], str(self.port), *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def __enter__(self) -> "Process":
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def postgres_database(dsn: str | None, name: str):
    """A fresh database on ``dsn`` for one measurement (None: SQLite)."""
    from contextlib import contextmanager

    @contextmanager
    def scope():
        if not dsn:
            yield None
            return
        from haven_runtime.testing import create_postgres_database, drop_postgres_database

        db_name = f"haven_bench_{name}_{os.getpid()}"
        url = asyncio.run(create_postgres_database(dsn, db_name))
        try:
            yield url
        finally:
            asyncio.run(drop_postgres_database(dsn, db_name))

    return scope()


# ------------------------------------------------------------------------------------ N1


def case_with_accepted_duty(base: str, bearer: str) -> str:
    """A case at ``base`` on which a duty was accepted: what advance contact under the JWA follows."""
    ref = open_case(base, bearer)
    http_json("POST", f"{base}/cases/{ref}/duty-accepted", bearer, {})
    return ref


async def _n1(nats_url: str, options: str, inbox_db: Path, tmp: Path, n: int, rounds: int, name: str) -> list[tuple]:
    """Per round: (Haven p99, floor p99, Haven p50, floor p50), the two sampled alternately.

    Haven: ``POST /jwa/notifications`` at ``options`` (Bexley) until the row is in Bromley's
    ``jwa_inbox_item`` in ``inbox_db``. Floor: commit → JetStream publish-ack → pull → commit."""
    import aiosqlite
    import httpx
    import nats

    from haven_runtime.db import SQLITE_PRAGMAS

    async def connect(path: Path):
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        await conn.execute("CREATE TABLE IF NOT EXISTS t (ref TEXT PRIMARY KEY, body BLOB)")
        return conn

    a, b = await connect(tmp / f"floor-{name}-a.sqlite3"), await connect(tmp / f"floor-{name}-b.sqlite3")
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name=f"FLOOR_{name}", subjects=[f"floor.{name}.>"])
    sub = await js.pull_subscribe(f"floor.{name}.>", durable=f"floor-{name}")
    body = json.dumps(
        {
            "org": "bexley",
            "to_org": "bromley",
            "notification_ref": "N" * 26,
            "case_ref": "CASE-7K3QD9X2MB",
            "addressed_to": ["bromley-dv-lead", "bromley-team-manager"],
        }
    ).encode()
    counter = 0

    async def floor() -> float:
        nonlocal counter
        counter += 1
        ref = f"F{counter}"
        t0 = time.perf_counter()
        await a.execute("BEGIN IMMEDIATE")
        await a.execute("INSERT INTO t VALUES (?, ?)", (ref, body))
        await a.execute("COMMIT")
        await js.publish(f"floor.{name}.{counter}.bromley", body, headers={"Nats-Msg-Id": ref})
        msg = (await sub.fetch(1, timeout=10))[0]
        await b.execute("BEGIN IMMEDIATE")
        await b.execute("INSERT INTO t VALUES (?, ?)", (ref, msg.data))
        await b.execute("COMMIT")
        await msg.ack()
        return time.perf_counter() - t0

    inbox = sqlite3.connect(f"file:{inbox_db}?mode=ro", uri=True, isolation_level=None)
    bearer = token("bexley", "options_officer")
    headers = {"Authorization": f"Bearer {bearer}"}
    case_ref = case_with_accepted_duty(options, bearer)

    async def haven(client: httpx.AsyncClient) -> float:
        t0 = time.perf_counter()
        r = await client.post("/jwa/notifications", json={"case_ref": case_ref, "to_org": "bromley"}, headers=headers)
        r.raise_for_status()
        ref = r.json()["ref"]
        deadline = t0 + 30
        while not inbox.execute("SELECT 1 FROM jwa_inbox_item WHERE ref = ?", (ref,)).fetchone():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"notification {ref} not in B's inbox after 30 s")
            await asyncio.sleep(0.0002)
        return time.perf_counter() - t0

    out = []
    try:
        async with httpx.AsyncClient(base_url=options, timeout=30) as client:
            for _ in range(20):  # warm-up, not counted
                await haven(client)
                await floor()
            for r in range(rounds):
                hs, fs = [], []
                for k in range(n):
                    if (k + r) % 2:
                        hs.append(await haven(client))
                        fs.append(await floor())
                    else:
                        fs.append(await floor())
                        hs.append(await haven(client))
                h, f = percentiles(hs), percentiles(fs)
                out.append((h["p99"], f["p99"], h["p50"], f["p50"]))
    finally:
        inbox.close()
        await nc.close()
        await a.close()
        await b.close()
    return out


def _n1_result(res: Result, rounds: list[tuple], samples: int) -> Result:
    res.ratios = [h / f for h, f, _, _ in rounds]
    res.detail = (
        "; ".join(f"{h * 1e3:.1f}/{f * 1e3:.1f} ms (p50 {hp * 1e3:.1f}/{fp * 1e3:.1f})" for h, f, hp, fp in rounds)
        + f"; n={samples}/round"
    )
    return res


def n1(args, nats_url: str) -> Result:
    res = Result("N1", "notification POST at A → row in B's inbox, p99 (one deployment)", "≤ 3×")
    with tempfile.TemporaryDirectory() as tmp, services(["directory", "options"], nats_url, Path(tmp) / "data") as urls:
        data = Path(tmp) / "data"
        rounds = asyncio.run(
            _n1(nats_url, urls["options"], data / "options.sqlite3", Path(tmp), args.samples, args.rounds, "n1")
        )
    return _n1_result(res, rounds, args.samples)


def deployment_env(name: str, *orgs: str) -> dict[str, str]:
    """One deployment of several on the same NATS system (tests/federation/conftest.py)."""
    return {"HAVEN_DEPLOYMENT": name, "HAVEN_HOSTED_ORGS": ",".join(orgs), "HAVEN_FEDERATION_RESCAN_SECONDS": "1"}


def wait_for_partner(options: str, bearer: str, case_ref: str, to_org: str, timeout: float = 60.0) -> None:
    """Until ``options`` has ``to_org``'s role holders in its read model (a notification is accepted)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            http_json("POST", f"{options}/jwa/notifications", bearer, {"case_ref": case_ref, "to_org": to_org})
            return
        except urllib.error.HTTPError as exc:
            if exc.code != 422 or time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def n1_fed(args) -> Result:
    """N1 between two deployments: Bexley's (options + directory) and Bromley's, one NATS system
    of their own (an all-in-one deployment's streams on the same system would overlap theirs)."""
    res = Result("N1-fed", "notification POST at A → row in B's inbox, p99 (two deployments)", "≤ 3×")
    with (
        nats_server() as server,
        tempfile.TemporaryDirectory() as tmp,
        services(["directory", "options"], server.url, Path(tmp) / "a", deployment_env("bexley", "bexley")) as a,
        services(["directory", "options"], server.url, Path(tmp) / "b", deployment_env("bromley", "bromley")),
    ):
        bearer = token("bexley", "options_officer")
        wait_for_partner(a["options"], bearer, case_with_accepted_duty(a["options"], bearer), "bromley")
        rounds = asyncio.run(
            _n1(
                server.url,
                a["options"],
                Path(tmp) / "b" / "options.sqlite3",
                Path(tmp),
                args.samples,
                args.rounds,
                "n1fed",
            )
        )
    return _n1_result(res, rounds, args.samples)


# ------------------------------------------------------------------------------------ N2


def n2(args, nats_url: str) -> Result:
    res = Result("N2", "authenticated endpoint, no database (`GET /dash/risk-factors`), req/s", "≥ 0.5×")
    bearer = token("bexley", "options_officer")
    with (
        tempfile.TemporaryDirectory() as tmp,
        services(["options"], nats_url, Path(tmp)) as urls,
        Process(str(HERE / "bare_app.py")) as bare,
    ):
        wait_ready(f"http://127.0.0.1:{bare.port}/bare")
        haven_url, bare_url = f"{urls['options']}/dash/risk-factors", f"http://127.0.0.1:{bare.port}/bare"
        auth = {"Authorization": f"Bearer {bearer}"}
        wrk(haven_url, 1, 8, auth), wrk(bare_url, 1, 8)
        pairs = []
        for r in range(args.rounds):
            order = [("h", haven_url, auth), ("b", bare_url, None)]
            got = {}
            for key, url, hdr in order if r % 2 == 0 else order[::-1]:
                got[key] = wrk(url, args.seconds, 32, hdr)
            pairs.append((got["h"], got["b"]))
    res.ratios = [h["rps"] / b["rps"] for h, b in pairs]
    res.extra_ok = all(h["errors"] == 0 for h, _ in pairs)
    res.detail = "; ".join(f"{h['rps']:,.0f}/{b['rps']:,.0f} req/s" for h, b in pairs)
    return res


# ------------------------------------------------------------------------------------ N3


def n3(args, nats_url: str, dsn: str | None) -> Result:
    storage = "PostgreSQL" if dsn else "SQLite"
    res = Result("N3" + ("-pg" if dsn else ""), f"audited case read `GET /cases/{{ref}}`, {storage}, req/s", "≥ 0.5×")
    bearer = token("bexley", "options_officer")
    with (
        tempfile.TemporaryDirectory() as tmp,
        postgres_database(dsn, "n3") as haven_db,
        postgres_database(dsn, "n3floor") as floor_db,
    ):
        extra = {"HAVEN_OPTIONS_DATABASE_URL": haven_db} if haven_db else {}
        floor_url = floor_db or f"sqlite:///{Path(tmp) / 'floor.sqlite3'}"
        with (
            services(["options"], nats_url, Path(tmp) / "data", extra) as urls,
            Process(str(HERE / "floor_app.py"), floor_url) as floor,
        ):
            wait_ready(f"http://127.0.0.1:{floor.port}/floor/CASE-FLOOR00001")
            ref = open_case(urls["options"], bearer)
            haven_url, floor_http = (
                f"{urls['options']}/cases/{ref}?purpose=casework",
                f"http://127.0.0.1:{floor.port}/floor/CASE-FLOOR00001",
            )
            auth = {"Authorization": f"Bearer {bearer}"}
            wrk(haven_url, 1, 8, auth), wrk(floor_http, 1, 8)
            pairs = []
            for r in range(args.rounds):
                order = [("h", haven_url, auth), ("f", floor_http, None)]
                got = {}
                for key, url, hdr in order if r % 2 == 0 else order[::-1]:
                    got[key] = wrk(url, args.seconds, 32, hdr)
                pairs.append((got["h"], got["f"]))
    res.ratios = [h["rps"] / f["rps"] for h, f in pairs]
    res.extra_ok = all(h["errors"] == 0 for h, _ in pairs)
    res.detail = "; ".join(f"{h['rps']:,.0f}/{f['rps']:,.0f} req/s" for h, f in pairs) + (
        f"; {sum(h['errors'] for h, _ in pairs)} errors" if not res.extra_ok else ""
    )
    return res


# ------------------------------------------------------------------------------------ N4

MIXED_LUA = """
local n = 0
local post = nil
request = function()
  n = n + 1
  if n %% 5 == 0 then
    if post == nil then
      post = {}
      for k, v in pairs(wrk.headers) do post[k] = v end
      post["Content-Type"] = "application/json"
    end
    return wrk.format("POST", "/jwa/notifications", post, '{"case_ref": "%s", "to_org": "bromley"}')
  end
  return wrk.format("GET", "%s")
end
"""


async def _backlog(nats_url: str) -> int:
    """Events the options service's durable consumers have not yet acknowledged."""
    import nats

    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    total = 0
    for stream in ("HAVEN_OPTIONS",):
        for info in await js.consumers_info(stream):
            if "options" in info.name:
                total += info.num_pending + info.num_ack_pending
    await nc.close()
    return total


def n4(args, nats_url: str, dsn: str | None) -> Result:
    storage = "PostgreSQL" if dsn else "SQLite"
    res = Result(
        "N4" + ("-pg" if dsn else ""),
        f"32 clients, 4 reads : 1 notification, {storage}: p99 / single-client p50",
        "≤ 10×",
    )
    bearer = token("bexley", "options_officer")
    pids: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, postgres_database(dsn, "n4") as haven_db:
        extra = {"HAVEN_OPTIONS_DATABASE_URL": haven_db} if haven_db else {}
        with services(["directory", "options"], nats_url, Path(tmp) / "data", extra, pids=pids) as urls:
            ref = open_case(urls["options"], bearer)
            # advance contact follows an accepted duty to the client (else 409)
            http_json("POST", f"{urls['options']}/cases/{ref}/duty-accepted", bearer, {})
            script = Path(tmp) / "mixed.lua"
            script.write_text(MIXED_LUA % (ref, f"/cases/{ref}?purpose=casework"))
            auth = {"Authorization": f"Bearer {bearer}"}
            wrk(urls["options"], 2, 8, auth, script)  # warm-up
            rounds, memory, backlogs, drains, errors = [], [], [], [], 0
            for r in range(args.rounds):
                single = wrk(urls["options"], max(3, args.seconds / 2), 1, auth, script)
                loaded = wrk(urls["options"], args.load_seconds, 32, auth, script)
                backlog = asyncio.run(_backlog(nats_url))
                t0 = time.perf_counter()
                while asyncio.run(_backlog(nats_url)) and time.perf_counter() - t0 < 60:
                    time.sleep(0.1)
                drains.append(time.perf_counter() - t0)
                backlogs.append((backlog, loaded["rps"] / 5))
                memory.append(rss_mb(pids["options"]))
                errors += loaded["errors"] + single["errors"]
                rounds.append((loaded["p99"], single["p50"], loaded["rps"]))
    res.ratios = [p99 / p50 for p99, p50, _ in rounds]
    growth = memory[-1] / memory[0] - 1
    backlog_ok = all(b <= per_second for b, per_second in backlogs) and all(d <= 5 for d in drains)
    res.extra_ok = errors == 0 and backlog_ok and growth <= 0.10
    res.detail = (
        "; ".join(f"p99 {p99 * 1e3:.0f} / p50 {p50 * 1e3:.1f} ms at {rps:,.0f} req/s" for p99, p50, rps in rounds)
        + (
            f"; errors {errors}; backlog at end {', '.join(f'{b} ({b / max(s, 1e-9):.1f} s)' for b, s in backlogs)}, "
            f"drained in {max(drains):.1f} s"
        )
        + f"; options RSS {' → '.join(f'{m:.0f}' for m in memory)} MB ({growth:+.0%})"
    )
    return res


# ------------------------------------------------------------------------------------ N5


async def _n5(nats_url: str, tmp: Path, seconds: float, rounds: int) -> list[tuple[float, float, float, float]]:
    """Per round: (producer commits/s, relay publishes/s while it commits, relay drain of a
    backlog events/s, raw pipelined publish-with-ack events/s)."""
    from datetime import UTC, datetime

    import nats

    from haven_contracts.events.options import MoveNotified
    from haven_runtime.outbox import OutboxRelay

    outbox = await OptionsOutbox().open(nats_url, tmp)
    tables, store, broker, relay = outbox.tables, outbox.store, outbox.broker, outbox.relay
    store.on_commit(relay.notify)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="FLOOR_N5", subjects=["floor.n5.>"])
    now = datetime.now(UTC)
    seq = 0

    async def commit_one() -> None:
        nonlocal seq
        seq += 1
        async with store.transaction() as uow:
            await uow.emit(
                MoveNotified(
                    org="bexley",
                    to_org="bromley",
                    notification_ref=f"N-{seq}",
                    case_ref="CASE-7K3QD9X2MB",
                    addressed_to=["bromley-dv-lead"],
                    notified_at=now,
                ),
                ref="CASE-7K3QD9X2MB",
            )

    async def raw_pipelined(n: int) -> float:
        """The same payload and headers as an outbox row (CloudEvents attributes, trace,
        ``Nats-Msg-Id``), published straight from memory."""
        row = await tables.outbox.select(tables.outbox.payload, tables.outbox.headers).first()
        payload, headers = bytes(row["payload"]), json.loads(row["headers"])
        t0 = time.perf_counter()
        for start in range(0, n, 64):
            await asyncio.gather(
                *(
                    js.publish("floor.n5.bexley.bromley", payload, headers=headers | {"Nats-Msg-Id": f"raw-{seq}-{i}"})
                    for i in range(start, min(n, start + 64))
                )
            )
        return n / (time.perf_counter() - t0)

    out = []
    for _ in range(rounds):
        # 1. relay running while a producer commits one event per transaction
        relay.start()
        published0 = relay.published
        t0 = time.perf_counter()
        produced = 0
        while time.perf_counter() - t0 < seconds:
            await commit_one()
            produced += 1
        producing = time.perf_counter() - t0
        while relay.published - published0 < produced:  # the relay's own counter: no polling query
            await asyncio.sleep(0.001)
        relayed = (relay.published - published0) / (time.perf_counter() - t0)
        await relay.stop()
        relay = OutboxRelay("options", tables.outbox, broker)
        store._after_commit = [relay.notify]
        # 2. a committed backlog drained by the relay vs raw pipelined publish-with-ack
        n = max(500, produced)
        for _ in range(0, n, 50):
            async with store.transaction() as uow:
                for _ in range(50):
                    seq += 1
                    await uow.emit(
                        MoveNotified(
                            org="bexley",
                            to_org="bromley",
                            notification_ref=f"N-{seq}",
                            case_ref="CASE-7K3QD9X2MB",
                            addressed_to=["bromley-dv-lead"],
                            notified_at=now,
                        ),
                        ref="CASE-7K3QD9X2MB",
                    )
        backlog = await relay.pending()
        raw = await raw_pipelined(backlog)
        t1 = time.perf_counter()
        relay.start()
        while relay.published < backlog:
            await asyncio.sleep(0.001)
        drain = backlog / (time.perf_counter() - t1)
        await relay.stop()
        relay = OutboxRelay("options", tables.outbox, broker)
        store._after_commit = [relay.notify]
        out.append((produced / producing, relayed, drain, raw))
    await nc.close()
    await outbox.close()
    return out


def n5(args, nats_url: str) -> list[Result]:
    keep = Result("N5a", "outbox relay while a producer commits: relayed / committed events/s", "≥ 0.9×")
    drain = Result("N5b", "outbox relay draining a backlog / raw pipelined publish-with-ack", "≥ 0.5×")
    with tempfile.TemporaryDirectory() as tmp:
        rounds = asyncio.run(_n5(nats_url, Path(tmp), args.seconds, args.rounds))
    keep.ratios = [min(relayed / produced, 1.0) for produced, relayed, _, _ in rounds]
    keep.detail = "; ".join(f"{relayed:,.0f}/{produced:,.0f} events/s" for produced, relayed, _, _ in rounds)
    drain.ratios = [d / raw for _, _, d, raw in rounds]
    drain.detail = "; ".join(f"{d:,.0f}/{raw:,.0f} events/s" for _, _, d, raw in rounds)
    return [keep, drain]


# ------------------------------------------------------------------------------------ N6


def n6(args) -> Result:
    import reciprocal_matching as bench_matching

    from haven_reciprocal.matching import match

    # CPU seconds: the matcher is single-threaded pure Python, and on a shared machine its
    # wall time mostly measures the other tenants (wall time is in the detail column).
    res = Result(
        "N6", "matcher 10k × 10k, unsafe areas and refusals: CPU seconds (maximum by min-cut certificate)", "≤ 2 s"
    )
    households, properties = bench_matching.instance(10_000, 10_000, 32, 7, refusals=3)
    details = []
    for _ in range(args.rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        result = match(households, properties)
        cpu, elapsed = time.process_time() - c0, time.perf_counter() - t0
        res.ratios.append(cpu)
        res.extra_ok = res.extra_ok and len(result.pairs) == result.upper_bound
        details.append(f"{cpu:.2f} s CPU ({elapsed:.2f} wall)")
    res.detail = (
        f"{'; '.join(details)}; {len(result.pairs)} moves = upper bound {result.upper_bound}; "
        f"{sum(len(h.excluded) for h in households)} refusals"
    )
    return res


# ------------------------------------------------------------------------------------ N7


def _bare_four() -> float:
    """Four bare Litestar apps started at once, the same way (uvicorn, one process each)."""
    t0 = time.perf_counter()
    procs = [Process(str(HERE / "bare_app.py")) for _ in range(4)]
    try:
        for p in procs:
            wait_ready(f"http://127.0.0.1:{p.port}/bare")
        return time.perf_counter() - t0
    finally:
        for p in procs:
            p.__exit__()


def n7(args) -> list[Result]:
    from coldstart import haven_up

    start = Result("N7a", "`haven up` cold start to all ready / four bare Litestar apps", "≤ 1.5×")
    memory = Result("N7b", "largest resident memory of a service after its OpenAPI, MB", "≤ 100 MB")
    details, worst = [], []
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            if r % 2:
                bare = _bare_four()
                haven, rss, _ = haven_up(tmp)
            else:
                haven, rss, _ = haven_up(tmp)
                bare = _bare_four()
        start.ratios.append(haven / bare)
        memory.ratios.append(max(rss.values()))
        details.append(f"{haven:.1f}/{bare:.1f} s")
        worst.append(", ".join(f"{s} {m:.0f}" for s, m in sorted(rss.items())))
    start.detail = "; ".join(details)
    memory.detail = worst[-1] + " MB (last round)"
    return [start, memory]


# --------------------------------------------------------------------------------- table


def with_bytecode_caches() -> None:
    """Measure processes as they are deployed: with bytecode caches.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes), every process compiles
    every module from source at start — 3,300 modules, most of a cold start on this
    machine — which no deployment does (images compile at build). The variable is dropped
    for this run's processes and one warm-up import of every service writes the caches."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    warm = (
        "from haven_runtime.serve import service_definitions\nfor ep in service_definitions().values(): "
        "ep.load()\nimport uvicorn, httptools, uvloop, aiosqlite, asyncpg, nats, litestar"
    )
    subprocess.run([sys.executable, "-c", warm], check=True, timeout=600)


def table(results: list[Result]) -> str:
    lines = [
        "| id | measure (Haven / floor per round) | ratio (median) | spread | goal | verdict | rounds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    return "\n".join(lines + [r.row() for r in results])


def write_readme(text: str) -> None:
    readme = README.read_text()
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in readme:
        readme = readme[: readme.index(BEGIN)] + block + readme[readme.index(END) + len(END) :]
    else:
        readme = readme.rstrip() + "\n\n" + block + "\n"
    README.write_text(readme)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short rounds (a smoke run; ratios are noisier)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated target ids, e.g. N1,N3")
    ap.add_argument(
        "--postgres",
        default=os.environ.get("HAVEN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="DSN for N3/N4 on PostgreSQL ('' to skip)",
    )
    ap.add_argument("--no-readme", action="store_true", help="print only; leave bench/README.md alone")
    args = ap.parse_args(argv)
    args.rounds = max(3, args.rounds)
    args.samples = 200 if args.quick else 1000
    args.seconds = 3.0 if args.quick else 10.0
    args.load_seconds = 10.0 if args.quick else 60.0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required (apt-get install -y wrk)")
    with_bytecode_caches()
    only = {t.strip().upper() for t in args.only.split(",") if t.strip()}
    want = lambda t: not only or t in only  # noqa: E731
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: list[Result] = []
    with nats_server() as server:
        steps = [
            ("N1", lambda: [n1(args, server.url), n1_fed(args)]),
            ("N2", lambda: [n2(args, server.url)]),
            (
                "N3",
                lambda: [n3(args, server.url, None)] + ([n3(args, server.url, args.postgres)] if args.postgres else []),
            ),
            (
                "N4",
                lambda: [n4(args, server.url, None)] + ([n4(args, server.url, args.postgres)] if args.postgres else []),
            ),
            ("N5", lambda: n5(args, server.url)),
            ("N6", lambda: [n6(args)]),
            ("N7", lambda: n7(args)),
        ]
        for target, step in steps:
            if not want(target):
                continue
            print(f"running {target}…", file=sys.stderr, flush=True)
            try:
                results += step()
            except Exception as exc:  # noqa: BLE001 - a broken measurement is a miss, not a crash
                results.append(Result(target, f"failed: {type(exc).__name__}: {exc}"[:200], "≥ 1×"))
    load = os.getloadavg()
    text = "\n".join(
        [
            f"Run {started}{' (--quick)' if args.quick else ''}, {args.rounds} rounds; {machine()}; load average "
            f"at the end {load[0]:.1f}.",
            "",
            table(results),
        ]
    )
    print(text)
    if not args.no_readme and not only:
        write_readme(text)
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
