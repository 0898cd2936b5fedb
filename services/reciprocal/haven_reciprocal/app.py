"""The reciprocal service's definition and app factory (seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

from haven_reciprocal.api import CONTROLLERS
from haven_reciprocal.incoming import CONSUMER as INCOMING_REFERRALS
from haven_reciprocal.pages import PAGES, TEMPLATES
from haven_reciprocal.partners import load_partners
from haven_reciprocal.retention import RETENTION_SWEEP
from haven_reciprocal.staffing import CONSUMER as NAMED_LEADS_FROM_DIRECTORY
from haven_reciprocal.tables import RUNTIME, TABLES
from haven_reciprocal.tracking import CLOCK_SWEEP
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.schema import load_app


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="reciprocal",
        title="Haven reciprocal",
        runtime_tables=RUNTIME,
        tables=TABLES,
        migrations=load_app("reciprocal", "haven_reciprocal.migrations"),
        route_handlers=[*CONTROLLERS, *PAGES],
        templates_dir=TEMPLATES,
        consumers=[NAMED_LEADS_FROM_DIRECTORY, INCOMING_REFERRALS],
        on_startup=[load_partners],
        periodic=[CLOCK_SWEEP, RETENTION_SWEEP],
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
