"""The one schema path: ordered, checked-in migration steps, recorded in each database.

Every service database is built and upgraded only by applying migrations — at service
start-up, by ``haven migrate`` and by compose's one-off ``migrate`` job, all through
:func:`apply_migrations`. Two *apps* have migrations in each service database: the
runtime's shared tables (``haven_runtime/migrations``: outbox, inbox, dead letter, audit)
and the service's own tables (``haven_<service>/migrations``). A migration is a module
``mNNNN_<what>.py`` holding ``MIGRATION = Migration([...steps])``; its name is the module
name, and ``haven_schema_migration`` records which ones a database has.

Why not Piccolo's own migration machinery: it finds its engine through the process-wide
``piccolo_conf`` (``engine_finder``) and one ``migration`` table, while Haven binds each
service's tables to that service's own database at start-up and tests host several
services, on SQLite and PostgreSQL, in one process; its auto-migrations also add
constraints with ``ALTER TABLE … ADD CONSTRAINT``, which SQLite does not have. So the
runner is small and Haven's, and its steps are Piccolo's: a step carries Piccolo column
objects frozen in the migration file, and the DDL is what Piccolo generates for the
engine at hand. Composite unique keys are Piccolo ``Unique`` constraints on the table
classes, created as unique indexes named after the constraint (the same on both engines).

Steps are idempotent (``IF NOT EXISTS``; a column already there is left alone), so a
database created before migrations existed — its tables match the first migration — is
adopted by recording it, and a step interrupted half-way can run again. Each migration
commits in one transaction with its record; on PostgreSQL an advisory lock, on SQLite the
write lock, makes replicas starting together apply it once.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from piccolo.columns import Column
from piccolo.constraints import Unique
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table, create_table_class

from haven_runtime.db import serialise, write_transaction

RECORD_TABLE = "haven_schema_migration"
RUNTIME_APP = "haven_runtime"


def unique_indexes(table: type[Table]) -> dict[str, list[str]]:
    """The table's composite unique keys (Piccolo ``Unique`` constraints): name → columns."""
    return {c._meta.name: c.get_column_names() for c in table._meta.constraints if isinstance(c, Unique)}


@dataclass
class CreateTable:
    """Create a table with these columns (an ``id`` serial key is added unless one is a key)."""

    tablename: str
    columns: dict[str, Column]
    unique: dict[str, list[str]] = field(default_factory=dict)

    def table_class(self, engine: Engine | None = None) -> type[Table]:
        members = {name: column.copy() for name, column in self.columns.items()}
        kwargs = {"tablename": self.tablename} | ({"db": engine} if engine is not None else {})
        return create_table_class(f"Migration_{self.tablename}", class_kwargs=kwargs, class_members=members)

    @classmethod
    def of(cls, table: type[Table]) -> "CreateTable":
        """The step creating ``table`` as its class declares now."""
        auto_id = {id(c) for c in table._meta.default_columns if c._meta.primary_key and c._meta.name == "id"}
        columns = {c._meta.name: c for c in table._meta.columns if id(c) not in auto_id}
        return cls(table._meta.tablename, columns, unique_indexes(table))

    async def apply(self, engine: Engine) -> None:
        await create_declared(engine, self.table_class(engine), self.unique)


@dataclass
class AddColumn:
    """Add a column to an existing table: it has a default or allows null (existing rows get it)."""

    tablename: str
    name: str
    column: Column

    async def apply(self, engine: Engine) -> None:
        if self.name in await existing_columns(engine, self.tablename):
            return
        table = CreateTable(self.tablename, {self.name: self.column}).table_class(engine)
        column = table._meta.get_column_by_name(self.name)
        await engine.run_ddl(f'ALTER TABLE "{self.tablename}" ADD COLUMN {column.ddl}')
        if column._meta.index:
            for ddl in table.create_index([column], if_not_exists=True).ddl:
                await engine.run_ddl(ddl)


@dataclass
class AddUnique:
    """A composite unique key on existing columns (fails if existing rows repeat a key)."""

    tablename: str
    name: str
    columns: list[str]

    async def apply(self, engine: Engine) -> None:
        await engine.run_ddl(_unique_index_ddl(self.tablename, self.name, self.columns))


@dataclass
class Run:
    """Anything the other steps cannot say (triggers, data changes): ``await fn(engine)``."""

    fn: Callable[[Engine], Awaitable[None]]

    async def apply(self, engine: Engine) -> None:
        await self.fn(engine)


Step = CreateTable | AddColumn | AddUnique | Run


@dataclass
class Migration:
    steps: list[Step]
    name: str = ""


@dataclass(frozen=True)
class App:
    """One app's migrations in a service database: the runtime's or the service's."""

    name: str
    migrations: tuple[Migration, ...]
    package: str = ""  # where its migration files are (empty: built in code, e.g. by a test)


def load_app(name: str, package: str) -> App:
    """The ``mNNNN_*`` modules of ``package``, in order, named after their module."""
    pkg = importlib.import_module(package)
    migrations = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            migration = importlib.import_module(f"{package}.{info.name}").MIGRATION
            migration.name = info.name
            migrations.append(migration)
    return App(name, tuple(migrations), package)


def runtime_app() -> App:
    return load_app(RUNTIME_APP, "haven_runtime.migrations")


def creating(name: str, tables: Iterable[type[Table]]) -> App:
    """An app of one migration creating ``tables`` as declared — for tests' own tables."""
    steps: list[Step] = [CreateTable.of(t) for t in tables]
    return App(name, (Migration(steps, name="m0001_initial"),))


def _unique_index_ddl(tablename: str, name: str, columns: Sequence[str]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    return f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}" ON "{tablename}" ({cols})'


async def create_declared(engine: Engine, table: type[Table], unique: dict[str, list[str]] | None = None) -> None:
    """Create ``table`` as its class declares, if missing: Piccolo's ``CREATE TABLE`` and
    column indexes, and each composite unique key as a unique index."""
    table._meta.db = engine
    create = table.create_table(if_not_exists=True)
    for ddl in create.ddl:
        if not ddl.startswith("ALTER TABLE"):  # Piccolo's ADD CONSTRAINT: not on SQLite
            await engine.run_ddl(ddl)
    for name, columns in (unique_indexes(table) if unique is None else unique).items():
        await engine.run_ddl(_unique_index_ddl(table._meta.tablename, name, columns))


async def create_tables(engine: Engine, tables: Iterable[type[Table]]) -> None:
    """Create tables that belong to no service (tests', benchmarks') as declared. A
    service's tables come from its migrations only."""
    for table in tables:
        await create_declared(engine, table)


async def existing_columns(engine: Engine, tablename: str) -> set[str]:
    if isinstance(engine, PostgresEngine):
        rows = await engine.run_ddl(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = current_schema() AND table_name = '{tablename}'"
        )
        return {r["column_name"] for r in rows}
    return {r["name"] for r in await engine.run_ddl(f"PRAGMA table_info('{tablename}')")}


async def _ensure_record_table(engine: Engine) -> None:
    await engine.run_ddl(
        f"CREATE TABLE IF NOT EXISTS {RECORD_TABLE} (app VARCHAR(100) NOT NULL, name VARCHAR(200) NOT NULL, "
        "applied_at VARCHAR(40) NOT NULL, PRIMARY KEY (app, name))"
    )


async def applied(engine: Engine, app: str) -> set[str]:
    """The migrations of ``app`` this database has recorded (none before the first)."""
    if isinstance(engine, PostgresEngine):
        exists = await engine.run_ddl(f"SELECT to_regclass('{RECORD_TABLE}') IS NOT NULL AS e")
        found = bool(exists[0]["e"])
    else:
        found = bool(
            await engine.run_ddl(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{RECORD_TABLE}'")
        )
    if not found:
        return set()
    rows = await engine.run_ddl(f"SELECT name FROM {RECORD_TABLE} WHERE app = '{app}'")
    return {r["name"] for r in rows}


async def pending(engine: Engine, apps: Sequence[App]) -> list[str]:
    """``app/migration`` names not yet applied to this database."""
    out = []
    for app in apps:
        done = await applied(engine, app.name)
        out += [f"{app.name}/{m.name}" for m in app.migrations if m.name not in done]
    return out


async def apply_migrations(engine: Engine, apps: Sequence[App], upto: dict[str, str] | None = None) -> list[str]:
    """Apply every pending migration of ``apps`` in order; returns ``app/migration`` names
    applied. ``upto`` (app → migration name) stops an app there — for upgrade tests.

    An up-to-date database costs one read per app and takes no lock, so replicas starting
    together after ``haven migrate`` do not queue on each other."""
    done: list[str] = []
    for app in apps:
        recorded = await applied(engine, app.name)
        for migration in app.migrations:
            if migration.name not in recorded and await _apply_one(engine, app.name, migration):
                done.append(f"{app.name}/{migration.name}")
            if upto and upto.get(app.name) == migration.name:
                break
    return done


async def _apply_one(engine: Engine, app: str, migration: Migration) -> bool:
    async with write_transaction(engine):
        await serialise(engine, RECORD_TABLE)
        await _ensure_record_table(engine)
        if migration.name in await applied(engine, app):  # another process applied it meanwhile
            return False
        for step in migration.steps:
            await step.apply(engine)
        now = datetime.now(UTC).isoformat()
        await engine.run_ddl(
            f"INSERT INTO {RECORD_TABLE} (app, name, applied_at) VALUES ('{app}', '{migration.name}', '{now}')"
        )
    return True
