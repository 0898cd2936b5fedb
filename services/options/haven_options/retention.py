"""Retention of options cases.

A case closed longer than the retention period (``HAVEN_RETENTION_DAYS``, settings
``retention_days``) loses its personal fields — the encrypted name, date of birth, addresses,
phone, safe contact, landlord name and blind index — and the free-text reasons recorded on
it. The rows stay, so monitoring counts, dates, channels, tenures, clocks and outcomes are
unchanged. Each erasure is audited in the same transaction (``haven_runtime.retention``).
``name_enc`` and ``name_index`` were created NOT NULL, so they are blanked rather than nulled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven_options.tables import Case, Dispute, RiskAssessment, SafeguardingOverride, TaBooking
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask
from haven_runtime.retention import ErasurePolicy, Related, erase_expired

POLICY = ErasurePolicy(
    entity="case",
    table=Case,
    ref_column="ref",
    closed_column="closed_at",
    erased_column="erased_at",
    personal_fields=(
        "date_of_birth_enc",
        "address_enc",
        "phone_enc",
        "safe_contact_enc",
        "landlord_name_enc",
        "former_address_enc",
    ),
    blanked_fields=("name_enc", "name_index"),
    related=(
        Related(RiskAssessment, "case_ref", "judgement_reason_enc"),
        Related(TaBooking, "case_ref", "extension_reason_enc"),
        Related(Dispute, "case_ref", "summary_enc"),
        Related(SafeguardingOverride, "case_ref", "reason_enc", empty=""),
    ),
    only_when=Case.status == "closed",
)


async def erase_closed(
    ctx: ServiceContext,
    now: datetime | None = None,
    principal: Principal | None = None,
    limit: int = 500,
    org: str | None = None,
) -> list[str]:
    """Erase the personal fields of up to ``limit`` cases closed before the cutoff (of ``org``
    only, when given); their refs."""
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
