"""Case work: DASH risk, housing options and decisions, the options sheet, consent."""

from __future__ import annotations

from typing import Annotated, Any, cast

from litestar import Controller, MediaType, Response, get, post
from litestar.params import Body

from haven_contracts.plugin.options import Advice
from haven_options import cases, casework, consent, reading, risk, sheet
from haven_options.bodies import ConsentIn, DashIn, DecisionIn, OfferIn, OverrideIn, SheetIn
from haven_options.dash import RISK_FACTORS
from haven_options.responses import (
    AssessmentOut,
    ConsentOut,
    ConsentsOut,
    DashAssessed,
    MaracReferral,
    OptionAvailable,
    OptionDecided,
    OptionOffered,
    OverrideOut,
    RiskFactor,
    SheetContent,
    SheetVersion,
)
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response

OFFICERS = requires_roles("options_officer", "dv_lead", "team_manager")
#: the answer of ``GET /dash/risk-factors``: fixed, so built once
FACTORS = [RiskFactor(number=i + 1, topic=label) for i, label in enumerate(RISK_FACTORS)]


class RiskController(Controller):
    path = "/cases/{ref:str}"
    tags = ["risk"]
    guards = [OFFICERS]

    @post(
        "/risk-assessments", summary="Record a DASH checklist; returns the MARAC criteria that fired", status_code=201
    )
    async def assess(
        self, ref: str, data: Annotated[DashIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> DashAssessed:
        assessed = await risk.assess_case(
            ctx,
            principal,
            ref,
            answers=list(data.answers),
            assessed_on=data.assessed_on,
            incident_on=data.incident_on,
            professional_judgement=data.professional_judgement,
            judgement_reason=data.judgement_reason,
            incident_dates=list(data.incident_dates),
        )
        return as_response(assessed, DashAssessed)

    @get("/risk-assessments", summary="DASH assessments on the case")
    async def list_assessments(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[AssessmentOut]:
        return as_response(await reading.assessments(ctx, principal, ref), list[AssessmentOut])

    @post(
        "/marac-referral", summary="Record a MARAC referral (needs consent or a safeguarding override)", status_code=201
    )
    async def marac(self, ref: str, ctx: ServiceContext, principal: Principal) -> MaracReferral:
        return MaracReferral(**await risk.refer_case(ctx, principal, ref))


class DashController(Controller):
    path = "/dash"
    tags = ["risk"]

    @get("/risk-factors", summary="The 24 DASH risk factors as short topic labels")
    async def factors(self) -> list[RiskFactor]:
        return FACTORS


class OptionsController(Controller):
    path = "/cases/{ref:str}"
    tags = ["options"]
    guards = [OFFICERS]

    @get("/options", summary="Options available for this case: core plus the organisation's, with eligibility")
    async def available(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[OptionAvailable]:
        return as_response(await reading.options_available(ctx, principal, ref), list[OptionAvailable])

    @get("/advice", summary="Advice the organisation gives for this case")
    async def advice(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[Advice]:
        return as_response(await reading.advice(ctx, principal, ref), list[Advice])

    @post("/options/offer", summary="Record options offered", status_code=201)
    async def offer(
        self, ref: str, data: Annotated[OfferIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> list[OptionOffered]:
        return as_response(await casework.offer(ctx, principal, ref, list(data.option_ids)), list[OptionOffered])

    @post("/options/{option_id:str}/decision", summary="Record the client's choice or refusal", status_code=200)
    async def decide(
        self, ref: str, option_id: str, data: Annotated[DecisionIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> OptionDecided:
        decided = await casework.decide(
            ctx, principal, ref, option_id, data.decision, data.bedrooms, list(data.unsafe_areas)
        )
        return as_response(decided, OptionDecided)


class SheetController(Controller):
    path = "/cases/{ref:str}/sheets"
    tags = ["options sheet"]
    guards = [OFFICERS]

    @post("", summary="Issue a new version of the options offered / advice given sheet", status_code=201)
    async def issue(
        self, ref: str, data: Annotated[SheetIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> SheetContent:
        return as_response(
            await sheet.issue_for(ctx, principal, ref, data.officer_name, data.officer_contact), SheetContent
        )

    @get("", summary="Issued versions")
    async def versions(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[SheetVersion]:
        return as_response(await reading.sheets(ctx, principal, ref), list[SheetVersion])

    @get("/{version:int}", summary="One version as JSON, or printable HTML with ?format=html")
    async def one(
        self, ref: str, version: int, ctx: ServiceContext, principal: Principal, format: str = "json"
    ) -> Response[SheetContent]:
        content = await sheet.read(ctx, principal, ref, version)
        if format == "html":
            return Response(
                cast(Any, sheet.render_html(content)),  # the same version, printable
                media_type=MediaType.HTML,
                headers={"Content-Security-Policy": sheet.CONTENT_SECURITY_POLICY},
            )
        return Response(as_response(content, SheetContent))


class ConsentController(Controller):
    path = "/cases/{ref:str}"
    tags = ["consent"]
    guards = [OFFICERS]

    @post("/consents", summary="Record the client's consent for a purpose and recipient", status_code=201)
    async def give(
        self, ref: str, data: Annotated[ConsentIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ConsentOut:
        return ConsentOut(**await casework.give_consent(ctx, principal, ref, data.purpose, data.recipient))

    @post("/consents/{consent_ref:str}/withdraw", summary="The client withdraws a consent", status_code=200)
    async def withdraw(self, ref: str, consent_ref: str, ctx: ServiceContext, principal: Principal) -> ConsentOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="consent", action="update")
            row = await consent.withdraw(uow, principal, case, consent_ref)
        return ConsentOut(**reading.consent_view(row))

    @post(
        "/safeguarding-overrides",
        summary="Share without consent for safeguarding (senior role, reason required)",
        status_code=201,
    )
    async def override(
        self, ref: str, data: Annotated[OverrideIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> OverrideOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="safeguarding override", action="update")
            row = await consent.override(ctx, uow, principal, case, data.purpose, data.recipient, data.reason)
        return OverrideOut(
            ref=row.ref,
            purpose=row.purpose,
            recipient=row.recipient,
            authorised_by=row.authorised_by,
            at=row.at,
            flagged=True,
        )

    @get("/consents", summary="Consents and safeguarding overrides on the case")
    async def listing(self, ref: str, ctx: ServiceContext, principal: Principal) -> ConsentsOut:
        return as_response(await reading.consents(ctx, principal, ref), ConsentsOut)
