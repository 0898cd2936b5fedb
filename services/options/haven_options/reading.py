"""What officers read of a case — the case with its clocks, DASH assessments, options available,
advice, consents and sheets issued — each read checked and audited. The JSON API and the
officers' pages both call these, so a page shows exactly what the API would answer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec

from haven_options import cases, consent, interview, options_catalogue, sheet
from haven_options.responses import CaseOut, DutyClockOut, Household, InterviewOut
from haven_options.tables import Case, CaseOption, DutyClock, RiskAssessment, Sheet
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.prepared import Prepared


def clock(c: DutyClock) -> dict[str, Any]:
    return {
        "duty": c.duty,
        "started_at": c.started_at,
        "due_at": c.due_at,
        "ended_at": c.ended_at,
        "expired": bool(c.expired_raised),
    }


_CLOCKS_OF_CASE = Prepared[DutyClock](
    lambda ref: DutyClock.objects().where(DutyClock.case_ref == ref).order_by(DutyClock.id)
)


async def case_out(
    ctx: ServiceContext, case: Case, *, with_person: bool, clocks: list[DutyClock] | None = None
) -> CaseOut:
    """The case as the API answers it; ``clocks`` are its duty clocks when already read."""
    routing = interview.routing_of(case)
    if clocks is None:
        clocks = await _CLOCKS_OF_CASE.objects(case.ref)
    return CaseOut(
        ref=case.ref,
        org=case.org,
        status=case.status,
        channel=case.channel,
        tenure=case.tenure,
        approached_at=case.approached_at,
        household=Household(adults=case.adults, children=case.children, pregnant=case.pregnant),
        perpetrator_at_property=case.perpetrator_at_property,
        homelessness=case.homelessness,
        interview=InterviewOut(
            **msgspec.structs.asdict(routing),
            due_at=case.interview_due_at,
            held_at=case.interviewed_at,
            overdue=bool(case.interview_overdue),
            clock_core_default=interview.clock_core_default(ctx, case.org, routing),
        ),
        marac_recommended=bool(case.marac_recommended),
        duties=[DutyClockOut(**clock(c)) for c in clocks],
        person=cases.decrypt_person(ctx, case) if with_person else None,
    )


async def case_list(ctx: ServiceContext, principal: Principal, status: str | None = None) -> list[dict[str, Any]]:
    """The officer's organisation's cases, newest first, without personal fields (the listing is audited)."""
    query = (
        Case.select(
            Case.ref,
            Case.status,
            Case.channel,
            Case.tenure,
            Case.approached_at,
            Case.interview_due_at,
            Case.interview_overdue,
        )
        .where(Case.org == principal.org)
        .order_by(Case.approached_at, ascending=False)
    )
    if status:
        query = query.where(Case.status == status)
    rows = await query
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "list", "case", "*", entity_org=principal.org, purpose="case list")
    return rows


async def read_case(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> CaseOut:
    """The case with its client's details (an audited read with ``purpose``).

    The duty clocks are read while the audit record commits (the reader and the writer are
    separate connections), not after it; they are answered only once the case is known to
    be the caller's and its read audited."""
    clocks = asyncio.ensure_future(_CLOCKS_OF_CASE.objects(ref))
    clocks.add_done_callback(lambda task: task.cancelled() or task.exception())  # retrieved if unused
    try:
        case = await cases.read_for(ctx.store, principal, ref, purpose=purpose)
    except BaseException:
        clocks.cancel()
        raise
    return await case_out(ctx, case, with_person=True, clocks=await clocks)


async def decisions(ctx: ServiceContext, principal: Principal, ref: str) -> dict[str, Any]:
    """What was decided on case ``ref`` beside its clocks (an audited read): when a duty to the
    client was accepted, and the day of its last MARAC referral (``None`` where not recorded)."""
    case = await cases.read_for(ctx.store, principal, ref, purpose="casework decisions")
    return {
        "duty_accepted_at": case.duty_accepted_at if case.duty_accepted else None,
        "marac_referred_on": case.last_marac_referral_on,
    }


async def assessments(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict[str, Any]]:
    """The case's DASH checklists with their answers and the MARAC criteria that fired."""
    async with ctx.store.transaction() as uow:
        await cases.load_for(uow, principal, ref, purpose="DASH risk assessment")
    rows = await RiskAssessment.select(
        RiskAssessment.ref,
        RiskAssessment.yes_count,
        RiskAssessment.criteria,
        RiskAssessment.marac_recommended,
        RiskAssessment.assessed_at,
        RiskAssessment.answers,
    ).where(RiskAssessment.case_ref == ref)
    return [
        {**r, "criteria": msgspec.json.decode(r["criteria"]), "answers": msgspec.json.decode(r["answers"])}
        for r in rows
    ]


async def options_available(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict[str, Any]]:
    """The options for the case (core plus the organisation's) with eligibility, what was offered and who to ask consent
    of."""
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="housing options")
    status = {
        r["option_id"]: r["status"]
        for r in await CaseOption.select(CaseOption.option_id, CaseOption.status).where(CaseOption.case_ref == ref)
    }
    facts = cases.facts(case)
    return [
        {
            **msgspec.to_builtins(o),
            "status": status.get(o.id),
            "consent_recipient": options_catalogue.consent_recipient(ctx, facts, o),
        }
        for o in options_catalogue.options_for(ctx, facts)
    ]


async def advice(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict[str, Any]]:
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="housing options")
    return [msgspec.to_builtins(a) for a in sheet.advice_for(ctx, cases.facts(case))]


def consent_view(row) -> dict[str, Any]:
    return {
        "ref": row.ref,
        "purpose": row.purpose,
        "recipient": row.recipient,
        "given_at": row.given_at,
        "given_by": row.given_by,
        "withdrawn_at": row.withdrawn_at,
        "active": row.withdrawn_at is None,
    }


async def consents(ctx: ServiceContext, principal: Principal, ref: str) -> dict[str, Any]:
    async with ctx.store.transaction() as uow:
        await cases.load_for(uow, principal, ref, purpose="consent")
    given, overrides = await consent.listing(ref)
    return {
        "consents": [consent_view(c) for c in given],
        "safeguarding_overrides": [
            {
                "ref": o.ref,
                "purpose": o.purpose,
                "recipient": o.recipient,
                "authorised_by": o.authorised_by,
                "at": o.at,
                "flagged": True,
            }
            for o in overrides
        ],
    }


async def sheets(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict[str, Any]]:
    """The versions of the case's options sheet issued so far."""
    async with ctx.store.transaction() as uow:
        await cases.load_for(uow, principal, ref, purpose="options sheet")
    return (
        await Sheet.select(Sheet.ref, Sheet.version, Sheet.issued_by, Sheet.issued_at)
        .where(Sheet.case_ref == ref)
        .order_by(Sheet.version)
    )
