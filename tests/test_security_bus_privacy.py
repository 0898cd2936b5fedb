"""No survivor data on the bus or in plaintext at rest ("Events carry opaque references … never a name, address, phone,
date of birth or free text about the abuse"; principle 7: "the personal fields of a case are encrypted at rest").
"""

from __future__ import annotations

import importlib
import pkgutil

import msgspec
import nats
import pytest

import haven_contracts.events
from haven_contracts.messages import _EVENT_TYPES, _REQUEST_TYPES
from haven_runtime.privacy import (  # noqa: F401
    PERSONAL_KEYS,
    assert_no_plaintext,
    bus_sniffer,
    scan_message,
    sniff,
)
from haven_runtime.testing import eventually, flushed
from haven_runtime.testing.plugins import case_with_accepted_duty

CASEWORK = {"purpose": "casework"}  # haven_runtime.audit.PURPOSES

for _module in pkgutil.iter_modules(haven_contracts.events.__path__):
    importlib.import_module(f"haven_contracts.events.{_module.name}")


PERSON = {
    "name": "Ophelia Invented-Testperson",
    "date_of_birth": "1987-03-14",
    "address": "Flat 9, 31 Nowhere Terrace, London SE18 9ZQ",
    "phone": "07700 900461",
    "safe_contact": "Call via sister Wilhelmina on 07700 900462 after 6pm",
}
CANARIES = ["Ophelia", "Testperson", "Nowhere Terrace", "SE18 9ZQ", "07700 900461", "Wilhelmina", "900462"]


# -- the detector -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, rule",
    [
        ({"case_ref": "CASE-1", "name": "Jo"}, "personal field 'name'"),
        ({"case_ref": "CASE-1", "extra": {"date_of_birth": "1990-01-01"}}, "personal field 'date_of_birth'"),
        ({"case_ref": "CASE-1", "outcome": "call 07700 900123"}, "looks like uk_phone"),
        ({"case_ref": "CASE-1", "outcome": "moved to DA1 9QQ"}, "looks like uk_postcode"),
        ({"case_ref": "CASE-1", "contact": "someone@example.org"}, "looks like email"),
        ({"case_ref": "CASE-1", "outcome": "she left after he threatened her again"}, "free text"),
        ({"items": [{"notes": "x"}]}, "personal field 'notes'"),
    ],
)
def test_detector_flags_personal_fields_and_values(payload, rule):
    found = scan_message("haven.options.evt.case-closed.v1.bexley", msgspec.json.encode(payload))
    assert rule in [f.rule for f in found]


def test_detector_flags_invented_values_anywhere_even_in_headers_and_raw_bytes():
    found = scan_message(
        "haven.options.evt.x.v1.bexley", b"\x00not json Ophelia", {"ce-subject": "Testperson"}, canaries=CANARIES
    )
    assert {f.where for f in found} == {"raw", "header:ce-subject"}


def test_detector_exempts_inbox_replies_and_accepts_references_and_purposes():
    reply = msgspec.json.encode({"person": PERSON})
    assert scan_message("_INBOX.abc.def", reply, canaries=CANARIES) == []
    event = {
        "org": "bexley",
        "to_org": "bromley",
        "case_ref": "CASE-7K3QD9X2MB",
        "addressed_to": ["bromley-dv-lead"],
        "notified_at": "2026-11-23T10:00:00Z",
    }
    assert scan_message("haven.options.evt.move-notified.v1.bexley.bromley", msgspec.json.encode(event)) == []
    request = {
        "target_org": "bromley",
        "requested_by": "bexley",
        "purpose": "JWA advance contact with the named DV lead and team manager",
    }
    assert scan_message("haven.directory.req.role-holders.v1.bromley", msgspec.json.encode(request)) == []


# -- the contracts ------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(_EVENT_TYPES), ids=lambda k: f"{k[0]}.{k[1]}.v{k[2]}")
def test_no_event_contract_declares_a_personal_field(key):
    """Events are stored in streams and read by integrators: no field may be personal."""
    fields = set(_EVENT_TYPES[key].__struct_fields__)
    assert not fields & PERSONAL_KEYS, f"event {key} declares personal field(s) {sorted(fields & PERSONAL_KEYS)}"


@pytest.mark.parametrize("key", sorted(_REQUEST_TYPES), ids=lambda k: f"{k[0]}.{k[1]}.v{k[2]}")
def test_no_request_contract_declares_a_personal_field(key):
    """Requests travel on ``haven.*.req.*`` (seen by the responder's whole queue group); only replies may carry
    details."""
    fields = set(_REQUEST_TYPES[key].__struct_fields__)
    assert not fields & PERSONAL_KEYS, f"request {key} declares personal field(s) {sorted(fields & PERSONAL_KEYS)}"


# -- over a real nats-server --------------------------------------------------------------


@pytest.mark.hostile_bus_input
async def test_sniffer_catches_a_leak(nats_server):
    """The control: a personal field published on an event subject is found."""
    async with sniff(nats_server.url, canaries=CANARIES) as sniffer:
        nc = await nats.connect(nats_server.url)
        await nc.publish(
            "haven.options.evt.case-opened.v1.bexley", msgspec.json.encode({"case_ref": "C", "name": PERSON["name"]})
        )
        await nc.publish("_INBOX.x.y", msgspec.json.encode({"person": PERSON}))
        await flushed(nc)
        await eventually(lambda: len(sniffer.subjects) >= 2)
        await nc.close()
    assert {f.rule for f in sniffer.findings} == {"personal field 'name'", "invented personal value"}
    assert all(f.subject.startswith("haven.") for f in sniffer.findings)
    with pytest.raises(AssertionError, match="personal data on the bus"):
        sniffer.assert_clean()


@pytest.mark.rule("jwa.advance-notification")
async def test_jwa_flow_puts_no_personal_data_on_the_bus(start_service, token, bus_sniffer):
    """Seed ``000_93a7cd5d2a8b6030.txt``: borough A contacts B's named officers in advance.
    The role-holder reply carries officers' names and contacts, on ``_INBOX`` only."""
    await start_service("directory")
    options = await start_service("options")
    case_ref = await case_with_accepted_duty(options, token("bexley", "options_officer"))
    r = await options.post(
        "/jwa/notifications",
        json={"case_ref": case_ref, "to_org": "bromley"},
        headers=token("bexley", "options_officer"),
    )
    assert r.status_code == 201, r.text
    await eventually(lambda: any(s.startswith("haven.options.evt.move-notified") for s in bus_sniffer.subjects))
    assert any(s.startswith("haven.directory.req.role-holders") for s in bus_sniffer.subjects)
    assert bus_sniffer.inbox_messages >= 1


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_opening_a_case_puts_no_personal_data_on_the_bus_or_in_plaintext_on_disk(
    start_service, token, bus_sniffer, haven_settings, db_backend
):
    """A case with invented personal details: none of them reaches the bus, and a raw scan
    of the options database (file and WAL) finds none of them in plaintext."""
    bus_sniffer.canaries |= set(CANARIES)
    options = await start_service("options")
    officer = token("bexley", "options_officer")
    r = await options.post("/cases", json={"person": PERSON, "channel": "reception"}, headers=officer)
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    read = await options.get(f"/cases/{ref}", params=CASEWORK, headers=officer)
    assert read.status_code == 200, read.text
    assert PERSON["name"] in read.text, "the owner reads the details back decrypted"
    await eventually(lambda: any(s.startswith("haven.options.evt.case-opened") for s in bus_sniffer.subjects))
    await assert_no_plaintext(haven_settings.database_url("options"), CANARIES)


async def test_raw_scan_finds_plaintext_when_it_is_there(tmp_path):
    import sqlite3

    path = tmp_path / "leaky.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("create table person (name text)")
        conn.execute("insert into person values (?)", (PERSON["name"],))
    with pytest.raises(AssertionError, match="Ophelia"):
        await assert_no_plaintext(f"sqlite:///{path}", CANARIES)
    await assert_no_plaintext(path, ["never stored"])


async def test_postgres_scan_finds_plaintext_when_it_is_there():
    from haven_runtime.testing import (
        create_postgres_database,
        drop_postgres_database,
        postgres_dsn,
    )

    base = postgres_dsn()
    if not base:
        pytest.skip("HAVEN_TEST_POSTGRES_DSN is not set")
    import asyncpg

    name = "haven_test_scan_leak"
    await drop_postgres_database(base, name)
    dsn = await create_postgres_database(base, name)
    try:
        conn = await asyncpg.connect(dsn)
        await conn.execute("create table person (id serial, name text, blob bytea, extra jsonb)")
        await conn.execute(
            "insert into person (name, blob, extra) values ('nobody', $1, $2)",
            PERSON["address"].encode(),
            '{"phone": "07700 900461"}',
        )
        await conn.close()
        with pytest.raises(AssertionError, match="Nowhere Terrace"):
            await assert_no_plaintext(dsn, ["Nowhere Terrace"])
        with pytest.raises(AssertionError, match="07700 900461"):
            await assert_no_plaintext(dsn, ["07700 900461"])
        await assert_no_plaintext(dsn, ["Ophelia"])
    finally:
        await drop_postgres_database(base, name)
