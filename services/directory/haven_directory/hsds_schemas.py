"""The public tier's answers, typed by the schemas that define them.

An HSDS record is a JSON object whose schema Open Referral publishes (the vendored reference
document, :mod:`haven_directory.profile`, refers to the same addresses). The handlers build
records as mappings (:mod:`haven_directory.hsds`) and return them as one of the
:class:`Published` types below, so the directory's OpenAPI document answers each public
operation with a ``$ref`` to the published schema rather than an untyped object;
:class:`PublishedSchemaPlugin` writes those references. The ``Page`` envelope is a struct of
its own (:class:`HsdsPage`), its ``contents`` typed by the record's schema.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

import msgspec
from litestar.openapi.spec import Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin

HSDS_SCHEMAS = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI_31_SCHEMA = "https://spec.openapis.org/oas/3.1/schema/2022-10-07"


class Published(dict[str, Any]):
    """A JSON object whose schema is published at ``schema_url`` (a record, sent as built)."""

    schema_url: ClassVar[str]


class HsdsService(Published):
    schema_url = HSDS_SCHEMAS + "compiled/service.json"


class HsdsServiceListItem(Published):
    schema_url = HSDS_SCHEMAS + "compiled/service_list.json"


class HsdsServiceAtLocationListItem(Published):
    schema_url = HSDS_SCHEMAS + "compiled/service_at_location_list.json"


class HsdsOrganization(Published):
    schema_url = HSDS_SCHEMAS + "compiled/organization.json"


class HsdsOrganizationListItem(Published):
    schema_url = HSDS_SCHEMAS + "compiled/organization_list.json"


class HsdsTaxonomy(Published):
    schema_url = HSDS_SCHEMAS + "taxonomy.json"


class HsdsTaxonomyTerm(Published):
    schema_url = HSDS_SCHEMAS + "taxonomy_term.json"


class OpenApiDocument(Published):
    """The HSDS profile's own OpenAPI document (``/hsds/openapi.json``)."""

    schema_url = OPENAPI_31_SCHEMA


Record = TypeVar("Record")


class HsdsPage(msgspec.Struct, Generic[Record], kw_only=True):
    """The HSDS ``Page`` envelope (:func:`haven_directory.hsds.page`); ``format=ndjson`` streams
    ``contents`` without it."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[Record]


class ApiInfo(msgspec.Struct, kw_only=True):
    """``GET /``: the HSDS version, its profile and where this API's document is."""

    version: str
    profile: str
    openapi_url: str


class PublishedSchemaPlugin(OpenAPISchemaPlugin):
    """Documents a :class:`Published` type by its published schema (``allOf: [{$ref: ...}]``:
    the framework registers only its own schemas as bare references)."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return isinstance(value, type) and issubclass(value, Published) and hasattr(value, "schema_url")

    def to_openapi_schema(self, field_definition, schema_creator) -> Schema:
        published = field_definition.type_
        return Schema(all_of=[Reference(ref=published.schema_url)], description=published.__doc__)
