"""Hostile input: "Oversized bodies, wrong content types, unknown fields in HTTP
bodies, injection strings and invalid Unicode are rejected with 4xx and leave nothing
changed; malformed or hostile bus messages end as dead-letter records."

Every body-taking operation of every service is tried, found from the running app's OpenAPI,
and each service's database is compared byte-for-byte in content before and after.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from typing import Any
from urllib.parse import quote

import msgspec
import nats
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings

from haven_runtime.identity import ROLES, issue_token
from haven_runtime.serve import service_definitions
from haven_runtime.testing import bus_settled, eventually

SERVICES = sorted(service_definitions())
ORG = "bexley"
MAX_BODY = 1_048_576
INJECTIONS = [
    "'; DROP TABLE haven_audit; --",
    "\" OR 1=1 --",
    "<script>alert(1)</script>",
    "{{7*7}}${7*7}",
    "../../../../etc/passwd",
    "\u202eevil\u0000nul",
    "haven.options.evt.>",
]


def snapshot(path: str) -> dict[str, str]:
    """A digest of every row of every table (read through SQLite, so WAL content counts)."""
    path = path.removeprefix("sqlite:///")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0] for r in conn.execute("select name from sqlite_master where type='table' and name not like 'sqlite_%'")
        ]
        out = {}
        for t in tables:
            rows = conn.execute(f'select * from "{t}"').fetchall()
            out[t] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return out
    finally:
        conn.close()


def body_operations(schema) -> list:
    ops = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() in ("POST", "PUT", "PATCH") and op.body:
            ops.append(op)
    return ops


def valid_body(op) -> Any:
    """One schema-valid body for ``op`` (drawn with Hypothesis in the calling thread)."""
    found: list[Any] = []

    @hsettings(
        max_examples=1,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(op.as_strategy(path_parameters={"org": ORG} if "{org}" in op.path else None))
    def draw(case):
        found.append(case.body)

    draw()
    return found[0]


def url_for(op) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ORG if m.group(1) == "org" else "NOPE-0000000000", op.path)


async def setup(service, start_service, haven_settings):
    for other in SERVICES:
        if other != service:
            await start_service(other)
    client = await start_service(service)
    await bus_settled(haven_settings, SERVICES)
    schema = schemathesis.openapi.from_dict((await client.get("/schema/openapi.json")).json())
    token = issue_token("hostile", ORG, sorted(ROLES), settings=haven_settings)
    return client, schema, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("service", SERVICES)
async def test_hostile_http_input_gets_4xx_and_changes_nothing(service, start_service, haven_settings):
    client, schema, auth = await setup(service, start_service, haven_settings)
    await malformed_bodies(service, client, schema, auth, haven_settings)
    await unknown_fields(service, client, schema, auth, haven_settings)
    await injection_strings(service, client, schema, auth, haven_settings)


async def malformed_bodies(service, client, schema, auth, haven_settings):
    """Oversized, wrongly typed, invalid UTF-8, lone surrogates, not JSON, deep nesting: 4xx (413 for size)."""
    ops = body_operations(schema)
    db = haven_settings.database_url(service)
    before = snapshot(db)
    bad = []
    for op in ops:
        url = url_for(op)
        attempts = {
            "oversized": dict(
                content=b'{"x":"' + b"a" * (MAX_BODY + 10) + b'"}', headers={**auth, "content-type": "application/json"}
            ),
            "wrong content type": dict(content=b"<x>1</x>", headers={**auth, "content-type": "application/xml"}),
            "form instead of JSON": dict(
                content=b"a=1&b=2", headers={**auth, "content-type": "application/x-www-form-urlencoded"}
            ),
            "invalid UTF-8": dict(
                content=b'{"a": "\xff\xfe\xfa"}', headers={**auth, "content-type": "application/json"}
            ),
            "lone surrogate": dict(content=b'{"a": "\\udc80"}', headers={**auth, "content-type": "application/json"}),
            "not JSON": dict(content=b"{not json", headers={**auth, "content-type": "application/json"}),
            "JSON array": dict(content=b"[]", headers={**auth, "content-type": "application/json"}),
            "deeply nested": dict(
                content=b"[" * 5000 + b"]" * 5000, headers={**auth, "content-type": "application/json"}
            ),
        }
        for what, kwargs in attempts.items():
            r = await client.request(op.method.upper(), url, **kwargs)
            expected = {413} if what == "oversized" else range(400, 500)
            if r.status_code not in expected:
                bad.append(f"{op.label} {what} -> {r.status_code} {r.text[:150]}")
    assert not bad, "malformed bodies not refused with 4xx:\n" + "\n".join(bad)
    assert snapshot(db) == before, "a refused request changed the database"


async def unknown_fields(service, client, schema, auth, haven_settings):
    """An unknown field in an otherwise valid body: 400 naming the field, nothing stored."""
    db = haven_settings.database_url(service)
    bad, tried = [], 0
    for op in body_operations(schema):
        body = await asyncio.to_thread(valid_body, op)
        if not isinstance(body, dict):
            continue
        tried += 1
        before = snapshot(db)
        # first in the object, so the decoder meets it before any other problem with the body
        r = await client.request(op.method.upper(), url_for(op), json={"zz_smuggled_field": True, **body}, headers=auth)
        if r.status_code != 400 or "zz_smuggled_field" not in r.text:
            bad.append(f"{op.label} -> {r.status_code} {r.text[:200]}")
        elif snapshot(db) != before:
            bad.append(f"{op.label}: refused but changed the database")
    assert not bad, "unknown body fields not refused with 400 naming the field:\n" + "\n".join(bad)


async def injection_strings(service, client, schema, auth, haven_settings):
    """Injection strings in every string field, query parameter and path segment: 4xx or a
    normal answer that stores them as inert data — never 5xx, never a dropped table."""
    errors = []
    for result in schema.get_all_operations():
        op = result.ok()
        for payload in INJECTIONS:
            url = re.sub(r"\{(\w+)\}", lambda m: ORG if m.group(1) == "org" else quote(payload, safe=""), op.path)
            kwargs: dict[str, Any] = {"headers": auth, "params": {"status": payload, "q": payload, "org": payload}}
            if op.method.upper() in ("POST", "PUT", "PATCH") and op.body:
                body = await asyncio.to_thread(valid_body, op)
                if isinstance(body, dict):
                    kwargs["json"] = {k: (payload if isinstance(v, str) else v) for k, v in body.items()}
            r = await client.request(op.method.upper(), url, **kwargs)
            if r.status_code >= 500:
                errors.append(f"{op.label} with {payload!r} -> {r.status_code} {r.text[:150]}")
    assert not errors, "\n".join(errors)
    tables = snapshot(haven_settings.database_url(service))
    assert "haven_audit" in tables and "haven_outbox" in tables


async def test_hostile_bus_messages_end_as_dead_letters(start_service, nats_server):
    """A message on a consumed subject that is not a Haven event (no envelope, garbage body,
    or an envelope with a hostile payload) is dead-lettered with a reason, not applied."""
    options = await start_service("options")
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    subject = "haven.options.evt.move-notified.v1.bexley.bromley"
    await js.publish(subject, b"\xff\xfe not json")
    await js.publish(
        subject,
        b'{"org": "bexley"}',
        headers={
            "ce-id": "01HOSTILE0000000000000000A",
            "ce-type": "haven.options.move-notified.v1",
            "ce-source": "x",
            "ce-time": "2026-11-23T10:00:00Z",
            "ce-specversion": "1.0",
        },
    )
    await js.publish(
        subject,
        msgspec.json.encode({"org": "'; DROP TABLE haven_inbox; --", "to_org": "bromley"}),
        headers={
            "ce-id": "01HOSTILE0000000000000000B",
            "ce-type": "haven.options.move-notified.v1",
            "ce-source": "x",
            "ce-time": "2026-11-23T10:00:00Z",
            "ce-specversion": "1.0",
        },
    )
    await nc.close()
    table = options.app.state["haven"].store.tables.dead_letter

    async def dead():
        rows = await table.select(table.reason, table.event_id)
        return rows if len(rows) >= 3 else None

    rows = await eventually(dead)
    assert all(r["reason"].startswith("undecodable") for r in rows), rows
    inbox = await options.get(
        "/jwa/inbox",
        headers={
            "Authorization": "Bearer "
            f"{issue_token('x', 'bromley', ['dv_lead'], settings=options.app.state['haven'].settings)}"
        },
    )
    assert inbox.status_code == 200 and inbox.json() == []
