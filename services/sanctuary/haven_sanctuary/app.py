"""The sanctuary service's definition and app factory."""

from __future__ import annotations

from haven_contracts.events.options import SanctuaryReferralRequested
from haven_contracts.subjects import event_filter
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec
from haven_runtime.schema import load_app
from haven_sanctuary.api import CONTROLLERS
from haven_sanctuary.clocks import OVERDUE_SWEEP
from haven_sanctuary.pages import PAGES, TEMPLATES
from haven_sanctuary.referrals import receive_from_options
from haven_sanctuary.retention import RETENTION_SWEEP
from haven_sanctuary.schemes import core_defaults
from haven_sanctuary.tables import RUNTIME, TABLES


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="sanctuary",
        title="Haven sanctuary",
        runtime_tables=RUNTIME,
        tables=TABLES,
        migrations=load_app("sanctuary", "haven_sanctuary.migrations"),
        route_handlers=[*CONTROLLERS, *PAGES],
        templates_dir=TEMPLATES,
        public_paths=["^/schemes"],
        consumers=[
            ConsumerSpec(
                purpose="referrals-from-options",
                from_service="options",
                # every version: one this build does not read is dead-lettered, not unseen
                filter_subject=event_filter("options", SanctuaryReferralRequested.name, addressed=True),
                handler=receive_from_options,
            )
        ],
        periodic=[OVERDUE_SWEEP, RETENTION_SWEEP],
        core_defaults=core_defaults,
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
