"""The reciprocal service's definition and app factory."""

from __future__ import annotations

from haven_runtime.app import ServiceDefinition, create_app
from haven_reciprocal.tables import RUNTIME, TABLES


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="reciprocal",
        title="Haven reciprocal",
        runtime_tables=RUNTIME,
        tables=TABLES,
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
