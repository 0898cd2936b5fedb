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

from haven_reciprocal.referrals import TRANSITIONS
from haven_reciprocal.tables import Referral, Refusal
from haven_runtime.retention import ErasurePolicy, Related, ServiceRetention

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


RETENTION = ServiceRetention(POLICY)
erase_closed = RETENTION.erase_closed
RETENTION_SWEEP = RETENTION.sweep()
