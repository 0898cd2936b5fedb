"""Scheme reports (seed ``002_c1c7b199d9a53274.txt``: "Monitoring and tracking referrals
and keeping all partners up-to-date with progress").

Referrals received, moves completed, the average and 90th-percentile time from referral
to move (days, nearest-rank percentile), refusals counted by reason, and the owed-property
ledger balances per partner — for any period. No personal data.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from haven_reciprocal import ledger
from haven_reciprocal.tables import Move, Referral, Refusal


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


async def report(scheme: str, start: datetime, end: datetime) -> dict:
    referrals = await Referral.select(
        Referral.ref,
        Referral.status,
        Referral.created_at,
        Referral.subject_kind,
        Referral.tenancy,
        Referral.referring_partner,
    ).where((Referral.scheme == scheme) & (Referral.created_at >= start) & (Referral.created_at < end))
    moves = await Move.select(
        Move.referral_ref, Move.completed_at, Move.referring_partner, Move.receiving_partner
    ).where((Move.scheme == scheme) & (Move.completed_at >= start) & (Move.completed_at < end))
    created = {
        r["ref"]: r["created_at"]
        for r in await Referral.select(Referral.ref, Referral.created_at).where(
            Referral.ref.is_in([m["referral_ref"] for m in moves] or [""])
        )
    }
    days = [
        (m["completed_at"] - created[m["referral_ref"]]).total_seconds() / 86400
        for m in moves
        if m["referral_ref"] in created
    ]
    refusals = await Refusal.select(Refusal.reason).where(
        (Refusal.scheme == scheme) & (Refusal.refused_at >= start) & (Refusal.refused_at < end)
    )
    return {
        "scheme": scheme,
        "from": start,
        "to": end,
        "referrals": len(referrals),
        "referrals_by_status": dict(Counter(r["status"] for r in referrals)),
        "referrals_by_partner": dict(Counter(r["referring_partner"] for r in referrals)),
        "perpetrator_referrals": sum(r["subject_kind"] == "perpetrator" for r in referrals),
        "non_social_tenancy_referrals": sum(r["tenancy"] != "social" for r in referrals),
        "moves": len(moves),
        "days_to_move_average": (sum(days) / len(days)) if days else None,
        "days_to_move_p90": percentile(days, 90),
        "refusals": len(refusals),
        "refusals_by_reason": dict(Counter(r["reason"] for r in refusals)),
        "ledger_balances": await ledger.balances(scheme, at=end),
    }
