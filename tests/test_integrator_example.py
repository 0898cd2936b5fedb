"""examples/borough_mirror.py against a real nats-server: a borough's events land in its own
table once each, and nothing not about or addressed to the borough does."""

from __future__ import annotations

import asyncio
import importlib.util
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import nats

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_runtime.natsconf import integrator_subjects
from haven_runtime.testing import eventually, flushed

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "borough_mirror.py"


def _load():
    spec = importlib.util.spec_from_file_location("borough_mirror", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _event(org: str, to_org: str, ref: str):
    event = MoveNotified(
        org=org,
        to_org=to_org,
        notification_ref=ref,
        case_ref="CASE-7K3QD9X2MB",
        addressed_to=[],
        notified_at=datetime.now(UTC),
    )
    return event.subject, envelope_for(event, subject="CASE-7K3QD9X2MB").to_headers(), encode(event)


async def test_mirror_keeps_a_boroughs_events_once(nats_server, tmp_path):
    mirror = _load()
    assert mirror.subjects("bexley") == list(integrator_subjects("bexley"))  # the example asks only for what it may see
    db = tmp_path / "bexley.sqlite3"
    stop = asyncio.Event()
    task = asyncio.create_task(mirror.run(nats_server.url, "bexley", db, stop))
    await eventually(lambda: db.exists())
    await asyncio.sleep(0.2)

    nc = await nats.connect(nats_server.url)
    to_bexley = _event("bromley", "bexley", "N-1")
    from_bexley = _event("bexley", "lewisham", "N-2")
    unrelated = _event("bromley", "lewisham", "N-3")
    for subject, headers, payload in (to_bexley, to_bexley, from_bexley, unrelated):  # one redelivery
        await nc.publish(subject, payload, headers=headers)
    await flushed(nc)

    def rows():
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT org, to_org, type, record_ref FROM haven_events ORDER BY org").fetchall()

    await eventually(lambda: len(rows()) >= 2)
    await asyncio.sleep(0.2)
    stop.set()
    await task
    await nc.close()
    assert rows() == [
        ("bexley", "lewisham", "haven.options.move-notified.v1", "CASE-7K3QD9X2MB"),
        ("bromley", "bexley", "haven.options.move-notified.v1", "CASE-7K3QD9X2MB"),
    ]
