"""Fixtures for the directory's tests."""

from __future__ import annotations

import asyncio

import pytest


@pytest.fixture
def on_app():
    """``await on_app(client, lambda: coro)`` runs ``coro`` on the app's own event loop (the
    test client runs the app in a portal thread; PostgreSQL connections belong to that loop)."""

    async def _on_app(client, make_awaitable):
        async def run():
            return await make_awaitable()

        return await asyncio.to_thread(client.blocking_portal.call, run)

    return _on_app
