"""Example integrator: mirror one borough's Haven events into the borough's own table.

    uv run python examples/borough_mirror.py --org bexley --db bexley-events.sqlite3 \
        --nats-url nats://integrator-bexley:<password>@nats.example.org:4222

It subscribes to what a borough integrator may see (``haven nats-config`` gives each
borough such a user): facts about the borough's own records, messages it sent, and
messages addressed to it. Rows are keyed by the CloudEvents id (``ce-id``), so a
redelivered or republished event is stored once. Payloads hold only references,
organisations, types and timestamps; the borough's case system looks details up through
its own authorised channels. Route on ``ce-type`` and ignore fields you do not know:
Haven adds fields with defaults and publishes breaking changes as a new ``vN``.

A plain subscription sees events while it is connected; for catch-up after downtime ask
the operators for a durable JetStream consumer filtered to the same subjects.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
from pathlib import Path

import nats

SCHEMA = """
CREATE TABLE IF NOT EXISTS haven_events (
    event_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    org TEXT NOT NULL,
    to_org TEXT,
    record_ref TEXT,
    occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def subjects(org: str) -> list[str]:
    """The same filters ``haven nats-config`` grants a borough integrator."""
    return [f"haven.*.evt.*.*.{org}", f"haven.*.evt.*.*.{org}.*", f"haven.*.evt.*.*.*.{org}"]


class Mirror:
    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path)
        self.db.execute(SCHEMA)
        self.db.commit()

    def store(self, subject: str, headers: dict[str, str], data: bytes) -> bool:
        """Insert one event; False when its id was already stored (idempotent)."""
        parts = subject.split(".")
        if "ce-id" not in headers or len(parts) not in (6, 7):
            return False
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO haven_events (event_id, type, subject, org, to_org, record_ref, occurred_at, "
            "payload)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                headers["ce-id"],
                headers.get("ce-type", ""),
                subject,
                parts[5],
                parts[6] if len(parts) == 7 else None,
                headers.get("ce-subject"),
                headers.get("ce-time", ""),
                json.dumps(json.loads(data or b"{}"), sort_keys=True),
            ),
        )
        self.db.commit()
        return cursor.rowcount == 1


async def run(nats_url: str, org: str, db_path: Path, stop: asyncio.Event | None = None) -> None:
    mirror = Mirror(db_path)
    nc = await nats.connect(nats_url, name=f"mirror-{org}", max_reconnect_attempts=-1)

    async def on_event(msg) -> None:
        mirror.store(msg.subject, dict(msg.headers or {}), msg.data)

    for subject in subjects(org):
        await nc.subscribe(subject, cb=on_event)
    await nc.flush()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await nc.drain()
        mirror.db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--nats-url", default="nats://127.0.0.1:4222")
    args = parser.parse_args()
    try:
        asyncio.run(run(args.nats_url, args.org, args.db))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
