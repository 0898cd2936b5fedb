"""Prepared queries (:mod:`haven_runtime.prepared`) answer exactly what the Piccolo query
they were built from answers, with values bound (never spliced into the SQL), inside and
outside transactions, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from piccolo.columns import JSON, Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.prepared import Prepared, PreparedInsert
from haven_runtime.schema import create_tables
from haven_runtime.testing import create_postgres_database, drop_postgres_database, postgres_dsn


class Thing(Table, tablename="test_prepared_thing"):
    ref = Varchar(length=40)
    org = Varchar(length=63)
    size = Integer(default=3)
    flag = Boolean(default=False)
    seen_at = Timestamptz(null=True, default=None)
    extra = JSON(default="{}")


BY_REF = Prepared(lambda ref: Thing.objects().where(Thing.ref == ref).order_by(Thing.id))
BY_REF_AND_ORG = Prepared(lambda ref, org: Thing.select().where((Thing.ref == ref) & (Thing.org == org)), params=2)
INSERT = PreparedInsert(Thing, max_rows=3)
AT = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def engine(request, tmp_path):
    name = None
    if request.param == "postgres":
        if not postgres_dsn():
            pytest.skip("HAVEN_TEST_POSTGRES_DSN is not set")
        name = f"haven_test_prepared_{uuid.uuid4().hex[:10]}"
        url = await create_postgres_database(postgres_dsn(), name)
    else:
        url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    engine = db.make_engine(url)
    await db.start(engine, [Thing])
    await create_tables(engine, [Thing])
    yield engine
    await db.stop(engine)
    if name:
        await drop_postgres_database(postgres_dsn(), name)


async def test_rows_and_objects_match_the_piccolo_query(engine):
    await INSERT.insert(
        [
            {"ref": "A", "org": "bexley", "size": 1, "flag": True, "seen_at": AT, "extra": '{"k": 1}'},
            {"ref": "A", "org": "bromley"},  # defaults for the rest
            {"ref": "B", "org": "bexley"},
        ]
    )
    ours = await BY_REF.objects("A")
    theirs = await Thing.objects().where(Thing.ref == "A").order_by(Thing.id)
    assert [t.to_dict() for t in ours] == [t.to_dict() for t in theirs] and len(ours) == 2
    assert ours[0].flag is True and ours[0].seen_at == AT and ours[1].size == 3 and ours[1].seen_at is None
    assert (await BY_REF.first("B")).org == "bexley" and await BY_REF.first("C") is None
    assert await BY_REF_AND_ORG.run("A", "bromley") == await Thing.select().where(
        (Thing.ref == "A") & (Thing.org == "bromley")
    )


async def test_values_are_bound_not_spliced(engine):
    hostile = "x' OR '1'='1"
    await INSERT.insert([{"ref": hostile, "org": "bexley"}, {"ref": "other", "org": "bexley"}])
    assert [t.ref for t in await BY_REF.objects(hostile)] == [hostile]


async def test_batches_larger_than_one_statement_and_reads_inside_a_transaction(engine):
    rows = [{"ref": f"R{n}", "org": "bexley", "size": n} for n in range(8)]  # 3 + 3 + 2 rows
    async with db.write_transaction(engine):
        await INSERT.insert(rows)
        assert [t.size for t in await BY_REF.objects("R7")] == [7]  # the transaction's own connection
    assert await Thing.count() == 8


def test_a_value_bound_twice_or_not_at_all_is_refused():
    twice = Prepared(lambda ref: Thing.select().where((Thing.ref == ref) | (Thing.org == ref)))
    with pytest.raises(ValueError, match="exactly once"):
        twice._compile("sqlite")
