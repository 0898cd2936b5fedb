"""Replicas behind the same durable consumer, as compose.yaml runs them: two instances of a
service on one database and one nats-server apply every event exactly once between them."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime

import nats
import pytest
from litestar.testing import AsyncTestClient

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import event_filter
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.tables import runtime_tables
from haven_runtime.testing import eventually

pytestmark = pytest.mark.asyncio
EVENTS = 60


def replica(applied: list[tuple[int, str]], number: int) -> ServiceDefinition:
    async def receive(ctx, event, envelope, uow) -> None:
        applied.append((number, envelope.id))
        await asyncio.sleep(0.005)  # long enough for the other replica to pull in between

    return ServiceDefinition(
        name="options",
        title=f"replica {number}",
        runtime_tables=runtime_tables("options"),
        consumers=[ConsumerSpec(purpose="replica-inbox", from_service="options", filter_subject=event_filter("options", "move-notified", 1, addressed=True), handler=receive)],
    )


async def test_two_replicas_share_one_durable_and_apply_each_event_once(haven_settings, nats_server):
    applied: list[tuple[int, str]] = []
    async with AsyncExitStack() as stack:
        apps = []
        for number in (1, 2):
            app = create_app(replica(applied, number), settings=haven_settings, plugins=build_plugin_manager(haven_settings))
            await stack.enter_async_context(AsyncTestClient(app=app))
            apps.append(app)
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        ids = []
        for i in range(EVENTS):
            event = MoveNotified(org="bexley", to_org="bromley", notification_ref=f"N-{i}", case_ref="CASE-7K3QD9X2MB", addressed_to=[], notified_at=datetime.now(UTC))
            headers = envelope_for(event).to_headers()
            ids.append(headers["ce-id"])
            await js.publish(event.subject, encode(event), headers=headers)
            if i == EVENTS // 2:  # a redelivered copy under the same id is dropped by the stream
                await js.publish(event.subject, encode(event), headers=headers)
        info = await js.consumer_info("HAVEN_OPTIONS", "options-replica-inbox")
        await eventually(lambda: len({e for _, e in applied}) == EVENTS, timeout=15)
        await asyncio.sleep(0.3)
        await nc.close()
    assert sorted(e for _, e in applied) == sorted(ids)  # every event once, none twice
    assert info.config.durable_name == "options-replica-inbox"
    stats = [app.state["haven"].bus_stats.applied for app in apps]
    assert sum(stats) == EVENTS and all(stats)  # both replicas took a share
