"""What an officer records on an open case — the options offered, the client's decisions and
consent — each in one transaction, checked and audited. The JSON API and the officers' pages
both call these (seed ``000_93a7cd5d2a8b6030.txt``: the options offered and advice given;
``003_8738e4ccc4c4272a.txt`` principle 5: agencies contacted "with the permission of the victim").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from haven_options import cases, consent, duties, interview, options_catalogue, reading, referrals
from haven_options.tables import Case
from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal
from haven_runtime.validation import not_in_future


async def open_case(ctx: ServiceContext, principal: Principal, data: cases.CaseInput):
    """Open a case when a client approaches: the interview routed and scheduled, the homelessness duty's clock started.

    Returns the case as the API answers it (without its personal fields).
    """
    if data.from_org == principal.org:
        raise unprocessable("from_org", "must be another organisation")
    now = ctx.now()
    not_in_future("approached_at", data.approached_at, now=now)
    not_in_future("person.date_of_birth", data.person.date_of_birth, now=now)
    not_in_future("last_marac_referral_on", data.last_marac_referral_on, now=now)
    async with ctx.store.transaction() as uow:
        case = await cases.insert_case(ctx, uow, principal, data)
        routing = await interview.staffed(case.org, interview.routing_for(ctx, cases.facts(case)))
        await cases.emit_opened(uow, case, routing.seen_as_emergency)
        await interview.schedule(ctx, uow, case, routing)
        await duties.start_for_homelessness(uow, case)
    return await reading.case_out(ctx, case, with_person=False)


async def offer(ctx: ServiceContext, principal: Principal, ref: str, option_ids: list[str]) -> list[dict[str, Any]]:
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="options offered", action="update")
        cases.require_open(case)
        rows = await options_catalogue.offer(ctx, uow, principal, case, cases.facts(case), option_ids)
    return [{"option_id": r.option_id, "kind": r.kind, "status": r.status} for r in rows]


async def decide(
    ctx: ServiceContext,
    principal: Principal,
    ref: str,
    option_id: str,
    decision: str,
    bedrooms: int | None = None,
    unsafe_areas: list[str] | None = None,
) -> dict[str, Any]:
    """The client's choice or refusal of an offered option, with the referrals a choice opens."""
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="option decision", action="update")
        cases.require_open(case)
        row, referral, opened = await options_catalogue.decide(
            ctx, uow, principal, case, cases.facts(case), option_id, decision, bedrooms, list(unsafe_areas or [])
        )
    now = ctx.now()
    return {
        "option_id": row.option_id,
        "kind": row.kind,
        "status": row.status,
        "referral_due_at": row.referral_due_at,
        "referral": {"ref": referral.ref, "to_org": referral.to_org} if referral else None,
        "referrals": [referrals.view(r, now) for r in opened],
    }


async def give_consent(
    ctx: ServiceContext, principal: Principal, ref: str, purpose: str, recipient: str
) -> dict[str, Any]:
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="consent", action="update")
        row = await consent.give(uow, principal, case, purpose, recipient)
    return reading.consent_view(row)


async def interview_held(
    ctx: ServiceContext, principal: Principal, ref: str, held_at: datetime | None
) -> dict[str, Any]:
    """Record the interview on open case ``ref`` held at ``held_at`` (default now; not in the future)."""
    not_in_future("held_at", held_at, now=ctx.now())
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="interview", action="update")
        cases.require_open(case)
        on_time = await interview.record_held(uow, principal, case, held_at)
    return {"ref": ref, "held_at": case.interviewed_at, "on_time": on_time}


async def accept_duty(ctx: ServiceContext, principal: Principal, ref: str, at: datetime | None = None) -> Case:
    """Record that a duty to the client on open case ``ref`` was accepted at ``at`` (default now), audited;
    the case as recorded.

    What lets the JWA's advance contact begin (``000_93a7cd5d2a8b6030.txt``: "Where borough A has
    accepted a duty to a client ...").
    """
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="duty accepted", action="update")
        cases.require_open(case)
        await duties.accept_duty(uow, principal, case, at)
    return case


async def start_relief(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict[str, Any]]:
    """The client on open case ``ref`` is now homeless: the prevention duty ends and the relief duty
    (with the main-duty decision at its end) starts; returns the clocks started."""
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="statutory duty", action="update")
        cases.require_open(case)
        started = await duties.move_to_relief(uow, principal, case)
    return [reading.clock(c) for c in started]
