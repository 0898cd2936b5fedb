"""The per-process context a service's controllers and handlers receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from faststream.nats import NatsBroker
from piccolo.engine.base import Engine

from haven_contracts.clocks import OfficeHours
from haven_contracts.messages import Reply, Request
from haven_runtime.calendar import WorkingCalendar
from haven_runtime.deployment import Deployment
from haven_runtime.outbox import OutboxRelay
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.settings import Settings
from haven_runtime.store import Store


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class BusStats:
    """Counters of the service's consumers (exposed for health and metrics)."""

    applied: int = 0
    skipped_duplicates: int = 0
    redelivered: int = 0
    dead_lettered: int = 0


@dataclass
class ServiceContext:
    service: str
    settings: Settings
    engine: Engine
    store: Store
    broker: NatsBroker
    plugins: HavenPluginManager
    relay: OutboxRelay
    bus_stats: "BusStats"
    deployment: Deployment
    extras: dict[str, object] = field(default_factory=dict)
    bus_ready: bool = False
    #: The service's clock for input rules such as "not in the future"; tests replace it.
    clock: Callable[[], datetime] = field(default_factory=lambda: _utcnow)

    def now(self) -> datetime:
        return self.clock()

    def calendar(self, org: str | None = None, hours: OfficeHours | None = None) -> WorkingCalendar:
        """The working-day calendar of ``org`` (its office hours from its plugin manifest)."""
        if hours is None and org is not None:
            organisation = self.plugins.organisation(org)
            hours = organisation.office_hours if organisation else None
        return WorkingCalendar(hours)

    @property
    def cipher(self):
        """The field cipher for personal fields (``haven_runtime.crypto``)."""
        from haven_runtime.crypto import cipher_for

        return cipher_for(self.settings)

    async def request(self, req: Request, *, timeout: float | None = None) -> Reply:
        from haven_runtime.bus import request

        return await request(self.broker, req, timeout=timeout or self.settings.request_timeout_seconds)
