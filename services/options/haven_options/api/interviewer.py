"""The matched interviewer (AG/013 principle 2; Bromley's female officer) and the requests not met."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body, QueryParameter

from haven_options import cases, interviewer
from haven_options.bodies import InterviewerMatchIn
from haven_options.responses import InterviewerMatchNotRecorded, InterviewerMatchOut
from haven_options.tables import InterviewerMatch
from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal, requires_roles


def _match(row: InterviewerMatch) -> InterviewerMatchOut:
    unmet = interviewer.as_list(row.unmet)
    return InterviewerMatchOut(
        case_ref=row.case_ref,
        offered=interviewer.as_list(row.offered),
        requested=interviewer.as_list(row.requested),
        interviewed_by=row.interviewed_by,
        provided=interviewer.as_list(row.provided),
        request_met=not unmet,
        unmet=unmet,
        reason_not_met=row.reason_not_met,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


class InterviewerController(Controller):
    path = "/cases/{ref:str}/interview/match"
    tags = ["cases"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post(
        "",
        summary="Record the same-sex / same-culture interviewer offered, the client's answer and who interviewed",
        status_code=201,
    )
    async def record(
        self, ref: str, data: Annotated[InterviewerMatchIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> InterviewerMatchOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="interviewer match", action="update")
            row = await interviewer.record(
                uow,
                principal,
                case,
                offered=list(data.offered),
                requested=list(data.requested),
                interviewed_by=data.interviewed_by,
                provided=list(data.provided),
                reason_not_met=data.reason_not_met,
            )
        return _match(row)

    @get("", summary="The interviewer offer and match recorded on the case")
    async def show(
        self, ref: str, ctx: ServiceContext, principal: Principal
    ) -> InterviewerMatchOut | InterviewerMatchNotRecorded:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(uow, principal, ref, purpose="interviewer match")
        row = await interviewer.find(ref)
        return (
            _match(row)
            if row
            else InterviewerMatchNotRecorded(
                case_ref=ref, required_offers=interviewer.offers_required(case), recorded=False
            )
        )


class InterviewerMonitoringController(Controller):
    """``003_8738e4ccc4c4272a.txt``, Monitoring: "Procedures will be monitored" — here, requests not met."""

    path = "/monitoring"
    tags = ["monitoring"]
    guards = [requires_roles("dv_lead", "team_manager", "auditor")]

    @get(
        "/interviewer-requests",
        summary="My organisation's requests for a same-sex / same-culture interviewer that were not met",
    )
    async def unmet(
        self,
        ctx: ServiceContext,
        principal: Principal,
        start: Annotated[datetime, QueryParameter(name="from")],
        end: Annotated[datetime, QueryParameter(name="to")],
    ) -> list[InterviewerMatchOut]:
        if start.tzinfo is None or end.tzinfo is None:
            raise unprocessable("from" if start.tzinfo is None else "to", "needs a timezone, e.g. 2026-01-01T00:00:00Z")
        if end <= start:
            raise unprocessable("to", "must be after from")
        rows = await interviewer.unmet_between(principal.org, start, end)
        async with ctx.store.transaction() as uow:
            await uow.audit(
                principal,
                "read",
                "monitoring",
                "interviewer-requests",
                entity_org=principal.org,
                purpose="interviewer requests not met",
            )
        return [_match(r) for r in rows]
