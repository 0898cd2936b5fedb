"""The directory service's definition and app factory."""

from __future__ import annotations

from haven_contracts.events.directory import RoleHolderLookup
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ResponderSpec
from haven_directory.api import OfficersController
from haven_directory.officers import answer_role_holders, load_plugin_officers
from haven_directory.tables import RUNTIME, TABLES


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="directory",
        title="Haven directory",
        runtime_tables=RUNTIME,
        tables=TABLES,
        route_handlers=[OfficersController],
        responders=[ResponderSpec(RoleHolderLookup, answer_role_holders)],
        on_startup=[load_plugin_officers],
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
