"""A PostgreSQL session that dies inside a transaction gives its pooled connection back.

Real server (``HAVEN_TEST_POSTGRES_DSN``); the session is terminated from a second connection,
as an operator or a fail-over would. Piccolo's own transaction leaked the connection when the
rollback failed, so after ``max_size`` failures the pool had nothing left to give."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from haven_runtime.db import make_engine
from haven_runtime.testing import REPLY_TIMEOUT, create_postgres_database, drop_postgres_database, postgres_dsn

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not postgres_dsn(), reason="HAVEN_TEST_POSTGRES_DSN is not set")]


async def test_terminated_sessions_do_not_leak_pooled_connections():
    admin = postgres_dsn()
    name = f"haven_test_pool_{uuid.uuid4().hex[:10]}"
    url = await create_postgres_database(admin, name)  # type: ignore[arg-type]
    engine = make_engine(url)
    await engine.start_connection_pool(min_size=1, max_size=2)
    killer = await asyncpg.connect(admin)
    try:
        for _ in range(3):  # more failures than the pool has connections
            with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError)):
                async with engine.transaction() as tx:
                    pid = await tx.connection.fetchval("SELECT pg_backend_pid()")
                    await killer.execute("SELECT pg_terminate_backend($1)", pid)
                    await tx.connection.execute("SELECT 1")

        # every connection came back: a new transaction gets one at once, not after a wait
        async def fresh() -> int:
            async with engine.transaction() as tx:
                return await tx.connection.fetchval("SELECT 41 + 1")

        assert await asyncio.wait_for(fresh(), REPLY_TIMEOUT) == 42
        assert engine.pool.get_size() <= 2
    finally:
        await killer.close()
        await engine.close_connection_pool()
        await drop_postgres_database(admin, name)  # type: ignore[arg-type]
