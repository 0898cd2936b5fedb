"""Shared helpers for the options service tests: invented people and small in-test plugins."""

from __future__ import annotations

import asyncio
from types import ModuleType, SimpleNamespace

import pytest

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest
from haven_runtime.plugins import HavenPluginManager

# Invented: no real survivor data exists anywhere in this project.
PERSON = {
    "name": "Jo Invented-Example",
    "date_of_birth": "1990-02-03",
    "address": "12 Nowhere Lane, Testville",
    "phone": "07000 900123",
    "safe_contact": "text only, after 6pm",
}
PERSONAL_VALUES = ("Jo Invented-Example", "1990-02-03", "12 Nowhere Lane", "07000 900123", "text only, after 6pm")


def plugin(name: str, orgs: tuple[str, ...], **hooks) -> ModuleType:
    """A plugin object serving ``orgs`` with the given hook implementations."""

    def haven_manifest():
        return PluginManifest(
            name=name, organisations=tuple(Organisation(id=o, name=o.title(), kind="local_authority") for o in orgs)
        )

    impls = {"haven_manifest": hookimpl(haven_manifest)}
    impls.update({k: hookimpl(v) for k, v in hooks.items()})
    module = ModuleType(f"haven_test_{name.replace('-', '_')}")
    for key, value in impls.items():
        setattr(module, key, value)
    return module


def manager_with(*plugins: tuple[str, ModuleType]) -> HavenPluginManager:
    manager = HavenPluginManager()
    for name, obj in plugins:
        assert manager.register(obj, name=name) is not None, manager.failures
    return manager


async def open_case(client, headers, **overrides) -> dict:
    body = {"person": PERSON, "channel": "reception", "tenure": "council_secure"} | overrides
    r = await client.post("/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def on_app(client, make_awaitable):
    """Run ``make_awaitable()`` on the app's own event loop (the test client runs the app in a
    portal thread; PostgreSQL connections belong to that loop)."""

    async def run():
        return await make_awaitable()

    return await asyncio.to_thread(client.blocking_portal.call, run)


@pytest.fixture
def officer(token):
    return lambda org, *roles, sub="officer-1": token(org, *(roles or ("options_officer",)), sub=sub)


@pytest.fixture
def h():
    """Helpers for tests (``--import-mode=importlib`` cannot import conftest by name)."""
    return SimpleNamespace(
        PERSON=PERSON,
        PERSONAL_VALUES=PERSONAL_VALUES,
        plugin=plugin,
        manager_with=manager_with,
        open_case=open_case,
        on_app=on_app,
    )
