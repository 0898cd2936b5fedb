"""Assessment endpoints: ask the police to inspect, the CPO's appointment, the recommendations."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response
from haven_sanctuary import referrals, steps
from haven_sanctuary.common import for_police
from haven_sanctuary.forms import InspectionBooking, InspectionRequest, Recommendations
from haven_sanctuary.responses import InspectionVisit, ReferralSummary


class AssessmentController(Controller):
    path = "/referrals/{ref:str}/inspection"
    tags = ["assessment"]

    @post(
        "/request",
        summary="Ask the police / crime-prevention officer to inspect the property",
        status_code=200,
        guards=[requires_roles("sanctuary_officer")],
    )
    async def request_inspection(
        self, ref: str, data: Annotated[InspectionRequest, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "inspection-request", data), ReferralSummary)

    @get(
        "/visit",
        summary="What the inspecting officer needs: address and telephone (audited)",
        guards=[requires_roles("police_cpo", "sanctuary_officer")],
    )
    async def visit(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> InspectionVisit:
        row, _ = await for_police(ctx, ref, principal, purpose=purpose)
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read", "sanctuary_referral", ref, entity_org=row.org, purpose=purpose)
        return InspectionVisit(
            ref=ref,
            address=referrals.decrypt(ctx, row, "person_address_enc"),
            telephone=referrals.decrypt(ctx, row, "person_phone_enc"),
            property_type=row.property_type,
            appointment_at=row.inspection_appointment_at,
        )

    @post(
        "/booking",
        summary="Record the CPO's appointment at the property",
        status_code=200,
        guards=[requires_roles("police_cpo", "sanctuary_officer")],
    )
    async def book(
        self, ref: str, data: Annotated[InspectionBooking, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "inspection-booking", data), ReferralSummary)

    @post(
        "/recommendations",
        summary="Record the police recommendations (measures from the catalogue)",
        status_code=200,
        guards=[requires_roles("police_cpo", "sanctuary_officer")],
    )
    async def recommendations(
        self, ref: str, data: Annotated[Recommendations, Body()], ctx: ServiceContext, principal: Principal
    ) -> ReferralSummary:
        return as_response(await steps.perform(ctx, principal, ref, "recommendations", data), ReferralSummary)
