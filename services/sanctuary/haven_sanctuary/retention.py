"""Retention of sanctuary referrals.

A referral closed longer than the retention period (``HAVEN_RETENTION_DAYS``) loses the
form's personal fields, the free-text notes and its blind index; the row, its steps, clocks,
measures, costs and outcome stay for the scheme's statistics. Each erasure is audited
(``haven_runtime.retention``).
"""

from __future__ import annotations

from haven_runtime.retention import ErasurePolicy, Related, ServiceRetention
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


RETENTION = ServiceRetention(POLICY)
erase_closed = RETENTION.erase_closed
RETENTION_SWEEP = RETENTION.sweep()
