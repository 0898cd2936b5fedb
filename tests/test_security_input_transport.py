"""Input and transport (items 7–11 and 18), against the running services.

* JSON bodies must be sent as JSON (415 otherwise) and nothing is stored;
* control characters in any text field of any JSON body are refused naming the field, on
  SQLite and PostgreSQL;
* security headers on JSON, the printable sheet and errors; a ``Secure`` cookie over HTTPS;
* the bad-token limiter never refuses a valid token, and believes ``X-Forwarded-For`` only
  from ``HAVEN_TRUSTED_PROXIES`` (served by uvicorn exactly as in production);
* past facts (date of birth, approach) are not dated in the future, with the clock injected;
* ``haven migrate`` against a missing database says so in one line.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import msgspec
import pytest

from haven_runtime.app import context_of
from haven_runtime.identity import ROLES, issue_token
from haven_runtime.serve import server_config, service_definitions
from haven_runtime.testing import make_settings, postgres_dsn
from haven_runtime.validation import not_in_future

PERSON = {"name": "Jo Invented-Example", "date_of_birth": "1990-02-03", "safe_contact": "text only"}
CASE = {"person": PERSON, "channel": "reception", "tenure": "council_secure"}


async def _cases(options, headers) -> list:
    r = await options.get("/cases", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


# -- item 7: JSON bodies are JSON ----------------------------------------------------------


async def test_a_json_body_not_sent_as_json_gets_415_and_stores_nothing_while_page_forms_still_work(
    start_service, token
):
    options = await start_service("options")
    officer = token("bromley")
    body = msgspec.json.encode(CASE)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
        headers = {**officer, **({"content-type": content_type} if content_type else {})}
        r = await options.post("/cases", content=body, headers=headers)
        assert r.status_code == 415, (content_type, r.status_code, r.text)
    assert await _cases(options, officer) == []
    ok = await options.post(
        "/cases", content=body, headers={**officer, "content-type": "application/json; charset=utf-8"}
    )
    assert ok.status_code == 201, ok.text
    # the officers' own form posts go to page routes, which read form bodies
    options.cookies.set("haven_token", officer["Authorization"].split()[1])
    page = await options.post(
        "/pages/cases/new", data={"name": "Jo Invented-Example", "channel": "reception"}, follow_redirects=False
    )
    assert page.status_code == 303, page.text
    assert len(await _cases(options, officer)) == 2


# -- item 8: control characters ---------------------------------------------------------------


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_control_characters_in_text_fields_are_refused_naming_the_field_on_both_databases(start_service, token):
    options = await start_service("options")
    officer = token("bromley")
    refused = {
        "person.name": {**CASE, "person": {**PERSON, "name": "Jo\x00Invented"}},
        "person.safe_contact": {**CASE, "person": {**PERSON, "safe_contact": "call \x1b[2J after six"}},
        "person.address": {**CASE, "person": {**PERSON, "address": "12 Nowhere Lane\x7f"}},
        "person.landlord_name": {**CASE, "person": {**PERSON, "landlord_name": "C1\x85control"}},
    }
    for field, body in refused.items():
        r = await options.post("/cases", json=body, headers=officer)
        assert r.status_code == 400, (field, r.status_code, r.text)
        assert r.json()["extra"][0]["key"] == field and field in r.json()["detail"], r.text
    assert await _cases(options, officer) == [], "nothing stored"
    # free text keeps its tabs and line breaks
    kept = await options.post(
        "/cases", json={**CASE, "person": {**PERSON, "safe_contact": "text only\r\nafter six\tpm"}}, headers=officer
    )
    assert kept.status_code == 201, kept.text
    read = await options.get(f"/cases/{kept.json()['ref']}", params={"purpose": "casework"}, headers=officer)
    assert read.json()["person"]["safe_contact"] == "text only\r\nafter six\tpm"


async def test_every_json_body_of_every_service_refuses_a_control_character_before_its_schema(
    start_service, haven_settings
):
    """One mechanism for all request schemas, present and future: every operation that takes a
    JSON body answers 400 naming the field, whatever the field."""
    clients = {name: await start_service(name) for name in sorted(service_definitions())}
    auth = {"Authorization": f"Bearer {issue_token('hostile', 'bexley', sorted(ROLES), settings=haven_settings)}"}
    bad, tried = [], 0
    for name, client in clients.items():
        spec = (await client.get("/schema/openapi.json")).json()
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if "application/json" not in (op.get("requestBody") or {}).get("content", {}):
                    continue
                tried += 1
                url = re.sub(r"\{(\w+)\}", lambda m: "bexley" if m.group(1) == "org" else "NOPE-0000000000", path)
                r = await client.request(method.upper(), url, json={"zz_note": "a\x00b"}, headers=auth)
                if r.status_code != 400 or "zz_note" not in r.text or "control character" not in r.text:
                    bad.append(f"{name} {method.upper()} {path} -> {r.status_code} {r.text[:120]}")
    assert tried > 20
    assert not bad, "\n".join(bad)


# -- item 9: headers and the cookie ------------------------------------------------------------


async def test_personal_json_the_printable_sheet_and_errors_carry_no_store_nosniff_and_html_a_csp(start_service, token):
    options = await start_service("options")
    officer = token("bromley")
    case = (await options.post("/cases", json=CASE, headers=officer)).json()
    read = await options.get(f"/cases/{case['ref']}", params={"purpose": "casework"}, headers=officer)
    assert read.json()["person"]["name"] == PERSON["name"]
    assert read.headers["cache-control"] == "no-store" and read.headers["x-content-type-options"] == "nosniff"
    first_option = (await options.get(f"/cases/{case['ref']}/options", headers=officer)).json()[0]["id"]
    offered = await options.post(
        f"/cases/{case['ref']}/options/offer", json={"option_ids": [first_option]}, headers=officer
    )
    assert offered.status_code == 201, offered.text
    issued = await options.post(
        f"/cases/{case['ref']}/sheets",
        json={"officer_name": "A Officer", "officer_contact": "0208 000 0000"},
        headers=officer,
    )
    assert issued.status_code == 201, issued.text
    sheet = await options.get(f"/cases/{case['ref']}/sheets/1", params={"format": "html"}, headers=officer)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert sheet.headers["cache-control"] == "no-store" and sheet.headers["x-content-type-options"] == "nosniff"
    csp = sheet.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'sha256-" in csp and "unsafe-inline" not in csp, csp
    assert sheet.headers["x-frame-options"] == "DENY"
    style = re.search(r"<style>(.*?)</style>", sheet.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp, "the sheet's own style is allowed by the policy"
    refused = await options.get(f"/cases/{case['ref']}")
    assert refused.status_code == 401 and refused.headers["x-content-type-options"] == "nosniff"
    assert refused.headers["cache-control"] == "no-store"


async def test_sign_in_cookie_is_secure_over_https_and_not_over_plain_http(start_service):
    options = await start_service("options")
    form = {"sub": "officer-7", "org": "bromley", "roles": ["options_officer"]}
    https = await options.post("https://testserver.local/signin", data=form, follow_redirects=False)
    assert https.status_code == 303 and "; secure" in https.headers["set-cookie"].lower()
    plain = await options.post("http://testserver.local/signin", data=form, follow_redirects=False)
    assert plain.status_code == 303 and "secure" not in plain.headers["set-cookie"].lower()


# -- item 10: the bad-token limiter and forwarded headers --------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _served(settings, service: str):
    """The service served by uvicorn with the production server settings, on a free local port."""
    import uvicorn

    from haven_runtime.plugins import build_plugin_manager

    app = service_definitions()[service].load()(settings=settings, plugins=build_plugin_manager(settings))
    port = _free_port()
    server = uvicorn.Server(server_config(app, settings, service, port=port))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
async def test_valid_tokens_are_never_refused_and_forwarded_addresses_count_only_from_trusted_proxies(
    tmp_path, nats_server, trusted
):
    settings = make_settings(
        tmp_path / "rl", nats_server.url, HAVEN_RATE_LIMIT_AUTH_FAILURES="5", HAVEN_TRUSTED_PROXIES=trusted
    )
    server, task, base = await _served(settings, "directory")
    path = "/orgs/bromley/positions/dv_lead?purpose=contact"
    good = {"Authorization": f"Bearer {issue_token('officer-1', 'bromley', ['dv_lead'], settings=settings)}"}
    try:
        async with httpx.AsyncClient(base_url=base) as http:

            async def bad(client_ip: str) -> int:
                r = await http.get(path, headers={"Authorization": "Bearer forged", "X-Forwarded-For": client_ip})
                return r.status_code

            # a caller rotating X-Forwarded-For: one client unless the peer is a trusted proxy
            statuses = [await bad(f"203.0.113.{i}") for i in range(6)]
            if trusted:
                assert statuses == [401] * 6, statuses
                assert [await bad("203.0.113.99") for _ in range(6)] == [401] * 5 + [429]
                assert await bad("203.0.113.98") == 401, "another client behind the proxy has its own allowance"
            else:
                assert statuses == [401] * 5 + [429], statuses
            blocked = await http.get(
                path, headers={"Authorization": "Bearer forged", "X-Forwarded-For": "203.0.113.99"}
            )
            assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
            for _ in range(3):
                ok = await http.get(path, headers={**good, "X-Forwarded-For": "203.0.113.99"})
                assert ok.status_code == 200, "a valid token is never refused by the bad-token limiter"
    finally:
        server.should_exit = True
        await task


def test_trusted_proxies_setting_is_validated(tmp_path):
    from haven_runtime.settings import SettingsError

    s = make_settings(tmp_path, "nats://x:1", HAVEN_TRUSTED_PROXIES="10.0.0.5, 172.16.0.0/12,::1")
    assert s.trusted_proxies == ("10.0.0.5", "172.16.0.0/12", "::1")
    with pytest.raises(SettingsError, match="HAVEN_TRUSTED_PROXIES"):
        make_settings(tmp_path, "nats://x:1", HAVEN_TRUSTED_PROXIES="proxy.internal")


def test_forwarded_chain_is_read_from_the_right_past_trusted_hops():
    from haven_runtime.forwarded import forwarded_client, parse_networks

    nets = parse_networks(["10.0.0.0/8"])
    assert forwarded_client("10.0.0.5", "198.51.100.7", nets) == "198.51.100.7"
    assert forwarded_client("10.0.0.5", "6.6.6.6, 198.51.100.7, 10.0.0.9", nets) == "198.51.100.7", (
        "a spoofed left entry is ignored"
    )
    assert forwarded_client("192.0.2.1", "198.51.100.7", nets) == "192.0.2.1", "untrusted peer: header ignored"
    assert forwarded_client("10.0.0.5", "", nets) == "10.0.0.5"


# -- item 11: past facts are not dated in the future -------------------------------------------

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London


def test_not_in_future_uses_the_london_date_and_allows_a_little_clock_skew():
    not_in_future("x", date(2026, 6, 1), now=NOON)
    not_in_future("x", date(2026, 6, 1), now=datetime(2026, 5, 31, 23, 30, tzinfo=UTC))  # 00:30 BST on 1 June
    not_in_future("x", NOON + timedelta(minutes=4), now=NOON)
    for value in (date(2026, 6, 2), NOON + timedelta(minutes=6)):
        with pytest.raises(Exception) as refused:
            not_in_future("person.date_of_birth", value, now=NOON)
        assert refused.value.status_code == 422 and "person.date_of_birth" in refused.value.detail


async def test_future_dates_of_past_facts_are_refused_by_options_and_sanctuary_with_the_clock_injected(
    start_service, token
):
    options = await start_service("options")
    sanctuary = await start_service("sanctuary")
    for client in (options, sanctuary):
        context_of(client.app).clock = lambda: NOON
    officer = token("bromley")
    refused = {
        "person.date_of_birth": {**CASE, "person": {**PERSON, "date_of_birth": "2026-06-02"}},
        "approached_at": {**CASE, "approached_at": "2026-06-01T13:00:00+01:00"},
    }
    for field, body in refused.items():
        r = await options.post("/cases", json=body, headers=officer)
        assert r.status_code == 422 and r.json()["extra"][0]["key"] == field, (field, r.text)
    assert await _cases(options, officer) == []
    ok = await options.post(
        "/cases",
        json={
            **CASE,
            "person": {**PERSON, "date_of_birth": "2026-06-01"},
            "approached_at": "2026-06-01T12:00:00+01:00",
        },
        headers=officer,
    )
    assert ok.status_code == 201, ok.text

    form = _sanctuary_form()
    form["person"]["date_of_birth"] = "2026-06-02"
    r = await sanctuary.post("/referrals", json=form, headers=token("bromley", "options_officer"))
    assert r.status_code == 422 and "person.date_of_birth" in r.text, r.text
    form["person"]["date_of_birth"] = "2026-05-31"
    r = await sanctuary.post("/referrals", json=form, headers=token("bromley", "options_officer"))
    assert r.status_code == 201, r.text


def _sanctuary_form() -> dict:
    return {
        "scheme": "dartford",
        "unsafe_to_stay": False,
        "property_type": "house",
        "tenure": "owner_occupier",
        "reason": "invented reason for a test",
        "person": {
            "name": "Jo Invented",
            "address": "1 Test Lane, Dartford DA1 1ZZ",
            "telephone": "01322 000000",
            "date_of_birth": "1990-01-02",
        },
        "referrer": {
            "name": "A Referrer",
            "position": "officer",
            "organisation": "Bromley",
            "telephone": "0208 000 0000",
            "email": "referrer@example.org",
        },
    }


# -- item 18: haven migrate against a missing database -----------------------------------------


@pytest.mark.skipif(not postgres_dsn(), reason="HAVEN_TEST_POSTGRES_DSN is not set")
def test_migrate_against_a_missing_database_prints_one_line_naming_it(tmp_path):
    head = postgres_dsn().rpartition("/")[0]
    missing = f"haven_missing_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(tmp_path),
        "HAVEN_OPTIONS_DATABASE_URL": f"{head}/{missing}",
    }
    run = subprocess.run(
        [sys.executable, "-m", "haven_runtime.ops.cli", "migrate", "--service", "options"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and missing in lines[0] and "does not exist" in lines[0] and "create" in lines[0], run.stderr
    assert "postgres@" not in lines[0], "no credentials in the message"
