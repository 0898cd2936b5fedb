"""Retention and the append-only audit trail: "closed cases past a configured period
can be erased (personal fields) leaving anonymous statistics; erasure is audited", and "the
trail is append-only (no update or delete path)"."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.crypto import FieldCipher
from haven_runtime.identity import Principal
from haven_runtime.privacy import assert_no_plaintext
from haven_runtime.retention import ErasurePolicy, erase_expired, protect_append_only
from haven_runtime.schema import create_tables
from haven_runtime.store import Store
from haven_runtime.tables import runtime_tables

NOW = datetime(2032, 6, 1, 12, 0, tzinfo=UTC)
KEY = ("k1", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=")


class RetainedCase(Table, tablename="retained_case"):
    ref = Varchar(length=40, unique=True)
    org = Varchar(length=63)
    channel = Varchar(length=40)
    status = Varchar(length=20)
    closed_at = Timestamptz(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)
    name = Text(null=True, default=None)
    name_index = Varchar(length=64, null=True, default=None)
    address = Text(null=True, default=None)


POLICY = ErasurePolicy(
    entity="case",
    table=RetainedCase,
    ref_column="ref",
    closed_column="closed_at",
    erased_column="erased_at",
    personal_fields=("name", "name_index", "address"),
)


@pytest.fixture
async def store(tmp_path):
    tables = runtime_tables("options")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    await db.start(engine, [*tables.all(), RetainedCase])
    await create_tables(engine, [*tables.all(), RetainedCase])
    await protect_append_only(engine, tables.audit._meta.tablename)
    yield Store(engine, tables)
    await db.stop(engine)


async def add(cipher, ref, *, closed_days_ago=None, status="closed"):
    closed = NOW - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    await RetainedCase.insert(
        RetainedCase(
            ref=ref,
            org="bexley",
            channel="reception",
            status=status if closed else "open",
            closed_at=closed,
            name=cipher.encrypt(f"Invented Person {ref}", ref=ref, field="name"),
            name_index=cipher.blind_index(f"Invented Person {ref}", field="name"),
            address=cipher.encrypt(f"{ref} Fictional Street", ref=ref, field="address"),
        )
    )


async def test_expired_closed_cases_lose_their_personal_fields_and_keep_statistics(store, tmp_path):
    cipher = FieldCipher([KEY], "blind")
    await add(cipher, "CASE-OLD", closed_days_ago=400)
    await add(cipher, "CASE-RECENT", closed_days_ago=10)
    await add(cipher, "CASE-OPEN")
    admin = Principal(sub="retention-job", org="bexley", roles=frozenset({"admin"}))
    report = await erase_expired(store, POLICY, retention=timedelta(days=365), now=NOW, principal=admin)
    assert report.erased == ["CASE-OLD"]
    rows = {r["ref"]: r for r in await RetainedCase.select()}
    assert (
        rows["CASE-OLD"]["name"] is None
        and rows["CASE-OLD"]["address"] is None
        and rows["CASE-OLD"]["name_index"] is None
    )
    assert rows["CASE-OLD"]["erased_at"] is not None
    assert rows["CASE-RECENT"]["name"] and rows["CASE-OPEN"]["name"]
    # anonymous statistics survive: counts by status and channel are unchanged
    assert sorted((r["status"], r["channel"]) for r in rows.values()) == [
        ("closed", "reception"),
        ("closed", "reception"),
        ("open", "reception"),
    ]
    trail = await store.audit_writer.who_has_seen("case", "CASE-OLD")
    assert [(e.action, e.actor, e.entity_org) for e in trail] == [("erase", "retention-job", "bexley")]
    assert "retention" in trail[0].purpose
    again = await erase_expired(store, POLICY, retention=timedelta(days=365), now=NOW)
    assert again.erased == [], "erasure is idempotent"


async def test_erased_ciphertexts_are_overwritten_on_disk(store, tmp_path):
    cipher = FieldCipher([KEY], "blind")
    await add(cipher, "CASE-GONE", closed_days_ago=1000)
    token = (await RetainedCase.select(RetainedCase.name).first())["name"]
    await erase_expired(store, POLICY, retention=timedelta(days=365), now=NOW)
    await store.engine.run_ddl("PRAGMA wal_checkpoint(TRUNCATE)")
    await assert_no_plaintext(tmp_path / "r.sqlite3", [token.split(":")[2][:24]])


@pytest.mark.parametrize("statement", ["update haven_audit set actor = 'someone-else'", "delete from haven_audit"])
async def test_audit_trail_refuses_update_and_delete(store, tmp_path, statement):
    await store.audit_writer.write(None, "read", "case", "CASE-1", purpose="test")
    conn = sqlite3.connect(tmp_path / "r.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(statement)
    conn.close()
    assert [e.actor for e in await store.audit_writer.who_has_seen("case", "CASE-1")] == ["system"]


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_every_service_protects_its_audit_trail(start_service, haven_settings, db_backend):
    """The app factory installs the triggers at start-up in every service's database."""
    from haven_runtime.serve import service_definitions

    for name in sorted(service_definitions()):
        await start_service(name)
        url = haven_settings.database_url(name)
        if db_backend == "postgres":
            import asyncpg

            conn = await asyncpg.connect(url)
            try:
                await conn.execute(
                    "insert into haven_audit (at, actor, actor_org, roles, action, entity, entity_ref, entity_org, "
                    "purpose, detail) values (now(), 'a', 'b', '', 'read', 'case', 'C', '', '', '{}')"
                )
                for statement in (
                    "update haven_audit set actor = 'x'",
                    "delete from haven_audit",
                    "truncate haven_audit",
                ):
                    with pytest.raises(asyncpg.PostgresError, match="append-only"):
                        await conn.execute(statement)
                assert await conn.fetchval("select count(*) from haven_audit where actor = 'a'") == 1
            finally:
                await conn.close()
            continue
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            conn.execute(
                "insert into haven_audit (at, actor, actor_org, roles, action, entity, entity_ref, entity_org, "
                "purpose, detail) values ('2026-01-01', 'a', 'b', '', 'read', 'case', 'C', '', '', '{}')"
            )
            conn.commit()
            for statement in ("update haven_audit set actor = 'x'", "delete from haven_audit"):
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    conn.execute(statement)
        finally:
            conn.close()


async def test_auditors_answer_who_has_seen_a_record(start_service, token):
    """As required: "An audit query answers 'who has seen this case'" — scoped to the auditor's organisation."""
    directory = await start_service("directory")
    r = await directory.get(
        "/orgs/bromley/positions/dv_lead",
        params={"purpose": "contact"},
        headers=token("bexley", "options_officer", sub="bexley-officer-7"),
    )
    assert r.status_code == 200
    r = await directory.get(
        "/orgs/bromley/positions/dv_lead",
        params={"purpose": "contact"},
        headers=token("bromley", "team_manager", sub="bromley-manager-2"),
    )
    assert r.status_code == 200
    trail = await directory.get(
        "/-/audit", params={"entity": "position", "ref": "bromley:dv_lead"}, headers=token("bromley", "auditor")
    )
    assert trail.status_code == 200, trail.text
    assert [(e["actor"], e["actor_org"], e["action"]) for e in trail.json()] == [
        ("bexley-officer-7", "bexley", "read"),
        ("bromley-manager-2", "bromley", "read"),
    ]
    assert all(e["purpose"] for e in trail.json()), "every entry says why"
    theirs = await directory.get(
        "/-/audit", params={"entity": "position", "ref": "bromley:dv_lead"}, headers=token("greenwich", "auditor")
    )
    assert theirs.status_code == 200 and theirs.json() == []
    assert (
        await directory.get(
            "/-/audit",
            params={"entity": "position", "ref": "bromley:dv_lead"},
            headers=token("bromley", "team_manager"),
        )
    ).status_code == 403
