"""Replicas behind the same durable consumer, as compose.yaml runs them: two instances of a
service on one database and one nats-server apply every event exactly once between them."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from litestar.testing import AsyncTestClient

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import event_filter
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import case_with_accepted_duty

EVENTS = 60


def replica(applied: list[tuple[int, str]], number: int) -> ServiceDefinition:
    async def receive(ctx, event, envelope, uow) -> None:
        applied.append((number, envelope.id))
        await asyncio.sleep(0.005)  # long enough for the other replica to pull in between

    return ServiceDefinition(
        name="options",
        title=f"replica {number}",
        runtime_tables=runtime_tables("options"),
        consumers=[
            ConsumerSpec(
                purpose="replica-inbox",
                from_service="options",
                filter_subject=event_filter("options", "move-notified", 1, addressed=True),
                handler=receive,
            )
        ],
    )


async def test_two_replicas_share_one_durable_and_apply_each_event_once(haven_settings, nats_server):
    applied: list[tuple[int, str]] = []
    async with AsyncExitStack() as stack:
        apps = []
        for number in (1, 2):
            app = create_app(
                replica(applied, number), settings=haven_settings, plugins=build_plugin_manager(haven_settings)
            )
            await stack.enter_async_context(AsyncTestClient(app=app))
            apps.append(app)
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        ids = []
        for i in range(EVENTS):
            event = MoveNotified(
                org="bexley",
                to_org="bromley",
                notification_ref=f"N-{i}",
                case_ref="CASE-7K3QD9X2MB",
                addressed_to=[],
                notified_at=datetime.now(UTC),
            )
            headers = envelope_for(event).to_headers()
            ids.append(headers["ce-id"])
            await js.publish(event.subject, encode(event), headers=headers)
            if i == EVENTS // 2:  # a redelivered copy under the same id is dropped by the stream
                await js.publish(event.subject, encode(event), headers=headers)
        info = await js.consumer_info("HAVEN_OPTIONS", "options-replica-inbox")
        await eventually(lambda: len({e for _, e in applied}) == EVENTS)
        await asyncio.sleep(0.3)
        await nc.close()
    assert sorted(e for _, e in applied) == sorted(ids)  # every event once, none twice
    assert info.config.durable_name == "options-replica-inbox"
    stats = [app.state["haven"].bus_stats.applied for app in apps]
    assert sum(stats) == EVENTS and all(stats)  # both replicas took a share


@pytest.mark.slow
@pytest.mark.timeout(900)  # eight service processes starting on a small machine
@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_two_replicas_of_every_service_on_one_postgresql(haven_settings, nats_server, tmp_path):
    """compose.yaml's shape, as separate processes: two replicas of each of the four
    services, one PostgreSQL database per service, one nats-server. Every replica gets
    ready; officers' requests land on either replica; the replicas of a service share its
    durable consumers (each notification applied once, in one shared inbox table), and the
    two outbox relays, both draining the one outbox table, put each event in the stream
    once -- a row both publish carries the same ``Nats-Msg-Id`` within the stream's
    duplicate window (deploy/README.md, "Replicas")."""
    import os
    import shutil
    import subprocess
    import sys

    import asyncpg
    import httpx

    from haven_runtime.identity import issue_token
    from haven_runtime.ops.natsserver import free_port
    from haven_runtime.serve import service_definitions
    from haven_runtime.testing import TEST_TOKEN_KEYS

    services = sorted(service_definitions())
    base_env = (
        {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
        | {
            "HAVEN_ENV": "test",
            "HAVEN_NATS_URL": nats_server.url,
            "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS,
            "HAVEN_DATA_DIR": str(tmp_path / "replicas"),
            "PYTHONUNBUFFERED": "1",
        }
        | {f"HAVEN_{s.upper()}_DATABASE_URL": haven_settings.database_url(s) for s in services}
    )
    processes: list[subprocess.Popen] = []
    urls: dict[str, list[str]] = {s: [] for s in services}
    try:
        # compose's one-off job first: tables and streams exist before any replica starts, so
        # eight processes never race to create the same tables
        job = subprocess.run(
            [sys.executable, "-m", "haven_runtime.ops.cli", "migrate"],
            env=base_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert job.returncode == 0, job.stdout + job.stderr
        for service in services:
            for n in range(2):
                port = free_port()
                log = open(tmp_path / f"{service}-{n}.log", "wb")  # noqa: SIM115 - closed with the process
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "haven_runtime.serve", service],
                        env=base_env | {f"HAVEN_{service.upper()}_PORT": str(port)},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
                urls[service].append(f"http://127.0.0.1:{port}")
        async with httpx.AsyncClient(timeout=10) as http:

            async def all_ready() -> bool:
                for proc in processes:
                    assert proc.poll() is None, "a replica exited: " + "; ".join(p.name for p in tmp_path.glob("*.log"))
                for replica_urls in urls.values():
                    for url in replica_urls:
                        try:
                            if (await http.get(f"{url}/health/ready")).status_code != 200:
                                return False
                        except httpx.TransportError:
                            return False
                return True

            try:
                await eventually(all_ready, interval=0.5)
            except AssertionError:
                for log in tmp_path.glob("*-?.log"):
                    shutil.copy(log, Path("/tmp") / f"haven-replicas-{log.name}")
                raise AssertionError(
                    "replicas not ready:\n"
                    + "\n".join(f"== {p.name}\n" + p.read_text()[-1500:] for p in sorted(tmp_path.glob("*-?.log")))
                ) from None
            officer = {
                "Authorization": "Bearer "
                f"{issue_token('officer-1', 'bexley', ['options_officer'], settings=haven_settings)}"
            }
            lead = {"Authorization": f"Bearer {issue_token('lead-1', 'bromley', ['dv_lead'], settings=haven_settings)}"}
            async with httpx.AsyncClient(base_url=urls["options"][0], timeout=30) as first:
                case = await case_with_accepted_duty(first, officer)  # advance contact follows an accepted duty
            refs = []
            for i in range(12):  # alternate replicas, as the proxy's round robin does
                r = await http.post(
                    f"{urls['options'][i % 2]}/jwa/notifications",
                    headers=officer,
                    json={"case_ref": case, "to_org": "bromley"},
                )
                assert r.status_code == 201, r.text
                refs.append(r.json()["notification_ref"] if "notification_ref" in r.json() else r.json().get("id"))

            async def inbox_complete():
                r = await http.get(f"{urls['options'][1]}/jwa/inbox", headers=lead)
                return r.status_code == 200 and len(r.json()) >= len(refs) and r.json()

            await eventually(inbox_complete, timeout=30)

        conn = await asyncpg.connect(haven_settings.database_url("options"))
        try:

            async def settled() -> bool:
                unsent = await conn.fetchval("SELECT count(*) FROM haven_outbox WHERE sent_at IS NULL")
                return unsent == 0

            await eventually(settled, timeout=30)
            events = await conn.fetch("SELECT event_id FROM haven_outbox WHERE type LIKE '%move-notified%'")
            applied = await conn.fetch("SELECT event_id FROM haven_inbox WHERE consumer = 'options-jwa-inbox'")
        finally:
            await conn.close()
        ids = sorted(r["event_id"] for r in events)
        assert len(ids) == len(refs)
        assert sorted(r["event_id"] for r in applied) == ids  # shared durable + inbox: each applied once

        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            assert (await js.stream_info("HAVEN_OPTIONS")).config.duplicate_window == 120.0
            sub = await js.pull_subscribe("haven.options.evt.move-notified.>", stream="HAVEN_OPTIONS")
            seen: list[str] = []
            while True:
                try:
                    batch = await sub.fetch(100, timeout=1)
                except TimeoutError:
                    break
                seen += [m.headers["Nats-Msg-Id"] for m in batch]
                for m in batch:
                    await m.ack()
        finally:
            await nc.close()
        assert sorted(seen) == ids  # each event in the stream once, though two relays drained the outbox
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
