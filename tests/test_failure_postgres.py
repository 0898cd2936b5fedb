"""PostgreSQL unavailable for a while: writes fail cleanly with 503 and change nothing, and
once the database is back the outbox catches up with every committed event exactly once.

Runs on a throwaway database of the server named by ``HAVEN_TEST_POSTGRES_DSN``; the
outage is real: the database stops accepting connections and its sessions are terminated.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import nats
import pytest
from litestar import post
from litestar.testing import AsyncTestClient

from haven_contracts.events.options import MoveNotified
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.identity import Principal
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import (
    create_postgres_database,
    drop_postgres_database,
    eventually,
    make_settings,
    postgres_dsn,
)

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not postgres_dsn(), reason="HAVEN_TEST_POSTGRES_DSN is not set")]


def probe_definition() -> ServiceDefinition:
    @post("/probe/notify/{ref:str}", status_code=201)
    async def notify(ctx: object, principal: Principal, ref: str) -> dict[str, str]:
        async with ctx.store.transaction() as uow:  # type: ignore[attr-defined]
            event_id = await uow.emit(
                MoveNotified(
                    org=principal.org,
                    to_org="bromley",
                    notification_ref=ref,
                    case_ref="CASE-7K3QD9X2MB",
                    addressed_to=[],
                    notified_at=datetime.now(UTC),
                ),
                ref="CASE-7K3QD9X2MB",
            )
            await uow.audit(principal, "create", "notification", ref, purpose="probe")
        return {"event_id": event_id}

    return ServiceDefinition(
        name="options", title="probe", runtime_tables=runtime_tables("options"), route_handlers=[notify]
    )


async def _set_available(admin_dsn: str, name: str, available: bool) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(available).lower()}')
        if not available:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
    finally:
        await conn.close()


async def test_writes_answer_503_during_an_outage_and_the_outbox_catches_up(tmp_path, nats_server, token):
    admin = postgres_dsn()
    name = f"haven_test_outage_{uuid.uuid4().hex[:10]}"
    url = await create_postgres_database(admin, name)  # type: ignore[arg-type]
    settings = make_settings(tmp_path, nats_server.url, HAVEN_OPTIONS_DATABASE_URL=url)
    headers = token("bexley", "options_officer")
    try:
        app = create_app(probe_definition(), settings=settings, plugins=build_plugin_manager(settings))
        async with AsyncTestClient(app=app, raise_server_exceptions=False) as client:
            assert (await client.post("/probe/notify/N-1", headers=headers)).status_code == 201

            await _set_available(admin, name, False)
            down = await client.post("/probe/notify/N-2", headers=headers)
            assert down.status_code == 503, down.text
            assert down.headers.get("retry-after")
            assert "N-2" not in down.text and "asyncpg" not in down.text.lower()
            assert (await client.get("/health/ready")).status_code == 503

            await _set_available(admin, name, True)
            up = await eventually(lambda: _post_ok(client, "/probe/notify/N-3", headers))
            assert up

        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            await eventually(lambda: _stream_count(js, 2))
            sub = await js.pull_subscribe("haven.options.evt.>", durable="check", stream="HAVEN_OPTIONS")
            refs = sorted(msgspec_ref(m.data) for m in await sub.fetch(10, timeout=2))
        finally:
            await nc.close()
        assert refs == ["N-1", "N-3"]  # the refused write left nothing; nothing was published twice
    finally:
        await _set_available(admin, name, True)
        await drop_postgres_database(admin, name)  # type: ignore[arg-type]


async def _post_ok(client, path: str, headers) -> bool:
    return (await client.post(path, headers=headers)).status_code == 201


async def _stream_count(js, expected: int) -> bool:
    return (await js.stream_info("HAVEN_OPTIONS")).state.messages >= expected


def msgspec_ref(data: bytes) -> str:
    import msgspec

    return msgspec.json.decode(data)["notification_ref"]
