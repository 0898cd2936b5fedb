"""Recording a DASH assessment and a MARAC referral on a case (rules in :mod:`haven_options.dash`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec

from haven_contracts.events.options import MaracCriteriaMet, MaracReferred, RiskAssessed
from haven_contracts.ids import new_reference
from haven_contracts.plugin.options import MaracSettings
from haven_options import cases, consent, dash
from haven_options.tables import Case, RiskAssessment
from haven_runtime.calendar import LONDON
from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import not_in_future

MARAC_RECIPIENT = "marac"


def marac_settings(ctx: ServiceContext, org: str) -> MaracSettings:
    result = ctx.plugins.call(org, "haven_marac_settings")
    return (
        result if isinstance(result, MaracSettings) else MaracSettings(source="core default: SafeLives 3 in 12 months")
    )


def today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()


async def assess(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    *,
    answers: list[dash.Answer],
    assessed_on: date | None,
    incident_on: date | None,
    professional_judgement: bool,
    judgement_reason: str | None,
    incident_dates: list[date],
) -> tuple[RiskAssessment, dash.DashResult]:
    settings = marac_settings(ctx, case.org)
    on = assessed_on or today()
    try:
        result = dash.evaluate(
            answers,
            assessed_on=on,
            incident_on=incident_on,
            professional_judgement=professional_judgement,
            judgement_reason=judgement_reason,
            incident_dates=incident_dates,
            last_marac_referral_on=case.last_marac_referral_on,
            settings=settings,
        )
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise unprocessable(field, message) from None
    ref = new_reference("DASH")
    now = datetime.now(UTC)
    row = RiskAssessment(
        ref=ref,
        case_ref=case.ref,
        org=case.org,
        answers=msgspec.json.encode(answers).decode(),
        yes_count=result.yes_count,
        criteria=msgspec.json.encode(result.criteria).decode(),
        marac_recommended=result.marac_recommended,
        judgement_reason_enc=ctx.cipher.encrypt(judgement_reason, ref=ref, field="judgement_reason"),
        detail=msgspec.json.encode(
            {
                "assessed_on": on,
                "incident_dates": incident_dates,
                "escalation_window": result.escalation_window,
                "escalation_incidents": result.escalation_incidents,
            }
        ).decode(),
        assessed_by=principal.sub,
        assessed_at=now,
    )
    await RiskAssessment.insert(row)
    if result.marac_recommended and not case.marac_recommended:
        case.marac_recommended = True
        await case.save([Case.marac_recommended])
    await uow.emit(
        RiskAssessed(
            org=case.org,
            case_ref=case.ref,
            assessment_ref=ref,
            yes_count=result.yes_count,
            criteria=result.criteria,
            marac_recommended=result.marac_recommended,
            assessed_at=now,
        ),
        ref=case.ref,
    )
    if result.criteria:
        await uow.emit(
            MaracCriteriaMet(
                org=case.org, case_ref=case.ref, assessment_ref=ref, criteria=result.criteria, assessed_at=now
            ),
            ref=case.ref,
        )
    await uow.audit(principal, "create", "risk_assessment", ref, entity_org=case.org, purpose="DASH risk assessment")
    return row, result


async def refer_to_marac(uow: UnitOfWork, principal: Principal, case: Case) -> str:
    """Record a MARAC referral (consent or override to refer to MARAC needed); it starts the repeat window."""
    basis = await consent.require_basis(case.ref, "refer_to_marac", MARAC_RECIPIENT)
    now = datetime.now(UTC)
    case.last_marac_referral_on = today()
    await case.save([Case.last_marac_referral_on])
    await uow.emit(
        MaracReferred(org=case.org, case_ref=case.ref, referred_at=now, override=basis.startswith("override")),
        ref=case.ref,
    )
    await uow.audit(
        principal, "refer", "case", case.ref, entity_org=case.org, purpose="MARAC referral", detail={"basis": basis}
    )
    return basis


async def refer_case(ctx: ServiceContext, principal: Principal, ref: str) -> dict:
    """Record case ``ref``'s MARAC referral (needs consent or a safeguarding override); when and on what basis."""
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="MARAC referral", action="update")
        basis = await refer_to_marac(uow, principal, case)
    return {"case_ref": ref, "referred_on": case.last_marac_referral_on, "basis": basis}


async def assess_case(
    ctx: ServiceContext,
    principal: Principal,
    ref: str,
    *,
    answers: list[dash.Answer],
    assessed_on: date | None = None,
    incident_on: date | None = None,
    professional_judgement: bool = False,
    judgement_reason: str | None = None,
    incident_dates: list[date] | None = None,
) -> dict:
    """Record a DASH checklist on open case ``ref``: the MARAC criteria that fired and the MARAC it would go to."""
    now = ctx.now()
    not_in_future("assessed_on", assessed_on, now=now)
    not_in_future("incident_on", incident_on, now=now)
    for i, day in enumerate(incident_dates or []):
        not_in_future(f"incident_dates[{i}]", day, now=now)
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="DASH risk assessment", action="update")
        cases.require_open(case)
        row, result = await assess(
            ctx,
            uow,
            principal,
            case,
            answers=list(answers),
            assessed_on=assessed_on,
            incident_on=incident_on,
            professional_judgement=professional_judgement,
            judgement_reason=judgement_reason,
            incident_dates=list(incident_dates or []),
        )
    settings = marac_settings(ctx, case.org)
    return {
        "ref": row.ref,
        "case_ref": ref,
        **msgspec.to_builtins(result),
        "marac": {"name": settings.marac_name, "live": settings.marac_live, "source": settings.source},
    }
