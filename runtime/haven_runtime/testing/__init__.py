"""Test support: real nats-server, real SQLite files, PostgreSQL when configured, tokens.

Registered as a pytest plugin (``pytest11`` entry point), so every test directory gets:

* ``nats_server`` — a fresh nats-server with JetStream from the wheel on a free port;
* ``haven_settings`` — settings pointing at that server and temporary SQLite files (or a
  fresh PostgreSQL database per service when ``HAVEN_TEST_POSTGRES_DSN`` is set and the
  test asks for ``db_backend`` "postgres");
* ``start_service`` — runs a service's Litestar app in-process with its lifespan and
  returns an HTTP client; ``token`` — signs a bearer token for an org and roles.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.ops.natsserver import NatsServer, start_nats_server
from haven_runtime.settings import Settings, load_settings

if TYPE_CHECKING:
    import httpx

#: How long a test waits for a NATS reply or a process's output line: generous, so a loaded
#: machine only slows a test down; a reply that never comes still fails it.
REPLY_TIMEOUT = 60.0
TEST_TOKEN_KEYS = "test:haven-test-signing-key-0123456789abcdef,old:haven-previous-test-key-0123456789abcdef"
POSTGRES_ENV = "HAVEN_TEST_POSTGRES_DSN"


def postgres_dsn() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


async def create_postgres_database(base_dsn: str, name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(base_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    head, _, _ = base_dsn.rpartition("/")
    return f"{head}/{name}"


async def drop_postgres_database(base_dsn: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(base_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def make_settings(tmp_path: Path, nats_url: str, **overrides: str) -> Settings:
    env = {
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(tmp_path / "data"),
        "HAVEN_NATS_URL": nats_url,
        "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS,
        "HAVEN_REDELIVERY_BACKOFF": "0.2,0.2,0.5",
        "HAVEN_MAX_DELIVER": "3",
    }
    env.update(overrides)
    return load_settings(env)


@pytest.fixture
def nats_server(tmp_path: Path):
    server = start_nats_server(tmp_path / "jetstream", log_file=tmp_path / "nats-server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
async def _no_survivor_data_on_the_bus(request):
    """Every async test that runs a nats-server has every subject sniffed, and fails on any
    personal field or free text outside ``_INBOX``.

    A test that deliberately publishes hostile or personal-looking payloads (poison-message
    and spoofing tests) opts out with ``@pytest.mark.hostile_bus_input``; one that checks a
    request to an organisation nobody hosts fails at once opts out with
    ``@pytest.mark.no_responders`` (a ``>`` subscriber is interest, so NATS would not answer
    "no responders").
    """
    import inspect

    from haven_runtime.privacy import sniff

    wanted = (
        "nats_server" in request.fixturenames
        and inspect.iscoroutinefunction(request.function)
        and request.node.get_closest_marker("hostile_bus_input") is None
        and request.node.get_closest_marker("no_responders") is None
    )
    if not wanted:
        yield None
        return
    server = request.getfixturevalue("nats_server")
    async with sniff(server.url, max_reconnect_attempts=-1, reconnect_time_wait=0.2) as sniffer:
        yield sniffer
    sniffer.assert_clean()


@pytest.fixture(params=["sqlite"])
def db_backend(request) -> str:
    """Override with ``@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)``."""
    if request.param == "postgres" and not postgres_dsn():
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return request.param


@pytest.fixture
async def haven_settings(tmp_path: Path, nats_server: NatsServer, db_backend: str) -> AsyncIterator[Settings]:
    overrides: dict[str, str] = {}
    created: list[str] = []
    base = postgres_dsn()
    if db_backend == "postgres" and base:
        for service in ("options", "sanctuary", "reciprocal", "directory"):
            name = f"haven_test_{service}_{uuid.uuid4().hex[:10]}"
            overrides[f"HAVEN_{service.upper()}_DATABASE_URL"] = await create_postgres_database(base, name)
            created.append(name)
    settings = make_settings(tmp_path, nats_server.url, **overrides)
    try:
        yield settings
    finally:
        for name in created:
            await drop_postgres_database(base, name)  # type: ignore[arg-type]


@pytest.fixture
def token(haven_settings: Settings):
    def _token(org: str, *roles: str, sub: str = "officer-1", ttl: int | None = None) -> dict[str, str]:
        return {
            "Authorization": "Bearer "
            f"{issue_token(sub, org, roles or ('options_officer',), settings=haven_settings, ttl_seconds=ttl)}"
        }

    return _token


@pytest.fixture
async def start_service(haven_settings: Settings):
    """``await start_service("options")`` → an httpx-style async client with the app running."""
    from litestar.testing import AsyncTestClient

    from haven_runtime.plugins import build_plugin_manager
    from haven_runtime.serve import service_definitions

    async with AsyncExitStack() as stack:

        async def _start(name: str, plugins=None, settings: Settings | None = None):
            factory = service_definitions()[name].load()
            chosen = settings or haven_settings
            app = factory(settings=chosen, plugins=plugins if plugins is not None else build_plugin_manager(chosen))
            client = AsyncTestClient(app=app, raise_server_exceptions=False)
            await stack.enter_async_context(client)
            return client

        yield _start


@asynccontextmanager
async def serve_in_loop(app) -> AsyncIterator["httpx.AsyncClient"]:
    """Run ``app``'s lifespan in the test's own event loop and return an HTTP client for it.

    Litestar's ``AsyncTestClient`` runs the app on a portal thread with its own loop; a
    PostgreSQL pool opened there cannot be used from the test's loop. Tests that touch the
    service's tables directly (``db_backend`` "postgres") use this instead.
    """
    import httpx

    started, stopping = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        # one task enters and exits the lifespan (its anyio cancel scopes require it), even
        # when a fixture's set-up and tear-down run in different tasks
        async with app.lifespan():
            started.set()
            await stopping.wait()

    task = asyncio.create_task(run())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # raises the start-up error
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        stopping.set()
        await task


async def eventually(check, timeout: float | None = None, interval: float = 0.02):
    """Wait until ``check`` (sync or async) returns a truthy value; return it.

    The condition itself is the signal: by default there is no wall-clock limit of its own,
    so a slow, loaded machine only makes the wait longer, never fails it. A condition that
    never comes is ended by the suite's per-test timeout (pytest-timeout), with the stack
    pointing here. ``timeout`` is for the rare wait that must give up early.
    """
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if deadline is not None and loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def flushed(nc) -> None:
    """Wait until the NATS server has processed everything ``nc`` has sent (subscriptions,
    publishes) — the signal a test needs before it makes another connection publish.

    nats-py's ``flush()`` alone is not that signal: it writes its PING straight to the
    socket, ahead of commands still in the client's pending buffer, so the PONG can come
    back before the server has seen a subscription. The pending buffer is written first.
    """
    await nc._flush_pending(force_flush=True)
    await nc.flush()


async def _unsent_outbox_rows(database_url: str) -> int:
    query = "select count(*) from haven_outbox where sent_at is null"
    if database_url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(f"file:{database_url.removeprefix('sqlite:///')}?mode=ro", uri=True)
        try:
            return conn.execute(query).fetchone()[0]
        finally:
            conn.close()
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


async def bus_settled(settings: Settings, services: list[str]) -> None:
    """Wait until the started ``services`` have relayed their outboxes and every JetStream
    consumer has nothing pending or unacknowledged.

    Services publish at start-up (directory seeding, partner lists) and consume each other's
    events in the background; a test that compares a database before and after a request
    waits on this signal first, so background traffic is not mistaken for the request's.
    Acknowledgement follows the handler's commit, so "nothing unacknowledged" means applied.
    """
    import nats

    async def quiet() -> bool:
        for service in services:
            if await _unsent_outbox_rows(settings.database_url(service)):
                return False
        nc = await nats.connect(settings.nats_url)
        try:
            js = nc.jetstream()
            for stream in await js.streams_info():
                for consumer in await js.consumers_info(stream.config.name):
                    if consumer.num_pending or consumer.num_ack_pending:
                        return False
            return True
        finally:
            await nc.close()

    await eventually(quiet, interval=0.05)


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        help="browser tests write their screenshots into docs/screenshots (the README's pictures)",
    )


def pytest_configure(config) -> None:
    if config.getoption("--update-screenshots", default=False):
        from haven_runtime.testing.browser import UPDATE_SCREENSHOTS_ENV

        os.environ[UPDATE_SCREENSHOTS_ENV] = "1"
