"""A federated deployment's inbound stream when a new release's consumers read more: the existing source's filters
change in place, JetStream carries on from the last message it sourced — so what the new filter selects arrives,
including what was published after that message and before the upgrade — and nothing is sourced twice."""

from __future__ import annotations

import nats

from haven_contracts.subjects import event_filter
from haven_runtime.bus import ConsumerSpec, provision_stream
from haven_runtime.deployment import Deployment
from haven_runtime.federation import InboundStream
from haven_runtime.testing import eventually


async def _ignore(*_args) -> None:
    return None


def _spec(purpose: str, event: str, addressed: bool) -> ConsumerSpec:
    return ConsumerSpec(
        purpose=purpose,
        from_service="options",
        filter_subject=event_filter("options", event, addressed=addressed),
        handler=_ignore,
    )


async def test_a_source_gains_the_filters_of_a_new_consumer_without_replaying(nats_server):
    sender = Deployment(name="bexley", orgs=frozenset({"bexley"}), federated=True)
    receiver = Deployment(name="lewisham", orgs=frozenset({"lewisham"}), federated=True)
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await provision_stream(js, "options", deployment=sender)
        before = InboundStream("options", receiver, [_spec("jwa-inbox", "move-notified", True)])
        await before.provision(nc)
        await js.publish("haven.options.evt.move-notified.v1.bexley.lewisham", b"{}", headers={"Nats-Msg-Id": "E1"})
        await js.publish(
            "haven.options.evt.temporary-accommodation-booked.v1.bexley", b"{}", headers={"Nats-Msg-Id": "E2"}
        )

        async def inbound_count() -> int:
            return (await js.stream_info(before.name)).state.messages

        await eventually(lambda: inbound_count())
        assert await inbound_count() == 1  # the booking was not read by this release

        after = InboundStream(
            "options",
            receiver,
            [
                _spec("jwa-inbox", "move-notified", True),
                _spec("jwa-ta-bookings", "temporary-accommodation-booked", False),
            ],
        )
        await after.provision(nc)
        (source,) = (await js.stream_info(after.name)).config.sources
        assert sorted(t.src for t in source.subject_transforms) == [
            "haven.options.evt.move-notified.*.*.lewisham",
            "haven.options.evt.temporary-accommodation-booked.*.*",
        ]
        await js.publish(
            "haven.options.evt.temporary-accommodation-booked.v1.bexley", b"{}", headers={"Nats-Msg-Id": "E3"}
        )

        async def bookings_arrived() -> bool:
            return await inbound_count() >= 3

        await eventually(bookings_arrived)
        ids = [(await js.get_msg(after.name, seq)).headers["Nats-Msg-Id"] for seq in (1, 2, 3)]
        assert ids == ["E1", "E2", "E3"] and await inbound_count() == 3  # E1 once; E2 from before the upgrade, E3 after
    finally:
        await nc.close()
