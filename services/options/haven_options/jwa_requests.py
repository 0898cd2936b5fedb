"""JWA information requests: a client approaches borough B without borough A's knowledge.

``000_93a7cd5d2a8b6030.txt``: "Where a client approaches borough B without borough A's
knowledge, information will be sent through by email/fax as soon as requested."

B records the approach as a case and asks A (``InformationRequested``, references only).
A's inbox consumer starts A's response clock from A's ``haven_jwa_settings`` (core default:
the same working day); B's answer to its own request already carries the same due time,
computed by the same rule (:func:`response_deadline`), so the asking officer knows at once
by when A must answer. A refusal to share for want of consent is audited on the request
before the 409 (the refused attempt would otherwise leave no trace). A answers (``InformationProvided``); when A shares,
B's officers fetch the details through the consent-checked ``ReferralDetailsRequest``. A missed clock raises
``InformationOverdue``, escalated to A's team manager from the directory.

One row per request serves both sides (the consumers upsert it, so the same code works when
A and B run separate deployments).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haven_contracts.clocks import Deadline
from haven_contracts.events.directory import RoleHolderLookup, RoleHolderReply
from haven_contracts.events.options import InformationOverdue, InformationProvided, InformationRequested
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_contracts.plugin.options import JwaSettings
from haven_options import addresses, consent
from haven_options.cases import find, load_for
from haven_options.tables import Case, InfoRequest
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import recorded_at


def jwa_settings(ctx: ServiceContext, org: str) -> JwaSettings:
    result = ctx.plugins.call(org, "haven_jwa_settings")
    return result if isinstance(result, JwaSettings) else JwaSettings(source="core default")


def response_deadline(ctx: ServiceContext, responder_org: str, requested_at: datetime) -> Deadline:
    """When ``responder_org`` must answer a request made at ``requested_at``."""
    return ctx.calendar(responder_org).due(requested_at, jwa_settings(ctx, responder_org).information_response)


async def request_information(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    to_org: str,
    their_case_ref: str | None,
    requested_at: datetime | None = None,
) -> InfoRequest:
    """B asks A; ``requested_at`` is when B asked by telephone or e-mail before keying it in (default now).

    A's response clock runs from the asking ("as soon as requested"), so a request keyed in
    later carries the time it was made: not in the future, not before the client approached
    B, and audited beside the keying time.
    """
    if to_org == case.org:
        raise unprocessable("to_org", "must be another organisation")
    now = datetime.now(UTC)
    asked = contacted_at(case, requested_at, now, "requested_at")
    row = InfoRequest(
        ref=new_reference("INFO"),
        requester_org=case.org,
        responder_org=to_org,
        case_ref=case.ref,
        their_case_ref=their_case_ref,
        requested_by=principal.sub,
        requested_at=asked,
        due_at=response_deadline(ctx, to_org, asked).due_at,
    )
    await InfoRequest.insert(row)
    await uow.emit(
        InformationRequested(
            org=case.org,
            to_org=to_org,
            request_ref=row.ref,
            case_ref=case.ref,
            requested_at=asked,
            their_case_ref=their_case_ref,
        ),
        ref=row.ref,
    )
    await uow.audit(
        principal,
        "create",
        "jwa_information_request",
        row.ref,
        entity_org=case.org,
        purpose="jwa information request",
        detail={"requested_at": asked.isoformat(), "keyed_at": now.isoformat()} if asked != now else None,
    )
    return row


async def ask(
    ctx: ServiceContext,
    principal: Principal,
    case_ref: str,
    to_org: str,
    their_case_ref: str | None,
    requested_at: datetime | None = None,
) -> InfoRequest:
    """B's officer asks A about one of B's cases (the case read is audited): :func:`request_information`
    in its own transaction, for a caller that has not opened one."""
    async with ctx.store.transaction() as uow:
        case = await load_for(uow, principal, case_ref, purpose="jwa information request", action="update")
        return await request_information(ctx, uow, principal, case, to_org, their_case_ref, requested_at)


def contacted_at(case: Case, at: datetime | None, now: datetime, field: str) -> datetime:
    """When a borough contacted another by telephone or e-mail about ``case`` before keying it
    in (``at``, default ``now``): not in the future, not before the client approached; a 422
    names ``field`` otherwise."""
    return recorded_at(field, at, now=now, not_before=case.approached_at, since="the client approached")


async def receive_information_requested(
    ctx: ServiceContext, event: InformationRequested, envelope: Envelope, uow: UnitOfWork
) -> None:
    """A's side: file the request and start A's response clock."""
    due = response_deadline(ctx, event.to_org, event.requested_at)
    row = await InfoRequest.objects().where(InfoRequest.ref == event.request_ref).first()
    if row is None:
        row = InfoRequest(
            ref=event.request_ref,
            requester_org=event.org,
            responder_org=event.to_org,
            case_ref=event.case_ref,
            their_case_ref=event.their_case_ref,
            requested_by="",
            requested_at=event.requested_at,
        )
        await InfoRequest.insert(row)
    row.received_at = datetime.now(UTC)
    row.due_at = due.due_at
    await row.save([InfoRequest.received_at, InfoRequest.due_at])


async def respond(
    ctx: ServiceContext, principal: Principal, request_ref: str, case_ref: str | None, share: bool
) -> InfoRequest:
    """A answers B's request, sharing the named case's details when consent allows and the
    safe-address guard does (checked before the write transaction so a block stays audited)."""
    if share and case_ref:
        shared = await find(case_ref)
        request = await InfoRequest.objects().where(InfoRequest.ref == request_ref).first()
        if (
            shared is not None
            and shared.org == principal.org
            and request is not None
            and request.responder_org == principal.org
        ):
            await addresses.guard(
                ctx, principal, shared, purpose="share", recipient_org=request.requester_org, carries_address=True
            )
            if request.provided_at is None:
                await _refuse_without_consent(ctx, principal, request, shared)
    async with ctx.store.transaction() as uow:
        row = await InfoRequest.objects().where(InfoRequest.ref == request_ref).first()
        if row is None or row.responder_org != principal.org:
            await refuse(
                ctx.store,
                principal,
                "respond",
                "jwa_information_request",
                request_ref,
                entity_org=row.responder_org if row else "",
                reason="no such request" if row is None else "addressed to another organisation",
                status_code=403,
            )
        if row.provided_at is not None:
            raise conflict("this request has already been answered")
        if share:
            case = await find(case_ref) if case_ref else None
            if case is None or case.org != principal.org:
                raise unprocessable("case_ref", "name one of your organisation's cases to share from")
            await consent.require_basis(case.ref, "share_with_borough", row.requester_org)
        now = datetime.now(UTC)
        row.provided_at = now
        row.provided_by = principal.sub
        row.responder_case_ref = case_ref if share else None
        row.information_shared = share
        await row.save(
            [
                InfoRequest.provided_at,
                InfoRequest.provided_by,
                InfoRequest.responder_case_ref,
                InfoRequest.information_shared,
            ]
        )
        await uow.emit(
            InformationProvided(
                org=principal.org,
                to_org=row.requester_org,
                request_ref=row.ref,
                requested_at=row.requested_at,
                provided_at=now,
                information_shared=share,
                due_at=row.due_at,
            ),
            ref=row.ref,
        )
        await uow.audit(
            principal,
            "respond",
            "jwa_information_request",
            row.ref,
            entity_org=principal.org,
            purpose="jwa information request answered",
            detail={"case_ref": case_ref, "shared": share},
        )
    return row


async def _refuse_without_consent(ctx: ServiceContext, principal: Principal, request: InfoRequest, case: Case) -> None:
    """Audit, then refuse (409), an answer that would share without consent or a safeguarding override.

    The refusal is written in its own transaction: the 409 rolls back the answer's, and a
    refused share must still appear in the request's audit trail.
    """
    if await consent.basis_for(case.ref, "share_with_borough", request.requester_org) is not None:
        return
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "refuse",
            "jwa_information_request",
            request.ref,
            entity_org=principal.org,
            purpose="jwa information request answered",
            detail={"reason": "no_consent", "case_ref": case.ref, "recipient": request.requester_org},
        )
    await consent.require_basis(case.ref, "share_with_borough", request.requester_org)


async def receive_information_provided(
    ctx: ServiceContext, event: InformationProvided, envelope: Envelope, uow: UnitOfWork
) -> None:
    """B's side: mark the request answered."""
    row = await InfoRequest.objects().where(InfoRequest.ref == event.request_ref).first()
    if row is None:
        row = InfoRequest(
            ref=event.request_ref,
            requester_org=event.to_org,
            responder_org=event.org,
            case_ref="",
            requested_by="",
            requested_at=event.requested_at,
        )
        await InfoRequest.insert(row)
    if row.provided_at is None:
        row.provided_at = event.provided_at
        row.information_shared = event.information_shared
        await row.save([InfoRequest.provided_at, InfoRequest.information_shared])


async def team_managers(ctx: ServiceContext, org: str) -> list[str]:
    try:
        reply = await ctx.request(
            RoleHolderLookup(target_org=org, requested_by=org, positions=["team_manager"], purpose="jwa escalation")
        )
    except Exception:  # noqa: BLE001 - the breach is still raised, without names
        return []
    return [h.officer_id for h in reply.holders] if isinstance(reply, RoleHolderReply) and reply.ok else []


async def check_overdue(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``InformationOverdue`` for every unanswered request past its clock; returns their refs.

    The team managers are looked up first (a bus request, not to be made while holding row
    locks); the requests are then claimed atomically, so replicas sweeping together raise
    each one once."""
    pending = await InfoRequest.select(InfoRequest.ref, InfoRequest.responder_org).where(
        InfoRequest.provided_at.is_null()
        & (InfoRequest.overdue == False)
        & InfoRequest.due_at.is_not_null()  # noqa: E712
        & (InfoRequest.due_at <= now)
    )
    if not pending:
        return []
    escalation = {org: await team_managers(ctx, org) for org in sorted({row["responder_org"] for row in pending})}
    async with ctx.store.transaction() as uow:
        claimed = await uow.claim(
            InfoRequest.overdue,
            True,
            InfoRequest.ref.is_in([row["ref"] for row in pending]) & InfoRequest.provided_at.is_null(),
            InfoRequest.ref,
            InfoRequest.responder_org,
            InfoRequest.requester_org,
            InfoRequest.requested_at,
            InfoRequest.due_at,
        )
        for row in claimed:
            escalated = escalation.get(row["responder_org"], [])
            await uow.emit(
                InformationOverdue(
                    org=row["responder_org"],
                    to_org=row["requester_org"],
                    request_ref=row["ref"],
                    requested_at=row["requested_at"],
                    due_at=row["due_at"],
                    detected_at=now,
                    escalated_to=escalated,
                ),
                ref=row["ref"],
            )
            await uow.audit(
                None,
                "escalate",
                "jwa_information_request",
                row["ref"],
                entity_org=row["responder_org"],
                purpose="jwa information response overdue",
                detail={"escalated_to": escalated},
            )
    return [row["ref"] for row in claimed]


async def visible(ctx: ServiceContext, principal: Principal, ref: str) -> InfoRequest:
    row = await InfoRequest.objects().where(InfoRequest.ref == ref).first()
    if row is None or principal.org not in (row.requester_org, row.responder_org):
        await refuse(
            ctx.store,
            principal,
            "read",
            "jwa_information_request",
            ref,
            entity_org=row.responder_org if row else "",
            reason="no such request" if row is None else "not a party to the request",
            status_code=403,
        )
    return row


def view(row: InfoRequest) -> dict[str, Any]:
    """A request as the API answers it (the fields of its ``InfoRequestOut``)."""
    return {
        "ref": row.ref,
        "requester_org": row.requester_org,
        "responder_org": row.responder_org,
        "case_ref": row.case_ref,
        "their_case_ref": row.their_case_ref,
        "requested_at": row.requested_at,
        "due_at": row.due_at,
        "provided_at": row.provided_at,
        "information_shared": bool(row.information_shared),
        "overdue": bool(row.overdue),
        "received_at": row.received_at,
    }


async def listing(ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
    """Requests the officer's organisation made or must answer."""
    rows = await InfoRequest.objects().where(
        (InfoRequest.requester_org == principal.org) | (InfoRequest.responder_org == principal.org)
    )
    return [view(r) for r in rows]
