"""Shared pieces of the benchmarks: a nats-server, services as real processes, tokens, a
small keep-alive HTTP load generator and latency statistics. Everything runs on loopback."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from haven_runtime.ops.natsserver import free_port, start_nats_server

TOKEN_KEYS = "bench:haven-benchmark-signing-key-0123456789abcdef"


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs ({model}), Python {platform.python_version()}"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50": pick(0.50), "p99": pick(0.99), "mean": statistics.fmean(ordered)}


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


@contextmanager
def nats_server():
    with tempfile.TemporaryDirectory() as tmp:
        server = start_nats_server(Path(tmp) / "js", log_file=Path(tmp) / "nats.log")
        try:
            yield server
        finally:
            server.stop()


def base_env(data_dir: Path, nats_url: str) -> dict[str, str]:
    return os.environ | {
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(data_dir),
        "HAVEN_NATS_URL": nats_url,
        "HAVEN_TOKEN_KEYS": TOKEN_KEYS,
        "HAVEN_LOG_LEVEL": "WARNING",
        "HAVEN_RATE_LIMIT_LIST": "0",
        "HAVEN_RATE_LIMIT_AUTH_FAILURES": "0",
        "PYTHONUNBUFFERED": "1",
    }


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:  # noqa: BLE001
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} not ready after {timeout}s")


@contextmanager
def services(
    names: list[str],
    nats_url: str,
    data_dir: Path,
    extra_env: dict[str, str] | None = None,
    pids: dict[str, int] | None = None,
):
    """Start each service as its own process (python -m haven_runtime.serve); yield {name: base URL}.

    ``pids``, when given, is filled with each service's process id (for resident memory)."""
    env = base_env(data_dir, nats_url) | (extra_env or {})
    ports = {name: free_port() for name in names}
    for name, port in ports.items():
        env[f"HAVEN_{name.upper()}_PORT"] = str(port)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "haven_runtime.serve", name],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in names
    ]
    if pids is not None:
        pids.update({name: p.pid for name, p in zip(names, procs)})
    try:
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for url in urls.values():
            wait_ready(url + "/health/ready")
        yield urls
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def token(org: str, *roles: str, sub: str = "bench-officer") -> str:
    from haven_runtime.identity import issue_token
    from haven_runtime.settings import load_settings

    settings = load_settings(
        {"HAVEN_ENV": "test", "HAVEN_TOKEN_KEYS": TOKEN_KEYS, "HAVEN_DATA_DIR": tempfile.gettempdir()}
    )
    return issue_token(sub, org, roles, settings=settings, ttl_seconds=3600)


async def http_load(
    host: str, port: int, path: str, headers: dict[str, str], *, connections: int = 32, seconds: float = 5.0
) -> tuple[float, int]:
    """Keep-alive GETs from ``connections`` connections for ``seconds``; returns (requests/s, errors)."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode()
    done = 0
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop_at:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                if status == 200:
                    done += 1
                else:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.perf_counter() - start), errors


class OptionsOutbox:
    """The options service's outbox on a SQLite file under ``data`` and its relay to the
    provisioned ``HAVEN_OPTIONS`` stream, as Haven runs them: what N5 and ``relay.py`` time."""

    async def open(self, nats_url: str, data: Path) -> OptionsOutbox:
        from haven_runtime import db
        from haven_runtime.bus import make_broker, provision_stream
        from haven_runtime.outbox import OutboxRelay
        from haven_runtime.schema import create_tables
        from haven_runtime.store import Store
        from haven_runtime.tables import runtime_tables

        self.tables = runtime_tables("options")
        self.engine = db.make_engine(f"sqlite:///{data / 'options.sqlite3'}")
        await db.start(self.engine, self.tables.all())
        await create_tables(self.engine, self.tables.all())
        self.store = Store(self.engine, self.tables)
        self.broker = make_broker(nats_url, name="bench-relay")
        await self.broker.connect()
        await provision_stream(self.broker.connection.jetstream(), "options")
        self.relay = OutboxRelay("options", self.tables.outbox, self.broker)
        return self

    async def close(self) -> None:
        from haven_runtime import db

        await self.broker.stop()
        await db.stop(self.engine)
