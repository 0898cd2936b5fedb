"""Response shapes and the transaction wrapper every step endpoint uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks
from haven_sanctuary.common import utcnow
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.survey import status_of
from haven_sanctuary.tables import SanctuaryReferral
from haven_sanctuary.works import json_list

Loader = Callable[..., Awaitable[tuple[SanctuaryReferral, Scheme]]]  # (ctx, ref, principal, *, action, purpose)
Step = Callable[[UnitOfWork, SanctuaryReferral, Scheme, datetime], Awaitable[Any]]


def clock_view(row: dict, now: datetime) -> dict:
    remaining = clocks.remaining_seconds(row, now)
    return {
        "key": row["key"], "label": row["label"], "awaiting": row["awaiting"], "started_at": row["started_at"],
        "target_at": row["target_at"], "due_at": row["due_at"], "remaining_seconds": remaining,
        "overdue": remaining < 0 or row["overdue_at"] is not None, "overdue_flagged_at": row["overdue_at"],
    }


def summary(row: SanctuaryReferral | dict, open_clocks: list[dict], now: datetime) -> dict:
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    return {
        "ref": get("ref"), "org": get("org"), "referrer_org": get("referrer_org"), "source": get("source"),
        "case_ref": get("case_ref"), "status": status_of(row), "received_at": get("received_at"),
        "clocks_start_at": get("clocks_start_at"), "out_of_hours": get("out_of_hours"), "unsafe_to_stay": get("unsafe_to_stay"),
        "details_status": get("details_status"), "tenure": get("tenure"), "property_type": get("property_type"),
        "eligibility": get("eligibility"), "landlord_permission": get("landlord_permission"),
        "funding": get("funding"), "funding_status": get("funding_status"),
        "recommended_measures": json_list(get("recommended_measures")), "works_category": get("works_category"),
        "works_due_at": get("works_due_at"), "works_completed_at": get("works_completed_at"),
        "emergency_accommodation_requested_at": get("emergency_accommodation_requested_at"),
        "survey_satisfaction": get("survey_satisfaction"), "outcome": get("outcome"),
        "clocks": [clock_view(c, now) for c in open_clocks],
    }


def referrer_view(row: SanctuaryReferral | dict) -> dict:
    """What the referring organisation may see: the status of its own referral, nothing more."""
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    return {"ref": get("ref"), "scheme": get("org"), "status": status_of(row), "received_at": get("received_at"),
            "outcome": get("outcome")}


async def run_step(ctx: ServiceContext, ref: str, principal: Principal, loader: Loader, step: Step, *,
                   action: str, purpose: str) -> dict:
    """Load, apply one step, save, audit — all in one transaction; an error changes nothing."""
    now = utcnow()
    async with ctx.store.transaction() as uow:
        row, scheme = await loader(ctx, ref, principal, action=action, purpose=purpose)
        extra = await step(uow, row, scheme, now)
        row.status = status_of(row)
        await row.save()
        await uow.audit(principal, action, "sanctuary_referral", row.ref, entity_org=row.org, purpose=purpose)
    running = (await clocks.open_clocks([row.ref])).get(row.ref, [])
    body = summary(row, running, now)
    if isinstance(extra, dict):
        body |= extra
    return body
