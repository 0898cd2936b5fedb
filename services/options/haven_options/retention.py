"""Retention of options cases (issue 8, "Retention").

A case closed longer than the retention period (``HAVEN_RETENTION_DAYS``, settings
``retention_days``) loses its personal fields — the encrypted name, date of birth, addresses,
phone, safe contact, landlord name and blind index — and the free-text reasons recorded on
it. The rows stay, so monitoring counts, dates, channels, tenures, clocks and outcomes are
unchanged. Each erasure is audited in the same transaction.

``name_enc`` and ``name_index`` were created NOT NULL, so they are blanked rather than nulled
(``haven_runtime.retention.erase_expired`` only nulls); this module applies the same rule
itself for that reason.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from piccolo.engine.sqlite import SQLiteEngine

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_options.tables import Case, Dispute, RiskAssessment, SafeguardingOverride, TaBooking

NULLED = ("date_of_birth_enc", "address_enc", "phone_enc", "safe_contact_enc", "landlord_name_enc", "former_address_enc")
BLANKED = ("name_enc", "name_index")
RELATED = ((RiskAssessment, "judgement_reason_enc", None), (TaBooking, "extension_reason_enc", None),
           (Dispute, "summary_enc", None), (SafeguardingOverride, "reason_enc", ""))


def cutoff_for(ctx: ServiceContext, now: datetime) -> datetime:
    return now - timedelta(days=ctx.settings.retention_days)


async def erase_closed(ctx: ServiceContext, now: datetime | None = None, principal: Principal | None = None,
                       limit: int = 500, org: str | None = None) -> list[str]:
    """Erase the personal fields of up to ``limit`` cases closed before the cutoff (of ``org``
    only, when given); their refs."""
    now = now or datetime.now(UTC)
    cutoff = cutoff_for(ctx, now)
    erased: list[str] = []
    async with ctx.store.transaction() as uow:
        if isinstance(Case._meta.db, SQLiteEngine):
            await Case.raw("PRAGMA secure_delete = ON")
        expired = (Case.status == "closed") & Case.closed_at.is_not_null() & (Case.closed_at <= cutoff) & Case.erased_at.is_null()
        rows = await Case.select(Case.ref, Case.org).where(expired if org is None else expired & (Case.org == org)).limit(limit)
        for row in rows:
            ref = row["ref"]
            await Case.update({**{f: None for f in NULLED}, **{f: "" for f in BLANKED}, "erased_at": now}).where(Case.ref == ref)
            for table, column, empty in RELATED:
                await table.update({column: empty}).where(table._meta.get_column_by_name("case_ref") == ref)
            await uow.audit(principal, "erase", "case", ref, entity_org=row["org"],
                            purpose=f"retention: closed before {cutoff.date().isoformat()}",
                            detail={"fields": [*NULLED, *BLANKED], "related": [f"{t._meta.tablename}.{c}" for t, c, _ in RELATED]})
            erased.append(ref)
    return erased


async def _sweep(ctx: ServiceContext) -> list[str]:
    return await erase_closed(ctx)


RETENTION_SWEEP = PeriodicTask(name="retention", run=_sweep, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds")
