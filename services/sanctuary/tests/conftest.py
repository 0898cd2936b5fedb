"""Fixtures for the sanctuary tests: an invented referral form and helpers to walk a referral.

Every person here is invented; no real survivor data exists in this project.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haven_runtime.app import context_of
from haven_runtime.testing import flushed
from haven_sanctuary.eligibility import OFFICER_CRITERIA
from haven_sanctuary.forms import example_referral

ALL_MET = OFFICER_CRITERIA


def make_form(scheme: str = "dartford", tenure: str = "owner_occupier", **overrides) -> dict:
    return example_referral(scheme, tenure, **overrides)


@pytest.fixture
def form():
    return make_form


@pytest.fixture
def ctx_of():
    return lambda client: context_of(client.app)


class Walk:
    """Drives one referral through its steps over HTTP, asserting each succeeds."""

    def __init__(self, client, token, org: str) -> None:
        self.client = client
        self.officer = token(org, "sanctuary_officer", sub="sanctuary-officer-1")
        self.police = token(org, "police_cpo", sub="cpo-1")

    async def ok(self, method: str, path: str, headers=None, **kw) -> dict:
        r = await self.client.request(method, path, headers=headers or self.officer, **kw)
        assert r.status_code in (200, 201), f"{method} {path}: {r.status_code} {r.text}"
        return r.json()

    async def meet_all(self, ref: str, skip: tuple[str, ...] = ()) -> None:
        for key in ALL_MET:
            if key not in skip:
                await self.ok("PUT", f"/referrals/{ref}/criteria/{key}", json={"status": "met"})

    async def to_recommendations(self, ref: str, measures=("door_chain", "window_lock")) -> dict:
        await self.meet_all(ref)
        await self.ok("POST", f"/referrals/{ref}/eligibility/decide")
        await self.ok("POST", f"/referrals/{ref}/inspection/request", json={})
        return await self.ok(
            "POST",
            f"/referrals/{ref}/inspection/recommendations",
            headers=self.police,
            json={"measures": list(measures)},
        )


@pytest.fixture
def walk(token):
    return lambda client, org="dartford": Walk(client, token, org)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Events:
    """Every message published under ``subject`` while the test runs (a real nats-server)."""

    def __init__(self) -> None:
        self.messages: list = []

    def names(self) -> list[str]:
        return [m.subject.split(".")[3] for m in self.messages]

    def of(self, name: str) -> list:
        import msgspec

        return [msgspec.json.decode(m.data) for m in self.messages if m.subject.split(".")[3] == name]


@pytest.fixture
async def bus_events(nats_server):
    import nats

    nc = await nats.connect(nats_server.url)
    events = Events()

    async def collect(msg):
        events.messages.append(msg)

    await nc.subscribe("haven.sanctuary.evt.>", cb=collect)
    await flushed(nc)
    yield events
    await nc.close()


class ThreadResponder:
    """A stand-in NATS responder on its own thread and event loop.

    The test client blocks the test's event loop while a request is in flight, so a
    responder living on that loop could only answer after the request had timed out.
    """

    def __init__(self, url: str, subject: str, answer) -> None:
        import asyncio
        import threading

        self.url, self.subject, self.answer = url, subject, answer
        self.asked: list[bytes] = []
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> "ThreadResponder":
        import asyncio

        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        import nats

        self._nc = await nats.connect(self.url)

        async def handle(msg):
            self.asked.append(msg.data)
            await msg.respond(self.answer(msg.data))

        await self._nc.subscribe(self.subject, cb=handle)
        await flushed(self._nc)

    def __exit__(self, *exc) -> None:
        import asyncio

        asyncio.run_coroutine_threadsafe(self._nc.close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


async def raw_rows(settings, table: str, column: str, value: str) -> list[dict]:
    """Rows as stored, read over a connection of the test's own (the app runs on another
    event loop, so its PostgreSQL pool cannot be used from the test)."""
    url = settings.database_url("sanctuary")
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(f"SELECT * FROM {table} WHERE {column} = ?", (value,))]
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return [dict(r) for r in await conn.fetch(f"SELECT * FROM {table} WHERE {column} = $1", value)]
    finally:
        await conn.close()


@pytest.fixture
def stored(haven_settings):
    return lambda table, column, value: raw_rows(haven_settings, table, column, value)
