"""``haven migrate``: bring a service's database schema up to date as a one-off job.

Run before a deployment's services start (e.g. a compose ``migrate`` service or a
Kubernetes job), so replicas never race to create tables. It does what a service's
start-up does — create missing tables and unique indexes, idempotently — and also adds
columns that a newer release declares on an existing table (Haven's schema evolution is
additive, like its bus contracts: new columns have defaults or allow null). Anything
else — a dropped, renamed or retyped column — is reported, never done silently.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.settings import Settings


class MigrationError(RuntimeError):
    """The schema cannot be brought up to date automatically; the message says what to do."""


@dataclass
class MigrationReport:
    service: str
    database: str
    tables: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        changes = [f"created {', '.join(self.created)}"] if self.created else []
        if self.added_columns:
            changes.append(f"added columns {', '.join(self.added_columns)}")
        return f"{self.service}: {len(self.tables)} tables on {self.database} — " + ("; ".join(changes) or "already up to date")


def service_tables(service: str) -> list[type[Table]]:
    """Runtime and domain tables of an installed service, from its ``definition()``."""
    from haven_runtime.serve import service_definitions

    eps = service_definitions()
    if service not in eps:
        raise MigrationError(f"unknown service {service!r}; installed: {', '.join(sorted(eps))}")
    try:
        module = importlib.import_module(eps[service].module)
    except ImportError as exc:
        raise MigrationError(f"{service}: cannot import {eps[service].module}: {exc}") from None
    definition = getattr(module, "definition", None)
    if definition is None:
        raise MigrationError(f"{eps[service].module} has no definition(): cannot find {service}'s tables")
    d = definition()
    return [*d.runtime_tables.all(), *d.tables]


def describe_database(url: str) -> str:
    """The backend and database name, never the credentials."""
    if url.startswith("sqlite:///"):
        return f"sqlite {url.removeprefix('sqlite:///')}"
    parsed = urlparse(url)
    return f"postgresql {parsed.hostname or 'localhost'}:{parsed.port or 5432}/{parsed.path.lstrip('/')}"


def connection_problem(service: str, url: str, exc: BaseException) -> MigrationError | None:
    """One line saying what is wrong with the database connection and what to do, or None.

    The usual first-deployment mistakes — the database not created yet, a wrong password,
    the server not reachable — otherwise end in a driver traceback that names neither the
    database nor the fix."""
    where = describe_database(url)
    variable = f"HAVEN_{service.upper()}_DATABASE_URL (or HAVEN_DATABASE_URL)"
    state = getattr(exc, "sqlstate", None)
    if state == "3D000":
        name = urlparse(url).path.lstrip("/")
        return MigrationError(f"{service}: database {where} does not exist; create it (e.g. createdb {name}, "
                              f"or deploy/postgres/init-databases.sql) or point {variable} at an existing database")
    if state in ("28P01", "28000"):
        return MigrationError(f"{service}: {where} refused the sign-in; check the user and password in {variable}")
    if isinstance(exc, OSError):
        return MigrationError(f"{service}: database {where} is unreachable ({exc.strerror or str(exc) or type(exc).__name__}); "
                              f"check that the server is running and the address in {variable}")
    return None


async def _check_connection(service: str, url: str) -> None:
    """Connect once before Piccolo does (its engine connects on construction and only warns)."""
    if not url.startswith(("postgresql://", "postgres://")):
        return
    import asyncpg

    try:
        conn = await asyncpg.connect(url, timeout=10)
    except Exception as exc:
        raise connection_problem(service, url, exc) or exc
    await conn.close()


async def _existing_columns(engine: Engine, tablename: str) -> set[str] | None:
    if isinstance(engine, PostgresEngine):
        rows = await engine.run_ddl(
            f"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{tablename}'"
        )
        names = {r["column_name"] for r in rows}
    else:
        rows = await engine.run_ddl(f"PRAGMA table_info('{tablename}')")
        names = {r["name"] for r in rows}
    return names or None


async def migrate_service(service: str, settings: Settings, tables: list[type[Table]] | None = None) -> MigrationReport:
    url = settings.database_url(service)
    await _check_connection(service, url)
    engine = db.make_engine(url)
    tables = tables if tables is not None else service_tables(service)
    report = MigrationReport(service=service, database=describe_database(url))
    db.bind(engine, tables)
    await db.start(engine, [])
    try:
        for table in tables:
            name = table._meta.tablename
            existing = await _existing_columns(engine, name)
            report.tables.append(name)
            if existing is None:
                report.created.append(name)
                continue
            for column in table._meta.columns:
                col = column._meta.db_column_name
                if col in existing:
                    continue
                if column._meta.unique or column._meta.primary_key or (not column._meta.null and column.default is None):
                    raise MigrationError(
                        f"{service}: column {name}.{col} is new but unique, a key, or required without a default; "
                        "it needs a hand-written migration"
                    )
                await engine.run_ddl(f"ALTER TABLE {name} ADD COLUMN {column.ddl}")
                report.added_columns.append(f"{name}.{col}")
        await db.create_tables(engine, tables)
    finally:
        await db.stop(engine)
    return report
