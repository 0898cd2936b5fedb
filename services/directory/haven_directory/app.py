"""The directory service's definition and app factory."""

from __future__ import annotations

from haven_contracts.events.directory import PublicListingRequest, RoleHolderLookup, ServiceContactsLookup
from haven_directory.api import PUBLIC_PATHS, ROUTES
from haven_directory.contacts import answer_service_contacts
from haven_directory.hsds_schemas import PublishedSchemaPlugin
from haven_directory.listings import CONSUMER as PUBLIC_LISTINGS
from haven_directory.listings import answer_public_listing
from haven_directory.officers import answer_role_holders
from haven_directory.pages import PAGES, TEMPLATES
from haven_directory.seed import load_directory
from haven_directory.tables import RUNTIME, TABLES
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ResponderSpec
from haven_runtime.schema import load_app


async def _load(ctx) -> None:
    await load_directory(ctx)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="directory",
        title="Haven directory",
        runtime_tables=RUNTIME,
        tables=TABLES,
        migrations=load_app("directory", "haven_directory.migrations"),
        route_handlers=[*ROUTES, *PAGES],
        templates_dir=TEMPLATES,
        responders=[
            ResponderSpec(RoleHolderLookup, answer_role_holders),
            ResponderSpec(PublicListingRequest, answer_public_listing),
            ResponderSpec(ServiceContactsLookup, answer_service_contacts),
        ],
        consumers=[PUBLIC_LISTINGS],
        on_startup=[_load],
        public_paths=PUBLIC_PATHS,
        openapi_plugins=[PublishedSchemaPlugin()],
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
