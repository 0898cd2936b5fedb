"""Vendored Open Referral HSDS JSON schemas and a validator for the directory's responses.

``hsds-3.0/`` is an unchanged copy of the HSDS 3.0 table schemas, the compiled list
schemas and the reference ``openapi.json`` (openreferral/specification, commit 279fd2eb);
``hsds-3.1/`` adds 3.1's ``service_capacity`` and ``unit`` and overlays that attach
``capacities`` to a service and nest records as the compiled 3.0 schemas do. HSDS is
licensed CC BY-SA 4.0 (``LICENSE``): "Human Services Data Specification: an Open Referral
resource (https://openreferral.org/)".

:func:`response_validator` builds a JSON-Schema validator for one HSDS API operation from
the reference ``openapi.json`` (the ``Page`` envelope, the item schemas it names), so a
test validates against the official definitions rather than a re-typed copy. It needs the
``jsonschema`` package (a development dependency).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
BASE = "https://schemas.haven.invalid/"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
#: Compiled single-record schemas are the table schemas with references expanded; the
#: 3.1 overlays stand in for them (and add ``capacities``).
COMPILED = {
    "compiled/service.json": "hsds-3.1/service.json",
    "compiled/organization.json": "hsds-3.1/organization.json",
    "compiled/service_at_location.json": "hsds-3.1/service_at_location.json",
}


def _load(relative: str) -> dict[str, Any]:
    return json.loads((HERE / relative).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for path in sorted(HERE.glob("hsds-*/**/*.json")):
        relative = path.relative_to(HERE).as_posix()
        resources.append((BASE + relative, Resource.from_contents(_load(relative), default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _rewrite(node: Any, page: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value == "#/components/schemas/Page":
                    return page
                if value.startswith(UPSTREAM):
                    name = value.removeprefix(UPSTREAM)
                    value = BASE + COMPILED.get(name, "hsds-3.0/" + name)
            out[key] = _rewrite(value, page)
        return out
    if isinstance(node, list):
        return [_rewrite(v, page) for v in node]
    return node


#: For tools that resolve ``$ref`` themselves (schemathesis): the compiled single-record
#: schemas are the official table schemas with their references expanded, so the table
#: schemas stand in for them unchanged.
TABLE_FOR_COMPILED = {
    "compiled/service.json": "service.json",
    "compiled/organization.json": "organization.json",
    "compiled/service_at_location.json": "service_at_location.json",
}


def with_local_refs(node: Any) -> Any:
    """A copy of an HSDS OpenAPI document (or part) whose remote ``$ref`` URLs point at the
    vendored files (``file://`` URIs), so nothing is fetched from GitHub."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(UPSTREAM):
                name = value.removeprefix(UPSTREAM)
                out[key] = (HERE / "hsds-3.0" / TABLE_FOR_COMPILED.get(name, name)).as_uri()
            else:
                out[key] = with_local_refs(value)
        return out
    if isinstance(node, list):
        return [with_local_refs(v) for v in node]
    return node


def response_schema(path: str) -> dict[str, Any]:
    """The 200 response schema of ``GET path`` in the reference OpenAPI, with local refs."""
    openapi = _load("hsds-3.0/openapi.json")
    page = dict(openapi["components"]["schemas"]["Page"])
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = _rewrite(schema, page)
    if "allOf" in schema:
        page_fields = [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ]
        schema = {**schema, "required": page_fields}
    return schema


def response_validator(path: str):
    """A ``jsonschema`` validator (with format checking) for ``GET path`` responses."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        response_schema(path), registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def record_validator(relative: str):
    """A validator for one vendored record schema, e.g. ``"hsds-3.1/service_capacity.json"``."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$ref": BASE + relative}, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
