"""How addressed events and broadcasts reach a federated deployment: its inbound stream.

Each deployment's own stream captures what its organisations publish. A receiving deployment cannot consume from the
sender's stream without knowing which deployment hosts the sender, and a consumer on someone else's stream would be
state living in their stream, under their retention, reached through their permissions. So each
consuming service of a federated deployment keeps one **inbound stream**
(:func:`~haven_contracts.subjects.inbound_stream_name`) that *sources* from every
deployment's stream of the services it consumes, filtered to what is addressed to the
organisations it hosts plus the broadcasts its consumers read
(:func:`~haven_contracts.subjects.inbound_filters`). Its durable consumers read only that
stream. The inbound stream lives in the NATS system, not in the deployment, so while the
deployment is down its messages keep arriving there and wait; sourced messages keep their
``Nats-Msg-Id``, so a source re-delivered after a restart is de-duplicated.

Sources are discovered by asking JetStream for the streams over ``haven.<service>.evt.>``
at start-up, whenever JetStream announces a new stream (a deployment joining the bus), and
every ``HAVEN_FEDERATION_RESCAN_SECONDS`` in case an announcement was missed. Sources are
only ever added: a deployment that stops keeps its stream, and re-adding a removed source
would replay it; when a new release's consumers read more, an existing source's filters change
in place (JetStream carries on from the last message it sourced, so what the new filters
select since then arrives too). deploy/README.md ("Deployments on one bus") gives the reasons.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from nats.js.api import StorageType, StreamConfig, StreamSource, SubjectTransform
from nats.js.errors import NotFoundError

from haven_contracts.subjects import (
    inbound_filters,
    inbound_stream_name,
    is_service_stream,
    stream_created_advisory,
    stream_subjects,
)

if TYPE_CHECKING:
    from haven_runtime.bus import ConsumerSpec
    from haven_runtime.deployment import Deployment

log = logging.getLogger("haven.federation")


def source_filters(specs: Sequence["ConsumerSpec"], orgs: Iterable[str]) -> dict[str, list[str]]:
    """``{from_service: [subject filters]}`` the inbound stream sources for ``specs``; a filter
    another one already covers is dropped (JetStream refuses overlapping source filters)."""
    orgs = sorted(orgs)
    wanted: dict[str, list[str]] = {}
    for spec in specs:
        for subject in inbound_filters(spec.filter_subject, orgs):
            wanted.setdefault(spec.from_service, [])
            if subject not in wanted[spec.from_service]:
                wanted[spec.from_service].append(subject)
    return {
        svc: [f for f in subjects if not any(g != f and _covers(g, f) for g in subjects)]
        for svc, subjects in wanted.items()
    }


def _filters(source: StreamSource) -> list[str]:
    """The subjects a source keeps, however its configuration spells them."""
    return sorted(
        [t.src for t in source.subject_transforms or []] + ([source.filter_subject] if source.filter_subject else [])
    )


def _covers(broad: str, narrow: str) -> bool:
    """True when every subject ``narrow`` matches, ``broad`` matches too (``*`` tokens only)."""
    b, n = broad.split("."), narrow.split(".")
    return len(b) == len(n) and all(x == "*" or x == y for x, y in zip(b, n))


async def service_streams(nc, service: str) -> list[str]:
    """Every deployment's stream of ``service`` on this NATS system (all pages)."""
    names: list[str] = []
    offset = 0
    while True:
        payload = json.dumps(
            {"subject": stream_subjects(service)[0], "offset": offset}
        ).encode()  # haven.<service>.evt.>
        reply = json.loads((await nc.request("$JS.API.STREAM.NAMES", payload, timeout=5)).data)
        page = reply.get("streams") or []
        names += [n for n in page if is_service_stream(service, n)]
        offset += len(page)
        if not page or offset >= reply.get("total", 0):
            return sorted(set(names))


class InboundStream:
    """The inbound stream of one consuming service of a federated deployment."""

    def __init__(
        self, service: str, deployment: "Deployment", specs: Sequence["ConsumerSpec"], *, rescan_seconds: float = 30.0
    ) -> None:
        self.name = inbound_stream_name(service, deployment.name)
        self.filters = source_filters(specs, deployment.orgs)
        self.rescan_seconds = rescan_seconds
        self.sources: set[str] = set()
        self._task: asyncio.Task | None = None
        self._sub = None
        self._lock = asyncio.Lock()

    async def provision(self, nc) -> set[str]:
        """Create or extend the stream with every source stream now on the bus."""
        async with self._lock:
            js = nc.jetstream()
            found = {(svc, name) for svc in self.filters for name in await service_streams(nc, svc)}
            try:
                info = await js.stream_info(self.name)
                existing = list(info.config.sources or [])
            except NotFoundError:
                info, existing = None, []
            known = {s.name for s in existing}
            added = [self._source(name, svc) for svc, name in sorted(found) if name not in known]
            # a release whose consumers read more (or less) changes an existing source's filters
            # in place; JetStream carries on from the last message it sourced, sourcing nothing twice
            service_of = {name: svc for svc, name in found}
            kept = [self._source(s.name, service_of[s.name]) if s.name in service_of else s for s in existing]
            changed = [s.name for s, k in zip(existing, kept) if _filters(s) != _filters(k)]
            if info is None or added or changed:
                config = StreamConfig(
                    name=self.name, storage=StorageType.FILE, duplicate_window=120.0, sources=kept + added
                )
                if info is None:
                    await js.add_stream(config)
                else:
                    config.num_replicas = info.config.num_replicas
                    await js.update_stream(config)
                for source in added:
                    log.info("inbound stream %s now sources %s", self.name, source.name)
                for name in changed:
                    log.info(
                        "inbound stream %s now filters %s by %s",
                        self.name,
                        name,
                        ", ".join(self.filters[service_of[name]]),
                    )
            self.sources = known | {s.name for s in added}
            return self.sources

    def _source(self, name: str, service: str) -> StreamSource:
        return StreamSource(
            name=name, subject_transforms=[SubjectTransform(src=f, dest="") for f in self.filters[service]]
        )

    async def start(self, nc) -> None:
        """Watch for deployments joining the bus (and rescan periodically)."""
        wake = asyncio.Event()

        async def _on_created(msg) -> None:
            wake.set()

        self._sub = await nc.subscribe(stream_created_advisory(), cb=_on_created)

        async def _watch() -> None:
            while True:
                try:
                    await asyncio.wait_for(wake.wait(), timeout=self.rescan_seconds)
                except TimeoutError:
                    pass
                wake.clear()
                try:
                    await self.provision(nc)
                except Exception as exc:  # noqa: BLE001 - retried at the next announcement or rescan
                    log.warning("could not extend inbound stream %s: %r", self.name, exc)

        self._task = asyncio.create_task(_watch(), name=f"inbound-{self.name}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()
            except Exception:  # noqa: BLE001 - the connection may already be closed
                pass
