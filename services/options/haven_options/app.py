"""The options service's definition and app factory."""

from __future__ import annotations

from haven_contracts.events.options import MoveNotified
from haven_contracts.subjects import event_filter
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec
from haven_options.api import JwaController
from haven_options.jwa import receive_move_notified
from haven_options.tables import RUNTIME, TABLES


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="options",
        title="Haven options",
        runtime_tables=RUNTIME,
        tables=TABLES,
        route_handlers=[JwaController],
        consumers=[
            ConsumerSpec(
                purpose="jwa-inbox",
                from_service="options",
                filter_subject=event_filter("options", MoveNotified.name, MoveNotified.version, addressed=True),
                handler=receive_move_notified,
            )
        ],
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
