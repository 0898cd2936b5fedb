"""Every service refuses in one body shape (``haven_runtime.errors``), naming the field.

For each service, against its own OpenAPI: a body with a required field missing, a required
text field sent as a number and an unknown field are 400s whose ``extra[0].key`` is that
field (the framework alone would say ``data``); a reference that does not exist answers 403
or 404 in the same shape; and a caller whose roles allow nothing is refused in the same
shape (403 wherever a role is required).
"""

from __future__ import annotations

import re

import pytest

from haven_runtime.identity import ROLES, issue_token
from haven_runtime.serve import service_definitions

SERVICES = sorted(service_definitions())
ORG = "bexley"
NOPE = "NOPE-0000000000"


def shape(r) -> dict:
    body = r.json()
    assert set(body) == {"status_code", "detail", "extra"} and body["status_code"] == r.status_code, r.text
    assert isinstance(body["extra"], list) and all(set(i) == {"key", "message"} for i in body["extra"]), r.text
    if body["extra"]:
        assert body["detail"] == f"{body['extra'][0]['key']}: {body['extra'][0]['message']}", r.text
    return body


def url(path: str, op: dict | None = None) -> str:
    """``path`` with ``org`` set to the caller's organisation, a path parameter with a closed
    list of values set to the first of them, and every other one to a reference that does not exist."""
    closed = {
        p["name"]: p["schema"]["enum"][0]
        for p in (op or {}).get("parameters", [])
        if p.get("in") == "path" and "enum" in p.get("schema", {})
    }
    return re.sub(r"\{(\w+)\}", lambda m: ORG if m.group(1) == "org" else closed.get(m.group(1), NOPE), path)


def _schema(spec: dict, ref_or_schema: dict) -> dict:
    while "$ref" in ref_or_schema:
        ref_or_schema = spec["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[1]]
    return ref_or_schema


def body_operations(spec: dict) -> list[tuple[str, str, dict]]:
    """``(method, url, body schema)`` of every operation taking a JSON object body."""
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            content = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            if content:
                schema = _schema(spec, content["schema"])
                if schema.get("type") == "object" and schema.get("properties"):
                    ops.append((method.upper(), url(path, op), schema))
    return ops


def required_text_field(spec: dict, schema: dict) -> str | None:
    for name in schema.get("required", []):
        prop = _schema(spec, schema["properties"][name])
        if prop.get("type") == "string" and "enum" not in prop:
            return name
    return None


@pytest.mark.parametrize("service", SERVICES)
async def test_missing_wrong_typed_and_unknown_fields_not_found_and_forbidden_answer_one_shape(
    service, start_service, haven_settings
):
    client = await start_service(service)
    spec = (await client.get("/schema/openapi.json")).json()
    everyone = {"Authorization": f"Bearer {issue_token('errors', ORG, sorted(ROLES), settings=haven_settings)}"}
    nobody = {"Authorization": f"Bearer {issue_token('errors', ORG, [], settings=haven_settings)}"}
    bad: list[str] = []

    def expect(what: str, r, status: int | tuple[int, ...], key: str | None) -> None:
        statuses = status if isinstance(status, tuple) else (status,)
        try:
            body = shape(r)
        except (AssertionError, ValueError) as exc:
            bad.append(f"{what}: not the one shape: {exc}")
            return
        if r.status_code not in statuses or (key is not None and (not body["extra"] or body["extra"][0]["key"] != key)):
            bad.append(f"{what} -> {r.status_code} {r.text[:200]} (wanted {statuses} naming {key})")

    ops = body_operations(spec)
    tried = 0
    for method, target, schema in ops:
        label = f"{service} {method} {target}"
        required = schema.get("required", [])
        if required:
            tried += 1
            r = await client.request(method, target, json={}, headers=everyone)
            expect(f"{label} missing", r, 400, None)
            if r.status_code == 400 and shape(r)["extra"] and shape(r)["extra"][0]["key"] not in required:
                bad.append(
                    f"{label} missing: names {shape(r)['extra'][0]['key']!r}, not one of the required {required}"
                )
        text = required_text_field(spec, schema)
        if text:
            expect(
                f"{label} wrong type",
                await client.request(method, target, json={text: [5]}, headers=everyone),
                400,
                text,
            )
        expect(
            f"{label} unknown",
            await client.request(method, target, json={"zz_unknown": 1}, headers=everyone),
            400,
            "zz_unknown",
        )
    assert tried >= 3, f"{service}: too few operations with required fields"

    reads = 0
    for path, item in spec["paths"].items():
        params = re.findall(r"\{(\w+)\}", path)
        if "get" in item and len(params) == 1 and params[0] != "org" and path.count("/") == 2:
            reads += 1
            r = await client.get(url(path), params={"purpose": "casework"}, headers=everyone)
            expect(f"{service} GET {path} not found", r, (403, 404), None)
    assert reads >= 1, f"{service}: no read of one record by reference"

    # a caller whose roles allow nothing: every operation refuses in the one shape, most with 403
    refused = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            r = await client.request(
                method.upper(), url(path, op), json={} if op.get("requestBody") else None, headers=nobody
            )
            if r.status_code >= 400:
                expect(f"{service} {method.upper()} {path} with no roles", r, r.status_code, None)
                refused += r.status_code == 403
    assert refused >= 3, f"{service}: fewer than three operations refused a caller with no roles"
    expect(f"{service} no such route", await client.get("/no-such-route", headers=everyone), 404, None)
    expect(f"{service} no token", await client.request(ops[0][0], ops[0][1], json={}), 401, None)
    assert not bad, "\n".join(bad)
