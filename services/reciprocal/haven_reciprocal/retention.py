"""Retention of reciprocal referrals (issue 8, "Retention").

A referral is closed when it reaches a final stage (completed, declined, withdrawn); it has
been closed since it entered that stage (``stage_since``). Past the retention period
(``HAVEN_RETENTION_DAYS``) its household lead's name, contact, current address and blind
index, and the free-text refusal notes, are erased; the referral row, its stages, moves,
ledger and sign-offs stay for the scheme's statistics. Each erasure is audited in the same
transaction. ``lead_name_enc`` and ``name_index`` were created NOT NULL, so they are blanked
rather than nulled (``haven_runtime.retention.erase_expired`` only nulls, and needs a
closed-at column).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from piccolo.engine.sqlite import SQLiteEngine

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_reciprocal.referrals import TRANSITIONS
from haven_reciprocal.tables import Referral, Refusal

FINAL = [stage for stage, following in TRANSITIONS.items() if not following]
NULLED = ("contact_enc", "address_enc")
BLANKED = ("lead_name_enc", "name_index")


async def erase_closed(ctx: ServiceContext, now: datetime | None = None, principal: Principal | None = None,
                       limit: int = 500, org: str | None = None) -> list[str]:
    """Erase the personal fields of up to ``limit`` referrals closed before the cutoff (of the
    scheme ``org`` coordinates only, when given); their refs."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=ctx.settings.retention_days)
    erased: list[str] = []
    async with ctx.store.transaction() as uow:
        if isinstance(Referral._meta.db, SQLiteEngine):
            await Referral.raw("PRAGMA secure_delete = ON")
        expired = Referral.status.is_in(FINAL) & (Referral.stage_since <= cutoff) & Referral.erased_at.is_null()
        rows = await Referral.select(Referral.ref, Referral.arc, Referral.scheme).where(
            expired if org is None else expired & (Referral.scheme == org)
        ).limit(limit)
        for row in rows:
            ref = row["ref"]
            await Referral.update({**{f: None for f in NULLED}, **{f: "" for f in BLANKED}, "erased_at": now}).where(Referral.ref == ref)
            await Refusal.update({Refusal.note_enc: None}).where(Refusal.referral_ref == ref)
            await uow.audit(principal, "erase", "reciprocal_referral", row["arc"] or ref, entity_org=row["scheme"],
                            purpose=f"retention: closed before {cutoff.date().isoformat()}",
                            detail={"referral_ref": ref, "fields": [*NULLED, *BLANKED, "reciprocal_refusal.note_enc"]})
            erased.append(ref)
    return erased


async def _sweep(ctx: ServiceContext) -> list[str]:
    return await erase_closed(ctx)


RETENTION_SWEEP = PeriodicTask(name="retention", run=_sweep, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds")
