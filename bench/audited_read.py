"""Authenticated, audited case read vs a bare Litestar GET on the same server stack.

    uv run python bench/audited_read.py [--seconds 5] [--connections 32]

The options service runs as its own process (uvicorn, uvloop, httptools, SQLite) and
answers ``GET /cases/{ref}``: bearer-token check, organisation scope, case and encrypted
personal fields read and decrypted, and an audit record committed per read. The baseline
is ``bench/bare_app.py`` on the same stack. A diagnostic: the target is
measured by ``bench/run.py`` against a floor doing one SELECT and one durable INSERT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _common import free_port, http_load, machine, nats_server, services, token, wait_ready

PERSON = {
    "name": "Jo Invented-Example",
    "date_of_birth": "1990-02-03",
    "address": "12 Nowhere Lane, Testville",
    "phone": "07000 900123",
}


def open_case(base: str, bearer: str) -> str:
    body = json.dumps({"person": PERSON, "channel": "reception", "tenure": "council_secure"}).encode()
    req = urllib.request.Request(
        f"{base}/cases",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["ref"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--postgres",
        metavar="DSN",
        help="Store the options service in a fresh database on this server instead of SQLite.",
    )
    args = parser.parse_args()
    bearer = token("bexley", "options_officer")
    extra: dict[str, str] = {}
    if args.postgres:
        from haven_runtime.testing import create_postgres_database, drop_postgres_database

        db_name = f"haven_bench_{os.getpid()}"
        extra["HAVEN_OPTIONS_DATABASE_URL"] = asyncio.run(create_postgres_database(args.postgres, db_name))
    try:
        audited, errors, metrics = measure(bearer, args, extra)
    finally:
        if args.postgres:
            asyncio.run(drop_postgres_database(args.postgres, db_name))
    report(audited, errors, metrics, args, "PostgreSQL" if args.postgres else "SQLite")


def measure(bearer: str, args, extra: dict[str, str]):
    with (
        nats_server() as nats,
        tempfile.TemporaryDirectory() as tmp,
        services(["options"], nats.url, Path(tmp), extra) as urls,
    ):
        ref = open_case(urls["options"], bearer)
        port = int(urls["options"].rsplit(":", 1)[1])
        headers = {"Authorization": f"Bearer {bearer}"}
        asyncio.run(
            http_load("127.0.0.1", port, f"/cases/{ref}?purpose=casework", headers, connections=8, seconds=1.0)
        )  # warm-up
        audited, errors = asyncio.run(
            http_load(
                "127.0.0.1",
                port,
                f"/cases/{ref}?purpose=casework",
                headers,
                connections=args.connections,
                seconds=args.seconds,
            )
        )
        with urllib.request.urlopen(urllib.request.Request(f"{urls['options']}/metrics")) as r:
            metrics = r.read().decode()
    return audited, errors, metrics


def report(audited: float, errors: int, metrics: str, args, storage: str) -> None:
    bare_port = free_port()
    bare = subprocess.Popen([sys.executable, str(Path(__file__).with_name("bare_app.py")), str(bare_port)])
    try:
        wait_ready(f"http://127.0.0.1:{bare_port}/bare")
        asyncio.run(http_load("127.0.0.1", bare_port, "/bare", {}, connections=8, seconds=1.0))
        baseline, _ = asyncio.run(
            http_load("127.0.0.1", bare_port, "/bare", {}, connections=args.connections, seconds=args.seconds)
        )
    finally:
        bare.terminate()
        bare.wait()

    ratio = audited / baseline
    print(f"machine: {machine()}")
    print(f"audited GET /cases/{{ref}} ({storage}): {audited:,.0f} req/s ({errors} non-200)")
    print(f"bare Litestar GET:         {baseline:,.0f} req/s")
    print(f"ratio: {ratio:.2f} (diagnostic; N3 in bench/run.py is the target)")
    reads = [
        line for line in metrics.splitlines() if line.startswith("haven_http_requests_total") and "/cases/{ref" in line
    ]
    if reads:
        print("served per /metrics:", reads[0].rsplit(" ", 1)[-1])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
