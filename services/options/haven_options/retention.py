"""Retention of options cases.

A case closed longer than the retention period (``HAVEN_RETENTION_DAYS``, settings
``retention_days``) loses its personal fields — the encrypted name, date of birth, addresses,
phone, safe contact, landlord name and blind index — and the free-text reasons recorded on
it. The rows stay, so monitoring counts, dates, channels, tenures, clocks and outcomes are
unchanged. Each erasure is audited in the same transaction (``haven_runtime.retention``).
``name_enc`` and ``name_index`` were created NOT NULL, so they are blanked rather than nulled.
"""

from __future__ import annotations

from haven_options.tables import Case, Dispute, RiskAssessment, SafeguardingOverride, TaBooking
from haven_runtime.retention import ErasurePolicy, Related, ServiceRetention

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


RETENTION = ServiceRetention(POLICY)
erase_closed = RETENTION.erase_closed
RETENTION_SWEEP = RETENTION.sweep()
