"""Retention of sanctuary referrals.

A referral closed longer than the retention period (``HAVEN_RETENTION_DAYS``) loses the
form's personal fields, the free-text notes and its blind index; the row, its steps, clocks,
measures, costs and outcome stay for the scheme's statistics. Each erasure is audited
(``haven_runtime.retention``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_runtime.retention import ErasurePolicy, Related, erase_expired
from haven_sanctuary.tables import SanctuaryCriterion, SanctuaryReferral

POLICY = ErasurePolicy(
    entity="sanctuary_referral",
    table=SanctuaryReferral,
    ref_column="ref",
    closed_column="closed_at",
    erased_column="erased_at",
    personal_fields=tuple(c._meta.name for c in SanctuaryReferral._meta.columns if c._meta.name.endswith("_enc"))
    + ("name_index",),
    related=(Related(SanctuaryCriterion, "referral_ref", "note_enc"),),
)


async def erase_closed(
    ctx: ServiceContext, now: datetime | None = None, principal: Principal | None = None, org: str | None = None
) -> list[str]:
    """Erase expired closed referrals and their criterion notes (of the scheme ``org`` only,
    when given); their refs."""
    report = await erase_expired(
        ctx.store,
        POLICY,
        retention=timedelta(days=ctx.settings.retention_days),
        now=now or datetime.now(UTC),
        principal=principal,
        org=org,
    )
    return report.erased


async def _sweep(ctx: ServiceContext) -> list[str]:
    return await erase_closed(ctx)


RETENTION_SWEEP = PeriodicTask(
    name="retention", run=_sweep, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds"
)
