"""Every service's OpenAPI document says what its responses look like and every way it refuses.

Started as a client finds it (``GET /schema/openapi.json``), each service's document must:

* give a typed schema (a named schema, an object with properties, a list of typed items)
  for at least 95% of its JSON success responses — a bare ``{}`` or ``{"type": "object"}``
  tells a client nothing;
* document, on every operation, each error status the edge can answer for it, with the one
  error body (``ErrorBody``): 500 and 503 everywhere; 400 and 422 where there is input; 404
  where a path names a record; 401, 403 and 429 where a token is needed; 409 where the call
  changes something; 413 and 415 where there is a body;
* say ``additionalProperties: false`` for a request body the server refuses unknown fields in.

Failures name the offending operations, one service per test.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from haven_runtime.serve import service_definitions

TYPED_SHARE = 0.95
ERROR_REF = "#/components/schemas/ErrorBody"
WRITE_METHODS = {"post", "put", "patch", "delete"}
#: Error statuses an operation answers with its own documented body rather than ``ErrorBody``.
OWN_ERROR_BODIES = {("get", "/health/ready", "503")}


def _operations(doc: dict[str, Any]):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                yield method, path, op


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def typed(schema: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Whether ``schema`` tells a client the shape: named fields, typed items, a scalar type, or a
    schema published elsewhere (an absolute ``$ref``, such as Open Referral's HSDS schemas)."""
    if not schema.get("$ref", "#").startswith("#"):
        return True
    schema = _resolve(schema, doc)
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        return all(typed(s, doc) for s in alternatives if s.get("type") != "null")
    if schema.get("allOf"):  # a published schema by reference, refined or not
        return all(typed(s, doc) for s in schema["allOf"])
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        values = schema.get("additionalProperties")
        return bool(schema.get("properties")) or (isinstance(values, dict) and "$ref" in values)
    if kind == "array":
        return typed(schema.get("items") or {}, doc)
    return kind in {"string", "integer", "number", "boolean"} or "const" in schema or "enum" in schema


def json_success_responses(doc: dict[str, Any]):
    for method, path, op in _operations(doc):
        for status, response in op["responses"].items():
            media = (response.get("content") or {}).get("application/json")
            if status.startswith("2") and media is not None:
                yield f"{method.upper()} {path} {status}", media.get("schema") or {}


def missing_error_statuses(doc: dict[str, Any]) -> list[str]:
    """Operations that leave out an error status they can answer, or document one without ``ErrorBody``."""
    global_security = doc.get("security") or []
    wrong = []
    for method, path, op in _operations(doc):
        parameters = op.get("parameters") or []
        has_body = "requestBody" in op
        secured = any(requirement for requirement in (op.get("security") or global_security))
        expected = {"500", "503"}
        if has_body or parameters:
            expected |= {"400", "422"}
        if any(p.get("in") == "path" for p in parameters):
            expected.add("404")
        if secured:
            expected |= {"401", "403", "429"}
        if method in WRITE_METHODS:
            expected.add("409")
        if has_body:
            expected |= {"413", "415"}
        responses = op["responses"]
        for status in sorted(expected - responses.keys()):
            wrong.append(f"{method.upper()} {path}: {status} not documented")
        for status, response in responses.items():
            if status[0] in "45" and (method, path, status) not in OWN_ERROR_BODIES:
                schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
                if schema.get("$ref") != ERROR_REF:
                    wrong.append(f"{method.upper()} {path}: {status} is not documented with ErrorBody")
    return wrong


def lax_strict_bodies(app, doc: dict[str, Any]) -> list[str]:
    """Request bodies of ``forbid_unknown_fields`` structs whose schema allows other properties."""
    from litestar.routes import HTTPRoute

    wrong = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            data = handler.parsed_fn_signature.parameters.get("data")
            body_type = getattr(data, "annotation", None)
            config = getattr(body_type, "__struct_config__", None)
            if not (isinstance(body_type, type) and issubclass(body_type, msgspec.Struct) and config):
                continue
            if not config.forbid_unknown_fields or not handler.resolve_include_in_schema():
                continue
            op = doc["paths"][route.path_format or "/"][method.lower()]
            schema = _resolve(op["requestBody"]["content"]["application/json"]["schema"], doc)
            if schema.get("additionalProperties") is not False:
                wrong.append(f"{method} {route.path_format}: body {body_type.__name__} refuses unknown fields")
    return wrong


@pytest.mark.parametrize("service", sorted(service_definitions()))
async def test_openapi_documents_typed_responses_and_every_refusal(start_service, service):
    client = await start_service(service)
    doc = (await client.get("/schema/openapi.json")).json()

    responses = list(json_success_responses(doc))
    untyped = [f"{where}: {schema}" for where, schema in responses if not typed(schema, doc)]
    share = 1 - len(untyped) / len(responses)
    print(f"{service}: {share:.1%} of {len(responses)} JSON success responses typed")
    assert share >= TYPED_SHARE, f"{service}: only {share:.1%} typed; untyped:\n" + "\n".join(untyped)

    missing = missing_error_statuses(doc)
    assert not missing, f"{service}: error statuses:\n" + "\n".join(missing)

    lax = lax_strict_bodies(client.app, doc)
    assert not lax, f"{service}: strict bodies without additionalProperties false:\n" + "\n".join(lax)


def test_the_checks_catch_an_untyped_response_and_a_missing_or_untyped_error_status():
    FATAL = ("500", "503")  # noqa: N806
    doc = {
        "components": {"schemas": {"Out": {"type": "object", "properties": {"a": {"type": "string"}}}}},
        "security": [{"bearer": []}],
        "paths": {
            "/things/{ref}": {
                "post": {
                    "parameters": [{"name": "ref", "in": "path"}],
                    "requestBody": {},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
                        "404": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    },
                }
            },
            "/public": {
                "get": {
                    "security": [{}],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}},
                        **{s: {"content": {"application/json": {"schema": {"$ref": ERROR_REF}}}} for s in FATAL},
                    },
                }
            },
        },
    }
    assert [typed(s, doc) for _, s in json_success_responses(doc)] == [False, True]
    assert typed({"type": "array", "items": {"$ref": "#/components/schemas/Out"}}, doc)
    assert not typed({"type": "object", "additionalProperties": {}}, doc)
    missing = missing_error_statuses(doc)
    assert "POST /things/{ref}: 404 is not documented with ErrorBody" in missing
    assert "POST /things/{ref}: 401 not documented" in missing
    assert "POST /things/{ref}: 409 not documented" in missing
    assert not [m for m in missing if m.startswith("GET /public")]
