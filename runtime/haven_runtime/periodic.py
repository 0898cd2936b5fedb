"""Periodic work a service runs for its whole life, such as the overdue-clock sweeps.

Every seed timescale is a clock that must raise an overdue event when missed; each service has a sweep that finds missed
clocks. The sweep itself takes the time to check against, so tests drive it directly; this module only runs it on an
interval after the bus is up and cancels it on shutdown. A failed sweep is logged and
retried at the next interval. Replicas may sweep concurrently: sweeps claim each clock
before emitting, so an overdue event is raised once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from haven_runtime.context import ServiceContext
from haven_runtime.settings import Settings

log = logging.getLogger("haven.periodic")


@dataclass(frozen=True)
class PeriodicTask:
    """Run ``run(ctx)`` every ``interval_seconds``; ``interval_setting`` names the
    :class:`~haven_runtime.settings.Settings` field that overrides it when set (validated
    with the other settings at start-up)."""

    name: str
    run: Callable[[ServiceContext], Awaitable[Any]]
    interval_seconds: float = 60.0
    interval_setting: str | None = None

    def interval(self, settings: Settings) -> float:
        configured = getattr(settings, self.interval_setting) if self.interval_setting else None
        return configured or self.interval_seconds


async def _loop(ctx: ServiceContext, task: PeriodicTask, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        if not ctx.bus_ready:
            continue
        try:
            await task.run(ctx)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the next interval tries again
            log.exception("%s %s failed; retrying in %.0fs", ctx.service, task.name, interval)


def start_periodic(ctx: ServiceContext, tasks: list[PeriodicTask] | tuple[PeriodicTask, ...]) -> list[asyncio.Task]:
    intervals = [t.interval(ctx.settings) for t in tasks]
    return [
        asyncio.get_running_loop().create_task(_loop(ctx, task, interval), name=f"{ctx.service}-{task.name}")
        for task, interval in zip(tasks, intervals)
    ]


async def stop_periodic(handles: list[asyncio.Task]) -> None:
    for handle in handles:
        handle.cancel()
    await asyncio.gather(*handles, return_exceptions=True)
