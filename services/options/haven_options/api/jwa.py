"""Joint Working Agreement endpoints: notifications and inbox, information requests, disputes."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import Body

from haven_options import cases, disputes, identification, jwa, jwa_requests
from haven_options.bodies import (
    DisputeIn,
    DisputeTabledIn,
    InfoRequestIn,
    InfoResponseIn,
    NotifyMove,
)
from haven_options.responses import (
    Acknowledged,
    DisputeOut,
    Identification,
    InboxItemOut,
    InfoRequestOut,
    InfoRequestRead,
    NotificationOut,
)
from haven_options.tables import Dispute, InfoRequest, JwaNotification
from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_runtime.openapi import as_response


def _info(row: InfoRequest) -> InfoRequestOut:
    return InfoRequestOut(**jwa_requests.view(row))


def _dispute(row: Dispute) -> DisputeOut:
    return DisputeOut(
        ref=row.ref,
        org=row.org,
        other_org=row.other_org,
        case_ref=row.case_ref,
        status=row.status,
        raised_at=row.raised_at,
        escalated_to=jwa.loads(row.escalated_to),
        tabled_meeting_on=row.tabled_meeting_on,
        tabled_forum=row.tabled_forum,
    )


class JwaController(Controller):
    path = "/jwa"
    tags = ["joint working agreement"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post("/notifications", summary="Advance contact to another borough (JWA procedure)", status_code=201)
    async def notify(
        self, data: Annotated[NotifyMove, Body()], ctx: ServiceContext, principal: Principal
    ) -> NotificationOut:
        row = await jwa.notify_move(
            ctx, principal, data.case_ref, data.to_org, data.share_information, data.notified_at
        )
        return NotificationOut(
            ref=row.ref,
            from_org=row.from_org,
            to_org=row.to_org,
            case_ref=row.case_ref,
            addressed_to=jwa.loads(row.addressed_to),
            at=row.notified_at,
            information_shared=row.information_shared,
        )

    @get("/notifications", summary="Notifications my organisation sent")
    async def sent(self, ctx: ServiceContext, principal: Principal) -> list[NotificationOut]:
        rows = (
            await JwaNotification.objects()
            .where(JwaNotification.from_org == principal.org)
            .order_by(JwaNotification.notified_at, ascending=False)
        )
        return [
            NotificationOut(
                ref=r.ref,
                from_org=r.from_org,
                to_org=r.to_org,
                case_ref=r.case_ref,
                addressed_to=jwa.loads(r.addressed_to),
                at=r.notified_at,
                acknowledged=r.acknowledged_at is not None,
                information_shared=bool(r.information_shared),
            )
            for r in rows
        ]

    @get("/inbox", summary="Notifications addressed to my organisation")
    async def inbox(self, ctx: ServiceContext, principal: Principal) -> list[NotificationOut]:
        return [NotificationOut(**n) for n in await jwa.inbox(ctx, principal)]

    @get("/inbox/{ref:str}", summary="A notification with the information borough A shared (consent-checked, audited)")
    async def inbox_item(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> InboxItemOut:
        return as_response(await jwa.read_inbox_item(ctx, principal, ref, purpose), InboxItemOut)

    @post("/inbox/{ref:str}/acknowledge", summary="Acknowledge a notification", status_code=200)
    async def acknowledge(self, ref: str, ctx: ServiceContext, principal: Principal) -> Acknowledged:
        await jwa.acknowledge(ctx, principal, ref)
        return Acknowledged(ref=ref, status="acknowledged")

    @post(
        "/information-requests",
        summary="Ask another borough for information (client approached without its knowledge)",
        status_code=201,
    )
    async def request_information(
        self, data: Annotated[InfoRequestIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> InfoRequestOut:
        async with ctx.store.transaction() as uow:
            case = await cases.load_for(
                uow, principal, data.case_ref, purpose="jwa information request", action="update"
            )
            row = await jwa_requests.request_information(
                ctx, uow, principal, case, data.to_org, data.their_case_ref, data.requested_at
            )
        return _info(row)

    @get("/information-requests", summary="Requests my organisation made or must answer")
    async def information_requests(self, ctx: ServiceContext, principal: Principal) -> list[InfoRequestOut]:
        return [InfoRequestOut(**r) for r in await jwa_requests.listing(ctx, principal)]

    @get(
        "/information-requests/{ref:str}", summary="A request; the requester sees the shared information once provided"
    )
    async def information_request(
        self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose
    ) -> InfoRequestRead:
        row = await jwa_requests.visible(ctx, principal, ref)
        body = msgspec.to_builtins(_info(row)) | {"information": None}
        if principal.org == row.requester_org and row.information_shared:
            await jwa.require_named_officer(
                ctx, principal, [row.requested_by], "jwa_information_request", ref, row.responder_org
            )
            reply = await jwa.fetch_shared(
                ctx,
                principal,
                owner_org=row.responder_org,
                case_ref=row.case_ref,
                referral_ref=row.ref,
                purpose=purpose,
            )
            body["information"] = jwa.details(reply)
        return as_response(body, InfoRequestRead)

    @post(
        "/information-requests/{ref:str}/identify",
        status_code=200,
        summary="Which of my clients the request means: fetch the requester's identifying details "
        "(consent-checked, audited) and match them against my cases",
    )
    async def identify(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> Identification:
        return as_response(await identification.identify(ctx, principal, ref, purpose), Identification)

    @post(
        "/information-requests/{ref:str}/respond", summary="Answer a request (sharing needs consent)", status_code=200
    )
    async def respond(
        self, ref: str, data: Annotated[InfoResponseIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> InfoRequestOut:
        return _info(await jwa_requests.respond(ctx, principal, ref, data.case_ref, data.share))


class DisputeController(Controller):
    """Disputes are also handled by the DV sub-group's members (``000_93a7cd5d2a8b6030.txt``, Monitoring)."""

    path = "/jwa/disputes"
    tags = ["joint working agreement"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager", "subgroup_member")]

    @post("", summary="Record a dispute with another borough", status_code=201)
    async def raise_dispute(
        self, data: Annotated[DisputeIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> DisputeOut:
        return _dispute(await disputes.raise_dispute(ctx, principal, data.other_org, data.case_ref, data.summary))

    @get("", summary="Disputes involving my organisation")
    async def list_disputes(self, ctx: ServiceContext, principal: Principal) -> list[DisputeOut]:
        return [_dispute(r) for r in await disputes.involving(principal)]

    @post(
        "/{ref:str}/tabled",
        summary="Record the DV sub-group meeting at which the dispute was tabled (before any escalation)",
        status_code=200,
    )
    async def tabled(
        self, ref: str, data: Annotated[DisputeTabledIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> DisputeOut:
        return _dispute(await disputes.table(ctx, principal, ref, data.meeting_on))

    @post(
        "/{ref:str}/escalate",
        summary="Unresolved at the DV sub-group: refer to each borough's homelessness sub-group member",
        status_code=200,
    )
    async def escalate(self, ref: str, ctx: ServiceContext, principal: Principal) -> DisputeOut:
        return _dispute(await disputes.escalate(ctx, principal, ref))

    @post("/{ref:str}/resolve", summary="Record the dispute resolved", status_code=200)
    async def resolve(self, ref: str, ctx: ServiceContext, principal: Principal) -> DisputeOut:
        return _dispute(await disputes.resolve(ctx, principal, ref))
