"""Retention: erase the personal fields of records closed longer than the retention period,
and keep the audit trail append-only.

Erasure nulls every personal column (and its blind index) of an expired record but keeps
the row, so anonymous statistics — how many cases, which channels, tenures, outcomes and
timescales — stay countable. Each erasure is audited in the same transaction as the change.
On SQLite ``secure_delete`` is switched on first, so the freed pages holding the old
ciphertexts are overwritten rather than left in the file.

The audit table is protected by database triggers that refuse ``UPDATE``, ``DELETE`` (and
on PostgreSQL ``TRUNCATE``): Haven's code has no such path, and this makes sure nobody
else's does either. Erasure never touches it; audit rows hold references, not personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from haven_runtime.db import write_transaction

if TYPE_CHECKING:
    from haven_runtime.context import ServiceContext
    from haven_runtime.identity import Principal
    from haven_runtime.periodic import PeriodicTask
    from haven_runtime.store import Store

log = logging.getLogger("haven.retention")
DEFAULT_RETENTION = timedelta(days=6 * 365)


@dataclass(frozen=True)
class Related:
    """A personal column of another table, erased with its record: rows whose
    ``ref_column`` holds the erased record's reference get ``column`` set to ``empty``."""

    table: type[Table]
    ref_column: str
    column: str
    empty: str | None = None


@dataclass(frozen=True)
class ErasurePolicy:
    """Which rows of ``table`` expire and which of their columns are personal.

    A row expires when ``closed_column`` is set and older than the retention period,
    ``erased_column`` is still empty and ``only_when`` (a Piccolo condition, e.g. a final
    status) holds. ``personal_fields`` (ciphertexts and blind indexes) become NULL;
    ``blanked_fields`` — columns created NOT NULL — become the empty string; each of
    ``related`` is erased for the same records. The audit entry names the record by
    ``audit_ref_column`` when it has a value (a reference known outside the service),
    else by ``ref_column``.
    """

    entity: str
    table: type[Table]
    ref_column: str
    closed_column: str
    erased_column: str
    personal_fields: Sequence[str]
    org_column: str | None = "org"
    blanked_fields: Sequence[str] = ()
    related: Sequence[Related] = ()
    only_when: Any = None
    audit_ref_column: str | None = None

    def erased_fields(self) -> list[str]:
        return [
            *self.personal_fields,
            *self.blanked_fields,
            *(f"{r.table._meta.tablename}.{r.column}" for r in self.related),
        ]


class ErasureReport(msgspec.Struct, kw_only=True):
    entity: str
    erased: list[str] = []
    cutoff: datetime


def _col(table: type[Table], name: str):
    column = table._meta.get_column_by_name(name)
    if column is None:
        raise ValueError(f"{table._meta.tablename} has no column {name!r}")
    return column


async def erase_expired(
    store: "Store",
    policy: ErasurePolicy,
    *,
    retention: timedelta = DEFAULT_RETENTION,
    now: datetime | None = None,
    principal: "Principal | None" = None,
    limit: int = 500,
    org: str | None = None,
) -> ErasureReport:
    """Erase the personal fields of up to ``limit`` expired records (of ``org`` only, when
    given: an organisation's admin erases its own records); audit each one."""
    table = policy.table
    now = now or datetime.now(UTC)
    cutoff = now - retention
    closed, erased, ref = (
        _col(table, policy.closed_column),
        _col(table, policy.erased_column),
        _col(table, policy.ref_column),
    )
    org_col = _col(table, policy.org_column) if policy.org_column else None
    if org is not None and org_col is None:
        raise ValueError(f"{policy.entity} has no organisation column: it cannot be erased for one organisation")
    cleared = {
        **{_col(table, f): None for f in policy.personal_fields},
        **{_col(table, f): "" for f in policy.blanked_fields},
    }
    report = ErasureReport(entity=policy.entity, cutoff=cutoff)
    engine = table._meta.db
    async with write_transaction(engine):
        if isinstance(engine, SQLiteEngine):
            await table.raw("PRAGMA secure_delete = ON")  # on the transaction's own connection
        selected = [ref, *(_col(table, c) for c in (policy.org_column, policy.audit_ref_column) if c)]
        expired = closed.is_not_null() & (closed <= cutoff) & erased.is_null()
        if policy.only_when is not None:
            expired = expired & policy.only_when
        rows = await table.select(*selected).where(expired if org is None else expired & (org_col == org)).limit(limit)
        for row in rows:
            key = row[policy.ref_column]
            await table.update({**cleared, erased: now}).where(ref == key)
            for related in policy.related:
                await related.table.update({_col(related.table, related.column): related.empty}).where(
                    _col(related.table, related.ref_column) == key
                )
            named = (row.get(policy.audit_ref_column) if policy.audit_ref_column else None) or key
            detail: dict[str, Any] = {"fields": policy.erased_fields()}
            if str(named) != str(key):
                detail[policy.ref_column] = str(key)
            await store.audit_writer.write(
                principal,
                "erase",
                policy.entity,
                str(named),
                entity_org=str(row.get(policy.org_column, "")) if policy.org_column else "",
                purpose=f"retention: closed before {cutoff.date().isoformat()}",
                detail=detail,
            )
            report.erased.append(str(key))
    if report.erased:
        log.info(
            "erased personal fields of %d %s record(s) closed before %s",
            len(report.erased),
            policy.entity,
            cutoff.date(),
        )
    return report


@dataclass(frozen=True)
class ServiceRetention:
    """A service's retention of one kind of record: the erasure its admins run on demand and
    the sweep that runs it on an interval, both with the deployment's retention period
    (``HAVEN_RETENTION_DAYS``)."""

    policy: ErasurePolicy

    async def erase_closed(
        self,
        ctx: ServiceContext,
        now: datetime | None = None,
        principal: Principal | None = None,
        limit: int = 500,
        org: str | None = None,
    ) -> list[str]:
        """Erase the personal fields of up to ``limit`` records closed before the cutoff (of
        ``org`` only, when given); their refs."""
        report = await erase_expired(
            ctx.store,
            self.policy,
            retention=timedelta(days=ctx.settings.retention_days),
            now=now or datetime.now(UTC),
            principal=principal,
            limit=limit,
            org=org,
        )
        return report.erased

    def sweep(self) -> PeriodicTask:
        from haven_runtime.periodic import PeriodicTask

        async def run(ctx: ServiceContext) -> list[str]:
            return await self.erase_closed(ctx)

        return PeriodicTask(
            name="retention", run=run, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds"
        )


# -- append-only audit --------------------------------------------------------------------

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION haven_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
"""


async def protect_append_only(engine: Engine, tablename: str = "haven_audit") -> None:
    """Install triggers refusing UPDATE and DELETE (and TRUNCATE) on ``tablename``. Idempotent."""
    if isinstance(engine, SQLiteEngine):
        for op in ("UPDATE", "DELETE"):
            await engine.run_ddl(
                f"CREATE TRIGGER IF NOT EXISTS {tablename}_no_{op.lower()} BEFORE {op} ON {tablename} "
                f"BEGIN SELECT RAISE(ABORT, '{tablename} is append-only'); END"
            )
    elif isinstance(engine, PostgresEngine):
        try:
            await engine.run_ddl(_PG_FUNCTION)
            exists = await engine.run_ddl(f"SELECT 1 FROM pg_trigger WHERE tgname = '{tablename}_append_only'")
            if not exists:
                await engine.run_ddl(
                    f"CREATE TRIGGER {tablename}_append_only BEFORE UPDATE OR DELETE ON {tablename} "
                    "FOR EACH ROW EXECUTE FUNCTION haven_append_only()"
                )
                await engine.run_ddl(
                    f"CREATE TRIGGER {tablename}_no_truncate BEFORE TRUNCATE ON {tablename} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION haven_append_only()"
                )
        except Exception as exc:  # noqa: BLE001 - replicas racing to install the same trigger
            log.warning("append-only triggers on %s: %s", tablename, exc)
