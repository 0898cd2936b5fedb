"""The checked-in migrations build exactly what the Table classes declare, on SQLite and on
PostgreSQL, and upgrade a previous release's database without losing a row.

A developer who adds a table, a column or a composite unique key without a migration gets a
failing test here that names what is missing and the command that writes the step.
"""

from __future__ import annotations

import importlib
import sys
import uuid

import pytest
from piccolo.columns import Integer, Text, Varchar
from piccolo.constraints import Unique
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.ops.migrate import service_definition
from haven_runtime.ops.schema_make import SchemaChangeError, changes, render_migration
from haven_runtime.schema import (
    RECORD_TABLE,
    AddColumn,
    App,
    CreateTable,
    Migration,
    apply_migrations,
    create_tables,
    pending,
)
from haven_runtime.testing import create_postgres_database, drop_postgres_database, postgres_dsn

SERVICES = ["directory", "options", "reciprocal", "sanctuary"]
BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgres"])


class Databases:
    """Fresh, empty databases of one backend, dropped at the end."""

    def __init__(self, backend: str, tmp_path) -> None:
        if backend == "postgres" and not postgres_dsn():
            pytest.skip("HAVEN_TEST_POSTGRES_DSN is not set")
        self.backend, self.tmp_path = backend, tmp_path
        self.engines: list[Engine] = []
        self.pg_names: list[str] = []

    async def new(self) -> Engine:
        if self.backend == "sqlite":
            engine = db.make_engine(f"sqlite:///{self.tmp_path / f'{uuid.uuid4().hex}.sqlite3'}")
        else:
            name = f"haven_schema_{uuid.uuid4().hex[:12]}"
            self.pg_names.append(name)
            engine = db.make_engine(await create_postgres_database(postgres_dsn(), name))
        await db.start(engine, [])
        self.engines.append(engine)
        return engine

    async def close(self) -> None:
        for engine in self.engines:
            await db.stop(engine)
        for name in self.pg_names:
            await drop_postgres_database(postgres_dsn(), name)


@pytest.fixture
async def databases(backend, tmp_path):
    dbs = Databases(backend, tmp_path)
    yield dbs
    await dbs.close()


async def describe(engine: Engine) -> dict[str, dict[str, object]]:
    """Every table's columns (type, nullability, default) and indexes, as the database has them."""
    out: dict[str, dict[str, object]] = {}
    if isinstance(engine, PostgresEngine):
        for row in await engine.run_ddl(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length "
            "FROM information_schema.columns WHERE table_schema = current_schema()"
        ):
            table = out.setdefault(row["table_name"], {"columns": {}, "indexes": set()})
            table["columns"][row["column_name"]] = (
                row["data_type"],
                row["character_maximum_length"],
                row["is_nullable"],
                row["column_default"],
            )
        for row in await engine.run_ddl(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        ):
            out[row["tablename"]]["indexes"].add((row["indexname"], row["indexdef"]))
        return out
    for t in await engine.run_ddl("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        name = t["name"]
        columns = {
            c["name"]: (c["type"], c["notnull"], c["dflt_value"], c["pk"])
            for c in await engine.run_ddl(f"PRAGMA table_info('{name}')")
        }
        indexes = set()
        for index in await engine.run_ddl(f"PRAGMA index_list('{name}')"):
            cols = tuple(c["name"] for c in await engine.run_ddl(f"PRAGMA index_info('{index['name']}')"))
            label = (
                "auto" if index["name"].startswith("sqlite_autoindex") else index["name"]
            )  # numbered by column order
            indexes.add((label, index["unique"], cols))
        out[name] = {"columns": columns, "indexes": indexes}
    return out


def _declared(service: str) -> tuple[list[App], list[type[Table]]]:
    definition = service_definition(service)
    return definition.schema_apps(), [*definition.runtime_tables.all(), *definition.tables]


@pytest.mark.parametrize("service", SERVICES)
def test_the_migrations_cover_every_table_class(service):
    """What the classes add beyond the migrations, named with the command that writes the step."""
    apps, _ = _declared(service)
    definition = service_definition(service)
    for app, tables in ((apps[0], definition.runtime_tables.all()), (apps[1], list(definition.tables))):
        missing = changes(app, tables)
        target = "runtime" if app is apps[0] else service
        assert not missing, (
            f"{app.name}: the table classes declare what no migration creates: "
            + ", ".join(
                f"{type(s).__name__} {s.tablename}" + (f".{s.name}" if isinstance(s, AddColumn) else "")
                for s in missing
            )
            + f". Run `uv run haven migrate --service {target} --new 'what changed'`, review the file it writes "
            "and commit it."
        )


@BACKENDS
@pytest.mark.parametrize("service", SERVICES)
async def test_the_migrations_build_exactly_the_declared_schema(service, backend, databases):
    apps, tables = _declared(service)
    migrated, declared = await databases.new(), await databases.new()
    await apply_migrations(migrated, apps)
    await create_tables(declared, tables)
    built, wanted = await describe(migrated), await describe(declared)
    assert built.pop(RECORD_TABLE)
    for name in sorted(set(built) | set(wanted)):
        assert built.get(name) == wanted.get(name), (
            f"{service} on {backend}: table {name} as the migrations build it differs from its class; "
            f"run `uv run haven migrate --service {service} --new 'what changed'` and commit the file"
        )
    assert await pending(migrated, apps) == []
    assert await apply_migrations(migrated, apps) == []  # a second run is a no-op


@BACKENDS
async def test_a_previous_release_database_upgrades_keeping_its_rows(backend, databases):
    """The first migration of each app is the schema of databases made before migrations existed
    (they have no migration record); every later one is a change since. Rows written under the
    old schema survive, and the new columns hold their defaults."""
    for service in SERVICES:
        apps, _ = _declared(service)
        engine = await databases.new()
        await apply_migrations(engine, apps, upto={app.name: app.migrations[0].name for app in apps})
        await engine.run_ddl(f"DROP TABLE {RECORD_TABLE}")  # the previous release kept no record
        first_tables = [step for app in apps for step in app.migrations[0].steps if isinstance(step, CreateTable)]
        for step in first_tables:
            table = step.table_class(engine)
            await table.insert(table())
        applied = await apply_migrations(engine, apps)
        assert applied == [f"{app.name}/{m.name}" for app in apps for m in app.migrations], service
        for step in first_tables:
            rows = await engine.run_ddl(f'SELECT COUNT(*) AS n FROM "{step.tablename}"')
            assert dict(rows[0])["n"] == 1, f"{service}: the row in {step.tablename} did not survive"
        for app in apps:
            for migration in app.migrations[1:]:
                for step in migration.steps:
                    if isinstance(step, AddColumn) and isinstance(step.column.default, (str, int, bool, type(None))):
                        rows = await engine.run_ddl(f'SELECT "{step.name}" AS v FROM "{step.tablename}"')
                        assert [dict(r)["v"] for r in rows] == [step.column.default], f"{step.tablename}.{step.name}"


@BACKENDS
async def test_composite_unique_keys_hold(backend, databases):
    from haven_reciprocal.tables import Partner

    engine = await databases.new()
    apps, _ = _declared("reciprocal")
    await apply_migrations(engine, apps)
    table = CreateTable.of(Partner).table_class(engine)
    await table.insert(table(scheme="cambs", org="a", kind="council"))
    await table.insert(table(scheme="cambs", org="b", kind="council"))
    with pytest.raises(Exception, match="(?i)unique"):
        await table.insert(table(scheme="cambs", org="a", kind="council"))


def test_a_new_column_becomes_one_generated_step(tmp_path, monkeypatch):
    """``haven migrate --new`` writes the step a new column needs; the file it writes, applied
    after the others, leaves nothing for the next run to write."""

    class Probe(Table, tablename="schema_probe"):
        ref = Varchar(length=20, unique=True)
        kind = Varchar(length=20)
        uq_schema_probe_ref_kind = Unique([ref, kind])

    class ProbeV2(Table, tablename="schema_probe"):
        ref = Varchar(length=20, unique=True)
        kind = Varchar(length=20)
        attempts = Integer(default=0)
        note = Text(null=True, default=None)
        uq_schema_probe_ref_kind = Unique([ref, kind])

    first = App("probe", (Migration([CreateTable.of(Probe)], name="m0001_initial"),))
    assert changes(first, [Probe]) == []
    steps = changes(first, [ProbeV2])
    assert [(type(s).__name__, s.name) for s in steps] == [("AddColumn", "attempts"), ("AddColumn", "note")]

    package = tmp_path / "probe_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0002_attempts.py").write_text(render_migration(steps, "Attempts and a note."))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        second = importlib.import_module("probe_migrations.m0002_attempts").MIGRATION
        second.name = "m0002_attempts"
        assert changes(App("probe", (*first.migrations, second)), [ProbeV2]) == []
    finally:
        sys.modules.pop("probe_migrations.m0002_attempts", None)
        sys.modules.pop("probe_migrations", None)

    class ProbeV3(Table, tablename="schema_probe"):
        ref = Varchar(length=40, unique=True)
        uq_schema_probe_ref_kind = Unique([ref])

    with pytest.raises(
        SchemaChangeError, match=r"schema_probe\.ref changed .*schema_probe\.kind is no longer declared"
    ):
        changes(first, [ProbeV3])
