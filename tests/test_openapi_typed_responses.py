"""Every JSON answer of the sanctuary and reciprocal APIs is described field by field in their
OpenAPI: no successful response is documented as a bare object (``{}`` or ``{"type": "object"}``
with no properties), so an integrator can generate a client from the document alone.

The documents are built from each service's controllers, as ``/schema/openapi.json`` builds them.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from litestar import Litestar
from litestar.di import Provide

SERVICES = ["sanctuary", "reciprocal"]


def _document(service: str) -> dict[str, Any]:
    controllers = importlib.import_module(f"haven_{service}.api").CONTROLLERS
    app = Litestar(
        route_handlers=controllers,
        dependencies={name: Provide(lambda: None, sync_to_thread=False) for name in ("ctx", "principal")},
    )
    return app.openapi_schema.to_schema()


def _bare(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether ``schema`` says nothing of the fields of what it describes."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    variants = schema.get("oneOf") or schema.get("anyOf")
    if variants:
        return any(_bare(v, components) for v in variants if v.get("type") != "null")
    if schema.get("type") == "array":
        return _bare(schema.get("items", {}), components)
    if not schema:
        return True
    return schema.get("type") == "object" and not schema.get("properties") and not schema.get("additionalProperties")


def _json_answers(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json")
                if status.startswith("2") and content is not None:
                    yield f"{method.upper()} {path} {status}", content.get("schema", {})


@pytest.mark.parametrize("service", SERVICES)
def test_every_successful_json_answer_has_a_typed_schema(service):
    document = _document(service)
    components = document.get("components", {}).get("schemas", {})
    answers = dict(_json_answers(document))
    assert len(answers) >= 20
    bare = sorted(name for name, schema in answers.items() if _bare(schema, components))
    assert not bare, f"{service} documents these answers without their fields: {bare}"


def test_a_bare_object_is_told_from_a_typed_one():
    components = {"Thing": {"type": "object", "properties": {"ref": {"type": "string"}}}}
    assert _bare({}, components)
    assert _bare({"type": "object"}, components)
    assert _bare({"type": "array", "items": {"type": "object"}}, components)
    assert _bare({"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "object"}]}, components)
    assert not _bare({"$ref": "#/components/schemas/Thing"}, components)
    assert not _bare({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}, components)
    assert not _bare({"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]}, components)
