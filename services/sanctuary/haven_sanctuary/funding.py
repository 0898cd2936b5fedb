"""Funding by tenure (seed ``004_d4b796f614d2cfd3.txt`` section 6).

"There is no cost to the victim for using the sanctuary scheme. For DBC tenants, the
scheme is funded within existing budgets. For private sector tenants or owner-occupiers,
the scheme is funded from Communities and Local Government Preventing Homelessness Grant.
For housing association tenants, the Council will request the RSL resources the works, but
will cover this cost if this is not possible."

The rule comes from the scheme (plugin value or core default); the decision is recorded on
the referral with a ``funding-decided`` event, and the cost of completed works is summed by
funding source in :func:`report`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.sanctuary import SanctuaryFundingDecided
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary.common import log_step
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryReferral

COST_TO_VICTIM_PENCE = 0


def initial_funding(scheme: Scheme, tenure: str | None) -> tuple[str | None, str]:
    """``(funding source, status)`` for a tenure; a landlord asked to pay is ``landlord_asked``."""
    rule = scheme.funding_for(tenure)
    if rule is None:
        return None, "undecided"
    if rule.funding == "landlord" and rule.fallback is not None:
        return "landlord", "landlord_asked"
    return rule.funding, "decided"


async def decide_initial(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, at: datetime, principal: Principal | None
) -> None:
    funding, status = initial_funding(scheme, row.tenure)
    row.funding, row.funding_status = funding, status
    if funding is None:
        return
    await uow.emit(
        SanctuaryFundingDecided(org=row.org, referral_ref=row.ref, at=at, funding=funding, status=status), ref=row.ref
    )
    await log_step(
        row, "funding_decided" if status == "decided" else "landlord_funding_requested", principal, at, funding=funding
    )


async def landlord_decision(
    uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, accepts: bool, at: datetime, principal: Principal
) -> None:
    """The landlord accepts to resource the works, or declines and the fallback (the council) pays."""
    if row.funding_status != "landlord_asked":
        raise conflict("funding: the landlord was not asked to fund the works of this referral")
    rule = scheme.funding_for(row.tenure)
    row.funding = "landlord" if accepts else (rule.fallback if rule and rule.fallback else "council")
    row.funding_status = "decided"
    await uow.emit(SanctuaryFundingDecided(org=row.org, referral_ref=row.ref, at=at, funding=row.funding), ref=row.ref)
    await log_step(
        row, "landlord_funding_accepted" if accepts else "landlord_funding_declined", principal, at, funding=row.funding
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A bound without an offset is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


async def report(org: str, since: datetime | None = None, until: datetime | None = None) -> dict:
    """Completed works of ``org``'s scheme: count and cost by funding source (pence)."""
    since, until = _aware(since), _aware(until)
    t = SanctuaryReferral
    query = t.select(t.funding, t.works_cost_pence, t.works_completed_at).where(
        (t.org == org) & t.works_completed_at.is_not_null()
    )
    totals: dict[str, dict[str, int]] = {}
    for r in await query:
        if since and r["works_completed_at"] < since or until and r["works_completed_at"] >= until:
            continue
        bucket = totals.setdefault(r["funding"] or "undecided", {"referrals": 0, "cost_pence": 0})
        bucket["referrals"] += 1
        bucket["cost_pence"] += r["works_cost_pence"] or 0
    return {
        "org": org,
        "by_funding": dict(sorted(totals.items())),
        "total_cost_pence": sum(b["cost_pence"] for b in totals.values()),
        "cost_to_victims_pence": COST_TO_VICTIM_PENCE,
    }
