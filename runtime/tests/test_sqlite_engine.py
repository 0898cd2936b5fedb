"""The shared SQLite writer and reader: one writer connection per event loop,
queued on a lock, and a reader for statements outside a transaction. These check what the
fast path must keep: no lost or doubled writes under concurrency, atomic rollback, a
clean writer after a failure, read-your-own-commits, and durability across a reopen."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.columns import Integer, Varchar
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.schema import create_tables


class Counter(Table, tablename="test_engine_counter"):
    name = Varchar(length=20, unique=True)
    value = Integer(default=0)


@pytest.fixture
async def engine(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    await db.start(engine, [Counter])
    await create_tables(engine, [Counter])
    await Counter.insert(Counter(name="c", value=0))
    yield engine
    await db.stop(engine)


async def test_one_writer_and_one_reader_per_loop_with_havens_pragmas(engine):
    assert isinstance(engine, db.HavenSQLiteEngine)
    conns = await engine.connections()
    assert conns is await engine.connections()
    for conn in (conns.reader, conns.writer):
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())["journal_mode"] == "wal"
        async with conn.execute("PRAGMA synchronous") as cur:
            assert (await cur.fetchone())["synchronous"] == 1  # NORMAL
        async with conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())["foreign_keys"] == 1


async def test_concurrent_read_modify_write_transactions_lose_nothing(engine):
    async def bump() -> None:
        async with db.write_transaction(engine):
            row = await Counter.select(Counter.value).where(Counter.name == "c").first()
            await asyncio.sleep(0)  # let the others try to interleave
            await Counter.update({Counter.value: row["value"] + 1}).where(Counter.name == "c")

    await asyncio.gather(*(bump() for _ in range(50)))
    assert (await Counter.select(Counter.value).first())["value"] == 50


async def test_a_failed_transaction_rolls_back_and_leaves_the_writer_usable(engine):
    with pytest.raises(RuntimeError):
        async with db.write_transaction(engine):
            await Counter.update({Counter.value: 99}).where(Counter.name == "c")
            raise RuntimeError("boom")
    with pytest.raises(Exception):
        async with db.write_transaction(engine):
            await Counter.insert(Counter(name="c"))  # unique violation inside the transaction
    async with db.write_transaction(engine):
        await Counter.update({Counter.value: 1}).where(Counter.name == "c")
    assert (await Counter.select(Counter.value).first())["value"] == 1
    assert not (await engine.connections()).writer.in_transaction


async def test_reads_outside_a_transaction_see_each_commit_and_not_uncommitted_work(engine):
    entered, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.write_transaction(engine):
            await Counter.update({Counter.value: 7}).where(Counter.name == "c")
            entered.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await entered.wait()
    assert (await Counter.select(Counter.value).first())["value"] == 0  # reader does not wait, sees the last commit
    release.set()
    await task
    assert (await Counter.select(Counter.value).first())["value"] == 7


async def test_commits_survive_closing_and_reopening(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    first = db.make_engine(url)
    await db.start(first, [Counter])
    await create_tables(first, [Counter])
    async with db.write_transaction(first):
        await Counter.insert(Counter(name="kept", value=3))
    await db.stop(first)
    second = db.make_engine(url)
    await db.start(second, [Counter])
    await create_tables(second, [Counter])
    assert (await Counter.select(Counter.value).where(Counter.name == "kept").first())["value"] == 3
    await db.stop(second)
