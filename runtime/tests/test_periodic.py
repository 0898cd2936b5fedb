"""Periodic sweeps (every seed timescale is a clock that raises an overdue event when missed): they run on their
interval once the bus is up, survive a failing sweep, and stop with the service."""

from __future__ import annotations

import asyncio

import pytest

from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.periodic import PeriodicTask
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.settings import SettingsError, load_settings
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually


async def test_a_periodic_task_runs_survives_failures_and_stops(haven_settings, start_service):
    from litestar.testing import AsyncTestClient

    calls: list[int] = []

    async def sweep(ctx) -> None:
        calls.append(len(calls))
        if len(calls) == 2:
            raise RuntimeError("a failed sweep is retried at the next interval")

    definition = ServiceDefinition(
        name="sanctuary",
        title="periodic test",
        runtime_tables=runtime_tables("sanctuary"),
        periodic=[PeriodicTask("test-sweep", sweep, interval_seconds=0.05)],
    )
    app = create_app(definition, settings=haven_settings, plugins=HavenPluginManager())
    async with AsyncTestClient(app=app):
        await eventually(lambda: len(calls) >= 4)
    stopped_at = len(calls)
    await asyncio.sleep(0.3)
    assert len(calls) == stopped_at


def test_the_interval_comes_from_its_setting(tmp_path):
    task = PeriodicTask("x", lambda ctx: None, interval_seconds=60, interval_setting="overdue_check_seconds")
    base = {"HAVEN_DATA_DIR": str(tmp_path)}
    assert task.interval(load_settings(base)) == 60
    assert task.interval(load_settings(base | {"HAVEN_OPTIONS_CHECK_SECONDS": "5"})) == 5
    with pytest.raises(SettingsError, match="HAVEN_OPTIONS_CHECK_SECONDS"):
        load_settings(base | {"HAVEN_OPTIONS_CHECK_SECONDS": "soon"})
