"""What officers read of referrals (the board, the referrer's status view, one referral in full)
and the transaction wrapper every step uses; the JSON API and the officers' pages both call these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import msgspec

from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks, funding, referrals
from haven_sanctuary.common import OFFICER_ROLES, audit_listing, for_officer, utcnow
from haven_sanctuary.eligibility import criteria
from haven_sanctuary.forms import ReferralForm
from haven_sanctuary.schemes import Scheme, scheme_for
from haven_sanctuary.survey import status_of
from haven_sanctuary.tables import SanctuaryReferral
from haven_sanctuary.works import json_list

Loader = Callable[..., Awaitable[tuple[SanctuaryReferral, Scheme]]]  # (ctx, ref, principal, *, action, purpose)
Step = Callable[[UnitOfWork, SanctuaryReferral, Scheme, datetime], Awaitable[Any]]


def clock_view(row: dict, now: datetime) -> dict:
    remaining = clocks.remaining_seconds(row, now)
    return {
        "key": row["key"],
        "label": row["label"],
        "awaiting": row["awaiting"],
        "started_at": row["started_at"],
        "target_at": row["target_at"],
        "due_at": row["due_at"],
        "remaining_seconds": remaining,
        "overdue": remaining < 0 or row["overdue_at"] is not None,
        "overdue_flagged_at": row["overdue_at"],
    }


def summary(row: SanctuaryReferral | dict, open_clocks: list[dict], now: datetime) -> dict:
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    return {
        "ref": get("ref"),
        "org": get("org"),
        "referrer_org": get("referrer_org"),
        "source": get("source"),
        "case_ref": get("case_ref"),
        "status": status_of(row),
        "received_at": get("received_at"),
        "clocks_start_at": get("clocks_start_at"),
        "out_of_hours": get("out_of_hours"),
        "unsafe_to_stay": get("unsafe_to_stay"),
        "details_status": get("details_status"),
        "tenure": get("tenure"),
        "property_type": get("property_type"),
        "eligibility": get("eligibility"),
        "landlord_permission": get("landlord_permission"),
        "funding": get("funding"),
        "funding_status": get("funding_status"),
        "recommended_measures": json_list(get("recommended_measures")),
        "works_category": get("works_category"),
        "works_due_at": get("works_due_at"),
        "works_completed_at": get("works_completed_at"),
        "emergency_accommodation_requested_at": get("emergency_accommodation_requested_at"),
        "survey_satisfaction": get("survey_satisfaction"),
        "outcome": get("outcome"),
        "clocks": [clock_view(c, now) for c in open_clocks],
    }


def referrer_view(row: SanctuaryReferral | dict) -> dict:
    """What the referring organisation may see: the status of its own referral, nothing more."""
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    return {
        "ref": get("ref"),
        "scheme": get("org"),
        "status": status_of(row),
        "received_at": get("received_at"),
        "outcome": get("outcome"),
    }


async def run_step(
    ctx: ServiceContext, ref: str, principal: Principal, loader: Loader, step: Step, *, action: str, purpose: str
) -> dict:
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


async def submit(ctx: ServiceContext, principal: Principal, form: ReferralForm) -> dict:
    """Submit the referral form; the scheme's own officers get the full summary, anyone else the referrer's view."""
    row = await referrals.submit(ctx, principal, form)
    view = referrer_view(row)
    if principal.org == row.org and principal.has_any(OFFICER_ROLES):
        view = summary(row, (await clocks.open_clocks([row.ref])).get(row.ref, []), utcnow())
    return view | {"out_of_hours": row.out_of_hours, "clocks_start_at": row.clocks_start_at}


async def listing(ctx: ServiceContext, principal: Principal, which: str = "open") -> list[dict]:
    """Referrals of the officer's scheme (``open``, ``closed`` or ``all``) with the time left on each clock
    (audited)."""
    t = SanctuaryReferral
    query = t.select().where(t.org == principal.org).order_by(t.received_at)
    if which == "open":
        query = query.where(t.closed_at.is_null())
    elif which == "closed":
        query = query.where(t.closed_at.is_not_null())
    rows = await query
    await audit_listing(ctx, principal, f"{which} referrals", len(rows))
    now = utcnow()
    running = await clocks.open_clocks([r["ref"] for r in rows])
    return [summary(r, running.get(r["ref"], []), now) for r in rows]


async def submitted(ctx: ServiceContext, principal: Principal) -> list[dict]:
    """Referrals the officer's organisation submitted: their status only (audited)."""
    t = SanctuaryReferral
    rows = await t.select().where(t.referrer_org == principal.org).order_by(t.received_at)
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "list_status",
            "sanctuary_referral",
            principal.org,
            entity_org=principal.org,
            purpose="submitted referrals",
            detail={"count": len(rows)},
        )
    return [referrer_view(r) for r in rows]


async def detail(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> dict:
    """A referral with its form, criteria and works, for a sanctuary officer of the scheme (audited with
    ``purpose``)."""
    row, _ = await for_officer(ctx, ref, principal, purpose=purpose)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "read", "sanctuary_referral", ref, entity_org=row.org, purpose=purpose)
    body = summary(row, (await clocks.open_clocks([ref])).get(ref, []), utcnow())

    def plain(column: str) -> str | None:
        return referrals.decrypt(ctx, row, column)

    body["form"] = {
        "person": {
            "name": plain("person_name_enc"),
            "address": plain("person_address_enc"),
            "telephone": plain("person_phone_enc"),
            "date_of_birth": plain("person_dob_enc"),
        },
        "property_type": row.property_type,
        "property_type_other": plain("property_other_enc"),
        "tenure": row.tenure,
        "landlord_name": plain("landlord_name_enc"),
        "reason": plain("reason_enc"),
        "referrer": {
            k: plain(f"referrer_{c}_enc")
            for k, c in (
                ("name", "name"),
                ("position", "position"),
                ("organisation", "organisation"),
                ("telephone", "phone"),
                ("email", "email"),
            )
        },
    }
    body["criteria"] = await criteria(ctx, ref)
    body["works_measures"] = json_list(row.works_measures)
    body["works_contractor"] = row.works_contractor
    return body


def scheme_view(s: Scheme) -> dict:
    return {
        "org": s.org,
        "name": s.name,
        "borough": s.borough,
        "police_org": s.police_org,
        "office_hours": msgspec.to_builtins(s.office_hours),
        "works_categories": list(s.works_categories),
        "clocks": msgspec.to_builtins(s.clocks),
        "catalogue": msgspec.to_builtins(s.catalogue),
        "funding": msgspec.to_builtins(s.funding),
        "cost_to_victim_pence": funding.COST_TO_VICTIM_PENCE,
        "source": s.source,
        "core_defaults": msgspec.to_builtins(s.core_defaults),
    }


def scheme(ctx: ServiceContext, org: str) -> dict:
    """Scheme ``org``'s published procedure (public: office hours, clocks, catalogue, funding
    rules, and which settings are core defaults); 404 when no scheme of ``org`` runs here."""
    found = scheme_for(ctx, org) if ctx.plugins.serves(org) else None
    if found is None:
        raise NotFound(f"{org} runs no sanctuary scheme here")
    return scheme_view(found)
