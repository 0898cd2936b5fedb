"""PostgreSQL transactions that always give their connection back to the pool.

Piccolo's ``PostgresTransaction`` releases its pooled connection only when ``BEGIN`` and the
final ``COMMIT``/``ROLLBACK`` succeed. When the database goes away mid-transaction (a restart,
a fail-over, sessions terminated by an operator) the rollback fails too, the connection is
never released, and after ``max_size`` such failures every request waits on the pool forever,
long after the database is back. Here the connection is released (or, if even that fails,
terminated) whatever happens, and a failed rollback does not hide the error that caused it.
"""

from __future__ import annotations

import logging

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

log = logging.getLogger("haven.db")


class HavenPostgresTransaction(PostgresTransaction):
    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    try:
                        await self.rollback()
                    except Exception as failed:  # noqa: BLE001 - the original error is the one to raise
                        log.warning("rollback failed after %r: %r", exception, failed)
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            await self._give_back()
            self.engine.current_transaction.reset(self.context)
        return exception is None

    async def _give_back(self) -> None:
        if not self.engine.pool:
            await self.connection.close()
            return
        try:
            await self.engine.pool.release(self.connection)
        except Exception:  # noqa: BLE001 - a broken connection is dropped; the pool opens a new one
            self.connection.terminate()


class HavenPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine with :class:`HavenPostgresTransaction`."""

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return HavenPostgresTransaction(engine=self, allow_nested=allow_nested)
