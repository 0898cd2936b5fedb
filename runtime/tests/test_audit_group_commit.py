"""Group commit of audit records for reads: every read still answers only after
its own audit record is committed, concurrent reads share one transaction, and a failed
batch fails every read in it (nothing is answered unaudited)."""

from __future__ import annotations

import asyncio

import pytest

from haven_runtime import db
from haven_runtime.identity import Principal
from haven_runtime.schema import create_tables
from haven_runtime.store import Store
from haven_runtime.tables import runtime_tables

OFFICER = Principal(sub="officer-1", org="bexley", roles=frozenset({"options_officer"}))


@pytest.fixture
async def store(tmp_path):
    tables = runtime_tables("options")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    await db.start(engine, tables.all())
    await create_tables(engine, tables.all())
    yield Store(engine, tables)
    await db.stop(engine)


async def test_each_read_returns_after_its_record_is_committed_and_batches_share_a_commit(store, monkeypatch):
    batches = 0
    real = store._audit_insert.insert

    async def counting(rows):
        nonlocal batches
        batches += 1
        await real(rows)

    monkeypatch.setattr(store._audit_insert, "insert", counting)
    audit = store.tables.audit

    async def read(n: int) -> int:
        await store.audit_committed(OFFICER, "read", "case", f"CASE-{n}", entity_org="bexley", purpose="case work")
        # committed: visible to a fresh read outside any transaction
        return await audit.count().where(audit.entity_ref == f"CASE-{n}")

    assert await asyncio.gather(*(read(n) for n in range(40))) == [1] * 40
    assert await audit.count() == 40
    assert batches < 40


async def test_a_failed_batch_fails_every_read_in_it(store):
    audit = store.tables.audit
    table = audit._meta.tablename
    await store.engine.run_ddl(f"ALTER TABLE {table} RENAME TO {table}_away")  # every insert now fails
    results = await asyncio.gather(
        *(store.audit_committed(OFFICER, "read", "case", f"C-{n}") for n in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, Exception) and "no such table" in str(r) for r in results), results
    await store.engine.run_ddl(f"ALTER TABLE {table}_away RENAME TO {table}")
    await store.audit_committed(OFFICER, "read", "case", "C-ok")  # the next batch works
    assert await audit.count() == 1


async def test_a_batch_larger_than_one_statement_commits_in_one_transaction(store):
    store._audit_insert.max_rows = 4  # 30 concurrent reads: batches of several statements
    audit = store.tables.audit
    await asyncio.gather(*(store.audit_committed(OFFICER, "read", "case", f"B-{n}") for n in range(30)))
    assert await audit.count() == 30
