"""One Piccolo engine per service: a SQLite file by default, PostgreSQL by DSN.

Piccolo tables find their engine through ``Table._meta.db``; a service's tables are bound
to its own engine at start-up (:func:`bind`), so services never share a database even
when a test hosts two in one process. SQLite writes use immediate transactions and a busy
timeout (STACK.md: deferred transactions hit "database is locked" with concurrent writers).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str) -> Engine:
    """An engine for ``sqlite:////abs/path.sqlite3`` or ``postgresql://…``."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute():
            path = path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"unsupported database URL scheme: {urlparse(url).scheme!r}")


def is_sqlite(engine: Engine) -> bool:
    return isinstance(engine, SQLiteEngine)


def write_transaction(engine: Engine):
    """A transaction suitable for writes: ``BEGIN IMMEDIATE`` on SQLite."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def bind(engine: Engine, tables: Iterable[type[Table]]) -> None:
    for table in tables:
        table._meta.db = engine


async def start(engine: Engine, tables: Iterable[type[Table]]) -> None:
    """Open the pool and create any missing tables (idempotent)."""
    tables = list(tables)
    bind(engine, tables)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)
    elif isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    await create_tables(engine, tables)


async def create_tables(engine: Engine, tables: Iterable[type[Table]]) -> list[str]:
    """Create missing tables and unique indexes (idempotent); returns the table names.

    This is what ``haven migrate`` runs as a one-off job before a deployment's services
    start; the services run it too at start-up, so an up-to-date schema is a no-op."""
    tables = list(tables)
    bind(engine, tables)
    for table in tables:
        await table.create_table(if_not_exists=True)
        for index_columns in getattr(table, "haven_unique_together", ()):
            name = f"uq_{table._meta.tablename}_{'_'.join(index_columns)}"
            cols = ", ".join(index_columns)
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table._meta.tablename} ({cols})")
    return [t._meta.tablename for t in tables]


async def stop(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def ping(engine: Engine) -> bool:
    try:
        await engine.run_ddl("SELECT 1")
        return True
    except Exception:
        return False
