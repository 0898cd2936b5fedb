"""The N3 floor: a bare Litestar GET doing one SELECT and one durable INSERT, nothing else.

    python bench/floor_app.py <port> sqlite:////abs/path.sqlite3 | postgresql://…

Served exactly as Haven's services are (uvicorn, uvloop, httptools, one worker). On SQLite
it uses raw aiosqlite with Haven's PRAGMAs (WAL, ``synchronous=NORMAL``, busy timeout): one
reader connection for the SELECT and one writer for the INSERT in its own committed
transaction. On PostgreSQL it uses a raw asyncpg pool with the server's default (durable)
``synchronous_commit``. No authentication, no ORM, no audit logic: the physical floor of
"read a record and durably record that it was read".
"""

from __future__ import annotations

import asyncio
import sys
import time
from contextlib import asynccontextmanager

from _serve import serve
from litestar import Litestar, get

from haven_runtime.db import SQLITE_BUSY_TIMEOUT_SECONDS, SQLITE_PRAGMAS

URL = sys.argv[2] if len(sys.argv) > 2 else "sqlite:////tmp/floor.sqlite3"
STATE: dict = {}
ROW = ("CASE-FLOOR00001", "bexley", b"x" * 600)


async def _sqlite(path: str):
    import aiosqlite

    async def connect():
        conn = await aiosqlite.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS, isolation_level=None)
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        return conn

    writer, reader = await connect(), await connect()
    await writer.execute("CREATE TABLE IF NOT EXISTS floor_case (ref TEXT PRIMARY KEY, org TEXT, body BLOB)")
    await writer.execute("CREATE TABLE IF NOT EXISTS floor_audit (id INTEGER PRIMARY KEY, ref TEXT, at REAL)")
    await writer.execute("INSERT OR REPLACE INTO floor_case VALUES (?, ?, ?)", ROW)
    lock = asyncio.Lock()

    async def read(ref: str):
        async with reader.execute("SELECT ref, org, body FROM floor_case WHERE ref = ?", (ref,)) as cur:
            row = await cur.fetchone()
        async with lock:
            await writer.execute("BEGIN IMMEDIATE")
            await writer.execute("INSERT INTO floor_audit (ref, at) VALUES (?, ?)", (ref, time.time()))
            await writer.execute("COMMIT")
        return row

    return read


async def _postgres(dsn: str):
    import asyncpg

    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=10)
    await pool.execute("CREATE TABLE IF NOT EXISTS floor_case (ref TEXT PRIMARY KEY, org TEXT, body BYTEA)")
    await pool.execute(
        "CREATE TABLE IF NOT EXISTS floor_audit (id BIGSERIAL PRIMARY KEY, ref TEXT, at DOUBLE PRECISION)"
    )
    await pool.execute("INSERT INTO floor_case VALUES ($1, $2, $3) ON CONFLICT (ref) DO NOTHING", *ROW)

    async def read(ref: str):
        async with pool.acquire() as conn:
            row = await conn.fetchrow("SELECT ref, org, body FROM floor_case WHERE ref = $1", ref)
            await conn.execute("INSERT INTO floor_audit (ref, at) VALUES ($1, $2)", ref, time.time())
        return row

    return read


@asynccontextmanager
async def lifespan(app: Litestar):
    STATE["read"] = await (_sqlite(URL.removeprefix("sqlite:///")) if URL.startswith("sqlite") else _postgres(URL))
    yield


@get("/floor/{ref:str}")
async def floor(ref: str) -> dict[str, str]:
    row = await STATE["read"](ref)
    return {"ref": row[0], "org": row[1], "size": str(len(row[2]))}


app = Litestar([floor], lifespan=[lifespan], openapi_config=None)

if __name__ == "__main__":
    serve(app)
