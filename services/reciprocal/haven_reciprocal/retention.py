"""Retention of reciprocal referrals.

A referral is closed when it reaches a final stage (completed, declined, withdrawn); it has
been closed since it entered that stage (``stage_since``). Past the retention period
(``HAVEN_RETENTION_DAYS``) its household lead's name, contact, current address and blind
index, and the free-text refusal notes, are erased; the referral row, its stages, moves,
ledger and sign-offs stay for the scheme's statistics. Each erasure is audited in the same
transaction, under the referral's ARC when it has one (``haven_runtime.retention``).
``lead_name_enc`` and ``name_index`` were created NOT NULL, so they are blanked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven_reciprocal.referrals import TRANSITIONS
from haven_reciprocal.tables import Referral, Refusal
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_runtime.retention import ErasurePolicy, Related, erase_expired

FINAL = [stage for stage, following in TRANSITIONS.items() if not following]
POLICY = ErasurePolicy(
    entity="reciprocal_referral",
    table=Referral,
    ref_column="ref",
    closed_column="stage_since",
    erased_column="erased_at",
    personal_fields=("contact_enc", "address_enc"),
    blanked_fields=("lead_name_enc", "name_index"),
    related=(Related(Refusal, "referral_ref", "note_enc"),),
    org_column="scheme",
    only_when=Referral.status.is_in(FINAL),
    audit_ref_column="arc",
)


async def erase_closed(
    ctx: ServiceContext,
    now: datetime | None = None,
    principal: Principal | None = None,
    limit: int = 500,
    org: str | None = None,
) -> list[str]:
    """Erase the personal fields of up to ``limit`` referrals closed before the cutoff (of the
    scheme ``org`` coordinates only, when given); their refs."""
    report = await erase_expired(
        ctx.store,
        POLICY,
        retention=timedelta(days=ctx.settings.retention_days),
        now=now or datetime.now(UTC),
        principal=principal,
        limit=limit,
        org=org,
    )
    return report.erased


async def _sweep(ctx: ServiceContext) -> list[str]:
    return await erase_closed(ctx)


RETENTION_SWEEP = PeriodicTask(
    name="retention", run=_sweep, interval_seconds=6 * 3600, interval_setting="retention_interval_seconds"
)
