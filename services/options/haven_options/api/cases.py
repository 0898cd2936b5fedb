"""Cases: open on approach, read (audited), interview, statutory clocks, one-night booking, close."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post, put
from litestar.params import Body, QueryParameter

from haven_options import cases, casework, duties, reading, retention, ta
from haven_options.bodies import (
    AddressIn,
    CloseCase,
    InterviewHeldIn,
    LocalConnectionIn,
    OpenCase,
    TaEndIn,
    TaExtendIn,
    TaIn,
)
from haven_options.responses import (
    AddressMarked,
    CaseClosed,
    CaseOut,
    CaseSummary,
    DutyClockOut,
    InterviewHeld,
    LocalConnectionChecked,
    TaBookingOut,
)
from haven_options.tables import Case
from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.controllers import retention_controller
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response

OFFICERS = requires_roles("options_officer", "dv_lead", "team_manager")


class CaseController(Controller):
    path = "/cases"
    tags = ["cases"]
    guards = [OFFICERS]

    @post("", summary="Open a case when a client approaches", status_code=201)
    async def open_case(self, data: Annotated[OpenCase, Body()], ctx: ServiceContext, principal: Principal) -> CaseOut:
        return await casework.open_case(ctx, principal, msgspec.convert(msgspec.to_builtins(data), cases.CaseInput))

    @get("", summary="My organisation's cases (no personal fields)")
    async def list_cases(
        self,
        ctx: ServiceContext,
        principal: Principal,
        status: Annotated[str | None, QueryParameter(name="status")] = None,
    ) -> list[CaseSummary]:
        return as_response(await reading.case_list(ctx, principal, status), list[CaseSummary])

    @get("/{ref:str}", summary="Read a case, with its personal fields (audited)")
    async def read_case(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> CaseOut:
        return await reading.read_case(ctx, principal, ref, purpose)

    @post("/{ref:str}/interview", summary="Record that the interview was held", status_code=200)
    async def interview_held(
        self, ref: str, data: Annotated[InterviewHeldIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> InterviewHeld:
        return InterviewHeld(**await casework.interview_held(ctx, principal, ref, data.held_at))

    @put(
        "/{ref:str}/address",
        summary="Tag the case's address: confidential refuge / safe, or former shared (audited)",
        status_code=200,
    )
    async def set_address(
        self, ref: str, data: Annotated[AddressIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> AddressMarked:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="address marking", action="update")
            if case.erased_at is not None:
                raise conflict(f"case {ref} has been erased")
            case.address_kind = data.address_kind
            columns = [Case.address_kind]
            if data.address is not None:
                case.address_enc = ctx.cipher.encrypt(data.address, ref=ref, field="address")
                columns.append(Case.address_enc)
            if data.former_address is not None:
                case.former_address_enc = ctx.cipher.encrypt(
                    data.former_address or None, ref=ref, field="former_address"
                )
                columns.append(Case.former_address_enc)
            await case.save(columns)
            await uow.audit(
                principal,
                "mark_address",
                "case",
                ref,
                entity_org=case.org,
                purpose="safe-address guard",
                detail={
                    "address_kind": data.address_kind,
                    "address_replaced": data.address is not None,
                    "former_address": None if data.former_address is None else bool(data.former_address),
                },
            )
        return AddressMarked(
            ref=ref, address_kind=case.address_kind, former_address_recorded=case.former_address_enc is not None
        )

    @post("/{ref:str}/close", summary="Close the case", status_code=200)
    async def close(
        self, ref: str, data: Annotated[CloseCase, Body()], ctx: ServiceContext, principal: Principal
    ) -> CaseClosed:
        return CaseClosed(**await cases.close(ctx, principal, ref, data.outcome))

    @post(
        "/{ref:str}/duties/relief",
        summary="The client is now homeless: prevention ends, relief starts",
        status_code=200,
    )
    async def relief(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[DutyClockOut]:
        return [DutyClockOut(**c) for c in await casework.start_relief(ctx, principal, ref)]

    @post(
        "/{ref:str}/local-connection-referral",
        summary="Check a local-connection referral (refused where at risk)",
        status_code=200,
    )
    async def local_connection(
        self, ref: str, data: Annotated[LocalConnectionIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> LocalConnectionChecked:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="local connection", action="update")
            cases.require_open(case)
            await duties.refuse_if_at_risk(uow, principal, case, data.to_org, data.household_at_risk_there)
        if data.household_at_risk_there:
            raise conflict(
                f"refused: someone in the household is at risk of domestic abuse in {data.to_org} "
                "(Housing Act 1996 s198(2)(b)); the duty stays with this authority"
            )
        return LocalConnectionChecked(
            ref=ref,
            to_org=data.to_org,
            referral_permitted=True,
            note="no one in the household is at risk there; a referral needs consent to share with that borough",
        )

    @post(
        "/{ref:str}/temporary-accommodation", summary="Book one night of temporary accommodation (JWA)", status_code=201
    )
    async def book_ta(
        self, ref: str, data: Annotated[TaIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> TaBookingOut:
        return TaBookingOut(**await ta.book_for(ctx, principal, ref, data.night_of, data.from_org))

    @post(
        "/{ref:str}/temporary-accommodation/{booking:str}/extend",
        summary="Extend a booking by decision (senior)",
        status_code=200,
    )
    async def extend_ta(
        self, ref: str, booking: str, data: Annotated[TaExtendIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> TaBookingOut:
        return TaBookingOut(**await ta.extend_for(ctx, principal, ref, booking, data.until, data.reason))

    @post(
        "/{ref:str}/temporary-accommodation/{booking:str}/end",
        summary="Record the household moved on (stops the booking's clock)",
        status_code=200,
    )
    async def end_ta(
        self, ref: str, booking: str, data: Annotated[TaEndIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> TaBookingOut:
        return TaBookingOut(**await ta.end_for(ctx, principal, ref, booking, data.ended_at))

    @get("/{ref:str}/temporary-accommodation", summary="Bookings on the case")
    async def list_ta(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[TaBookingOut]:
        return [TaBookingOut(**b) for b in await ta.bookings(ctx, principal, ref)]


RetentionController = retention_controller(retention.RETENTION, "cases")
