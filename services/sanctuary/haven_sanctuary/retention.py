"""Retention of sanctuary referrals (issue 8, "Retention").

A referral closed longer than the retention period (``HAVEN_RETENTION_DAYS``) loses the
form's personal fields, the free-text notes and its blind index; the row, its steps, clocks,
measures, costs and outcome stay for the scheme's statistics. Each erasure is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_runtime.retention import ErasurePolicy, erase_expired
from haven_sanctuary.tables import SanctuaryCriterion, SanctuaryReferral

POLICY = ErasurePolicy(
    entity="sanctuary_referral",
    table=SanctuaryReferral,
    ref_column="ref",
    closed_column="closed_at",
    erased_column="erased_at",
    personal_fields=tuple(c._meta.name for c in SanctuaryReferral._meta.columns if c._meta.name.endswith("_enc")) + ("name_index",),
)


async def erase_closed(ctx: ServiceContext, now: datetime | None = None, principal: Principal | None = None,
                       org: str | None = None) -> list[str]:
    """Erase expired closed referrals (of the scheme ``org`` only, when given), then the
    criterion notes of every erased referral."""
    report = await erase_expired(ctx.store, POLICY, retention=timedelta(days=ctx.settings.retention_days),
                                 now=now or datetime.now(UTC), principal=principal, org=org)
    erased = SanctuaryReferral.select(SanctuaryReferral.ref).where(SanctuaryReferral.erased_at.is_not_null())
    async with ctx.store.transaction():
        await SanctuaryCriterion.update({SanctuaryCriterion.note_enc: None}).where(
            SanctuaryCriterion.note_enc.is_not_null() & SanctuaryCriterion.referral_ref.is_in(erased)
        )
    return report.erased


async def _sweep(ctx: ServiceContext) -> list[str]:
    return await erase_closed(ctx)


RETENTION_SWEEP = PeriodicTask(name="retention", run=_sweep, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds")
