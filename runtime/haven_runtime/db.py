"""One Piccolo engine per service: a SQLite file by default, PostgreSQL by DSN.

Piccolo tables find their engine through ``Table._meta.db``; a service's tables are bound
to its own engine at start-up (:func:`bind`), so services never share a database even
when a test hosts two in one process. SQLite writes use immediate transactions and a busy
timeout (STACK.md: deferred transactions hit "database is locked" with concurrent writers).

On SQLite a service keeps two long-lived connections per event loop (:class:`HavenSQLiteEngine`)
instead of Piccolo's new aiosqlite connection — a new OS thread plus PRAGMAs, ≈ 2 ms — for
every query outside a transaction:

* a **writer**: every transaction and every statement that is not a read. Writers in the
  process queue on an ``asyncio.Lock`` instead of sleeping in SQLite's busy handler; other
  processes on the same file still meet the busy timeout;
* a **reader** for reads outside a transaction: under WAL a reader sees the last commit and
  never waits for the writer, so reads do not queue behind writes.

Both run ``journal_mode=WAL`` and ``synchronous=NORMAL``: a commit survives a crash of the
process (not a power loss — PostgreSQL is the production store), and it no longer costs an
fsync per commit (STACK.md, "Measured on Haven itself").
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.table import Table

SQLITE_BUSY_TIMEOUT_SECONDS = 30
#: The PRAGMAs every SQLite connection runs (the benchmark floors use the same).
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=1")


async def open_sqlite(path: str, timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS) -> aiosqlite.Connection:
    """An aiosqlite connection with Haven's PRAGMAs, in autocommit mode (explicit BEGINs).

    Its worker thread is a daemon: a connection nobody closed must not keep the process
    alive at exit, and stopping without a close is a crash, which WAL survives."""
    conn = aiosqlite.connect(
        path, timeout=timeout, isolation_level=None, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )
    thread = getattr(conn, "_thread", None)
    if thread is not None:
        thread.daemon = True
    await conn
    conn.row_factory = dict_factory  # type: ignore[assignment]
    for pragma in SQLITE_PRAGMAS:
        await conn.execute(pragma)
    return conn


def _is_read(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith(("SELECT", "WITH"))


@dataclass
class _Connections:
    reader: aiosqlite.Connection
    writer: aiosqlite.Connection
    lock: asyncio.Lock


class _SharedWriterTransaction(SQLiteTransaction):
    """A transaction on the engine's writer connection, holding its lock until the end."""

    __slots__ = ("_lock",)
    engine: "HavenSQLiteEngine"

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        conns = await self.engine.connections()
        await self.engine.acquire(conns.lock)
        self._lock = conns.lock
        try:
            self.connection = conns.writer
            await self.begin()
        except BaseException:
            self._lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            try:
                if self.connection.in_transaction:  # a failed COMMIT: leave the writer clean
                    await self.connection.execute("ROLLBACK")
            finally:
                self.engine.current_transaction.reset(self.context)
                self._lock.release()
        return exception is None


class HavenSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine on a shared writer and reader (see the module docstring).

    Connections belong to the event loop that opened them (tests run several loops in
    one process); :func:`stop` closes them all."""

    __slots__ = ("_loops",)

    def __init__(self, path: str, timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS) -> None:
        super().__init__(path=path, timeout=timeout)
        self._loops: dict[asyncio.AbstractEventLoop, asyncio.Future[_Connections]] = {}

    async def connections(self) -> _Connections:
        loop = asyncio.get_running_loop()
        opening = self._loops.get(loop)
        if opening is None:
            for other in [lp for lp in self._loops if lp.is_closed()]:
                self._forget(self._loops.pop(other))
            opening = self._loops[loop] = loop.create_future()
            try:
                path, timeout = self.path, self.connection_kwargs["timeout"]
                writer = await open_sqlite(path, timeout)
                reader = await open_sqlite(path, timeout)
                opening.set_result(_Connections(reader=reader, writer=writer, lock=asyncio.Lock()))
            except BaseException as exc:
                del self._loops[loop]
                opening.set_exception(exc)
                raise
        return await asyncio.shield(opening)

    async def acquire(self, lock: asyncio.Lock) -> None:
        """Queue for the writer; after the busy timeout fail as SQLite itself would."""
        try:
            await asyncio.wait_for(lock.acquire(), timeout=self.connection_kwargs["timeout"])
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None

    @staticmethod
    def _forget(opening: asyncio.Future) -> None:
        if opening.done() and not opening.cancelled() and opening.exception() is None:
            conns = opening.result()
            conns.reader.stop()
            conns.writer.stop()

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        for other, opening in list(self._loops.items()):
            if other is loop and opening.done() and opening.exception() is None:
                conns = opening.result()
                await conns.reader.close()
                await conns.writer.close()
            else:
                self._forget(opening)
        self._loops.clear()

    def transaction(
        self, transaction_type: TransactionType = TransactionType.immediate, allow_nested: bool = True
    ) -> SQLiteTransaction:
        # Every transaction takes the writer, so it is always IMMEDIATE: a deferred one
        # would only upgrade to a write lock later and could then fail as "locked".
        return _SharedWriterTransaction(
            engine=self, transaction_type=TransactionType.immediate, allow_nested=allow_nested
        )

    async def _run_in_existing_connection(
        self, connection, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        # Piccolo repeats ``PRAGMA foreign_keys`` before every statement; ours set it once.
        # One trip to the connection's thread per statement (execute, fetch and close
        # together) instead of three: each trip is a thread handoff.
        return list(await connection.execute_fetchall(query, args or []))

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        """Outside a transaction: reads on the reader, anything else on the writer in turn."""
        conns = await self.connections()
        if _is_read(query):
            return await self._run_in_existing_connection(conns.reader, query, args)
        await self.acquire(conns.lock)
        try:
            return await self._run_in_existing_connection(conns.writer, query, args)
        finally:
            conns.lock.release()


def make_engine(url: str) -> Engine:
    """An engine for ``sqlite:////abs/path.sqlite3`` or ``postgresql://…``."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute():
            path = path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return HavenSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgresql://", "postgres://")):
        from haven_runtime.db_postgres import HavenPostgresEngine

        return HavenPostgresEngine(config={"dsn": url})
    raise ValueError(f"unsupported database URL scheme: {urlparse(url).scheme!r}")


def is_sqlite(engine: Engine) -> bool:
    return isinstance(engine, SQLiteEngine)


def write_transaction(engine: Engine):
    """A transaction suitable for writes: ``BEGIN IMMEDIATE`` on SQLite."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def serialise(engine: Engine, key: str) -> None:
    """Inside a write transaction: wait until no other process holds ``key``, then hold it
    until this transaction ends. Replicas starting together run their start-up upserts
    (select, then insert or update) one after another instead of colliding on a unique key.
    A PostgreSQL advisory lock; on SQLite the write transaction already serialises."""
    if isinstance(engine, PostgresEngine):
        await engine.run_ddl(f"SELECT pg_advisory_xact_lock(hashtext('{key}'))")


def bind(engine: Engine, tables: Iterable[type[Table]]) -> None:
    for table in tables:
        table._meta.db = engine


async def _released(connection) -> None:
    """What a PostgreSQL connection needs on its way back to the pool: nothing more.

    asyncpg has already rolled back any transaction left open (a cancelled request) before
    it calls this. Its default reset then sends ``pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL`` — one more round trip per query outside a transaction, ≈ 14 %
    of an audited read's time. Haven leaves no session state behind: its advisory locks
    are transaction-scoped (:func:`serialise`), it never listens, and it sets no session
    settings."""


async def start(engine: Engine, tables: Iterable[type[Table]]) -> None:
    """Bind ``tables`` and open the pool. The schema is the migrations' job
    (:func:`haven_runtime.schema.apply_migrations`), never a side effect of start-up."""
    bind(engine, tables)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10, reset=_released)
    elif isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")  # persistent in the file; each connection sets it too


async def stop(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, HavenSQLiteEngine):
        await engine.close()


async def ping(engine: Engine) -> bool:
    try:
        await engine.run_ddl("SELECT 1")
        return True
    except Exception:
        return False
