"""The example integrators in examples/ run against real services: the Open Referral
consumer reads the directory service's public HSDS endpoints, and the monitoring dashboard
counts missed-clock and escalation events from a real nats-server once each, for the
borough whose integrator view it uses."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats

from haven_contracts.events.options import InformationOverdue, MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_runtime.natsconf import integrator_subjects
from haven_runtime.testing import flushed

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_open_referral_consumer_reads_the_public_directory(start_service):
    consumer = _load("open_referral_consumer")
    directory = await start_service("directory")
    consumer.PER_PAGE = 3  # several pages, so the paging is exercised
    data = await consumer.snapshot(directory)
    direct = (await directory.get("/services", params={"per_page": 1})).json()
    assert data["service_count"] == direct["total_items"] > consumer.PER_PAGE
    orgs = {o["id"]: o for o in data["organizations"]}
    listed = (await directory.get("/organizations", params={"per_page": 1})).json()
    assert len(orgs) == listed["total_items"] >= 2
    services = [s for o in data["organizations"] for s in o["services"]]
    assert len(services) == data["service_count"] and all(s["name"] for s in services)
    assert len({s["id"] for s in services}) == len(services)  # no page read twice
    assert data["hsds_version"]
    json.dumps(data)  # the snapshot is plain JSON


def _overdue(org: str, to_org: str, ref: str):
    now = datetime.now(UTC)
    event = InformationOverdue(
        org=org,
        to_org=to_org,
        request_ref=ref,
        requested_at=now - timedelta(days=3),
        due_at=now - timedelta(hours=1),
        detected_at=now,
        escalated_to=[f"{org}-team-manager"],
    )
    return event.subject, envelope_for(event, subject=ref).to_headers(), encode(event)


async def test_monitoring_dashboard_counts_a_boroughs_missed_clocks_once(haven_settings, nats_server):
    """The options service itself publishes the overdue events (through its outbox relay)."""
    from haven_runtime.app import context_of
    from haven_runtime.serve import service_definitions
    from haven_runtime.testing import serve_in_loop

    board = _load("monitoring_dashboard")
    assert board.subjects("bexley") == list(integrator_subjects("bexley"))
    stop, ready, updated = asyncio.Event(), asyncio.Event(), asyncio.Event()
    pages: list[str] = []

    def on_update(dashboard) -> None:
        pages.append(dashboard.html())
        if sum(r.count for r in dashboard.rows.values()) >= 2:
            updated.set()

    task = asyncio.create_task(board.run(nats_server.url, "bexley", stop, on_update=on_update, ready=ready))
    await asyncio.wait_for(ready.wait(), timeout=20)
    app = service_definitions()["options"].load()(settings=haven_settings)
    async with serve_in_loop(app):
        ctx = context_of(app)
        async with ctx.store.transaction() as uow:
            for org, to_org, ref in (
                ("bexley", "bromley", "IR-1"),
                ("bromley", "bexley", "IR-2"),
                ("greenwich", "lewisham", "IR-3"),
            ):
                now = datetime.now(UTC)
                await uow.emit(
                    InformationOverdue(
                        org=org,
                        to_org=to_org,
                        request_ref=ref,
                        requested_at=now - timedelta(days=3),
                        due_at=now - timedelta(hours=1),
                        detected_at=now,
                        escalated_to=[f"{org}-team-manager"],
                    )
                )
        nc = await nats.connect(nats_server.url)
        move = MoveNotified(
            org="bromley",
            to_org="bexley",
            notification_ref="N-1",
            case_ref="CASE-7K3QD9X2MB",
            addressed_to=[],
            notified_at=datetime.now(UTC),
        )
        await nc.publish(move.subject, encode(move), headers=envelope_for(move).to_headers())  # not a monitoring event
        await flushed(nc)
        await nc.close()
        await asyncio.wait_for(updated.wait(), timeout=20)
    stop.set()
    dashboard = await task
    rows = {(org, kind): count for org, kind, count, _, _ in dashboard.table()}
    assert rows == {("bexley", "options.information-overdue"): 1, ("bromley", "options.information-overdue"): 1}
    assert "IR-1" in pages[-1] and "IR-3" not in pages[-1] and "<table>" in pages[-1]
    # a republished copy (same ce-id) is counted once
    subject, headers, payload = _overdue("bexley", "bromley", "IR-9")
    assert dashboard.apply(subject, headers, payload) and not dashboard.apply(subject, headers, payload)
