"""Joint Working Agreement across boroughs (seed ``000_93a7cd5d2a8b6030.txt``).

Path 1, advance contact: "Where borough A has accepted a duty to a client who then decides
to approach borough B and where they notify Borough A of their intention to do so, borough A
will make contact with borough B in advance using a list of named officers with DV leads and
team managers. Boroughs agree that an email/fax providing relevant information as
appropriate to assist in the case is sufficient information."

A's officer posts a notification; the service asks the directory over NATS who B's DV lead
and team manager are now and writes the notification and its ``MoveNotified`` event
(references only) in one transaction. When A chose to share information (consent-checked),
B's officers fetch it from A through the consent-checked, audited ``ReferralDetailsRequest``
(:mod:`haven_options.sharing`) when they open the notification in their inbox.

Path 2, information requests: "Where a client approaches borough B without borough A's
knowledge, information will be sent through by email/fax as soon as requested" — see
:mod:`haven_options.jwa_requests`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.events.directory import Position, RoleHolderLookup, RoleHolderReply
from haven_contracts.events.options import MoveAcknowledged, MoveNotified, ReferralDetailsReply, ReferralDetailsRequest
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_options import addresses, consent, jwa_requests, partners
from haven_options.cases import find
from haven_options.jwa_requests import contacted_at
from haven_options.tables import Case, JwaInboxItem, JwaNotification
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound, conflict, unavailable, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

JWA_POSITIONS: list[Position] = ["dv_lead", "team_manager"]


async def role_holders(
    ctx: ServiceContext, org: str, requested_by: str, positions: list[Position], purpose: str
) -> list[str]:
    """Directory ids of who holds ``positions`` at ``org``: from this deployment's own
    directory over NATS when it hosts ``org`` (503 if unreachable), else from the read model
    of ``org``'s published role holders (422 naming ``to_org`` if none has arrived)."""
    if not ctx.deployment.hosts(org):
        try:
            return await partners.known_holders(org, positions)
        except NotFound as exc:
            raise unprocessable("to_org", exc.message) from None
    try:
        reply = await ctx.request(
            RoleHolderLookup(target_org=org, requested_by=requested_by, positions=positions, purpose=purpose)
        )
    except Exception as exc:  # noqa: BLE001 - no responder / timeout
        raise unavailable(f"directory unavailable: {type(exc).__name__}") from None
    assert isinstance(reply, RoleHolderReply)
    if not reply.ok:
        raise unprocessable("to_org", reply.message or "unknown organisation")
    return list(dict.fromkeys(h.officer_id for h in reply.holders))


async def named_officers(ctx: ServiceContext, to_org: str, requested_by: str) -> list[str]:
    """``to_org``'s DV lead and team manager (422 naming ``to_org`` when it has none)."""
    addressed = await role_holders(ctx, to_org, requested_by, JWA_POSITIONS, "jwa advance contact")
    if not addressed:
        raise unprocessable("to_org", f"{to_org} has no named DV lead or team manager in the directory")
    return addressed


async def require_accepted_duty(ctx: ServiceContext, principal: Principal, case_ref: str) -> Case:
    """A's case ``case_ref``, which must exist here and have an accepted duty.

    ``000_93a7cd5d2a8b6030.txt``: "Where borough A has accepted a duty to a client who then
    decides to approach borough B ... borough A will make contact with borough B in advance".
    A reference that is no case of A's here is a 422 naming ``case_ref`` (the same answer
    whether or not another organisation holds it); a case with no accepted duty is a 409
    saying how to record one. Naming another organisation's case is an audited refusal.
    """
    case = await find(case_ref)
    unknown = f"no case of {principal.org} with this reference: open the case before advance contact"
    if case is not None and case.org != principal.org:
        await refuse(
            ctx.store,
            principal,
            "notify",
            "case",
            case_ref,
            entity_org=case.org,
            purpose="referral",
            reason="another organisation's case",
            status_code=422,
            told=unknown,
            field="case_ref",
        )
    if case is None:
        raise unprocessable("case_ref", unknown)
    if not case.duty_accepted:
        raise conflict(
            f"{principal.org} has not accepted a duty to the client on case {case.ref}: advance contact under the "
            f"Joint Working Agreement follows an accepted duty (record it with POST /cases/{case.ref}/duty-accepted)"
        )
    return case


async def notify_move(
    ctx: ServiceContext,
    principal: Principal,
    case_ref: str,
    to_org: str,
    share_information: bool = False,
    notified_at: datetime | None = None,
) -> JwaNotification:
    """Advance contact from ``principal.org`` (A) to ``to_org`` (B).

    The agreement's precondition is checked first (:func:`require_accepted_duty`); the
    information can be shared only with consent to share with B. ``notified_at`` is when A
    telephoned B, if before the officer keys it in ("make contact with borough B in advance"):
    not in the future nor before the client approached A, and audited beside the keying time.
    """
    if to_org == principal.org:
        raise unprocessable("to_org", "must be another organisation")
    case = await require_accepted_duty(ctx, principal, case_ref)
    keyed = datetime.now(UTC)
    contacted = contacted_at(case, notified_at, keyed, "notified_at")
    if share_information:
        await consent.require_basis(case.ref, "share_with_borough", to_org)
        await addresses.guard(ctx, principal, case, purpose="share", recipient_org=to_org, carries_address=True)
    addressed = await named_officers(ctx, to_org, principal.org)
    now = contacted
    row = JwaNotification(
        ref=new_reference("JWA"),
        from_org=principal.org,
        to_org=to_org,
        case_ref=case_ref,
        addressed_to=msgspec.json.encode(addressed).decode(),
        sent_by=principal.sub,
        notified_at=now,
        information_shared=share_information,
    )
    async with ctx.store.transaction() as uow:
        await JwaNotification.insert(row)
        await uow.emit(
            MoveNotified(
                org=principal.org,
                to_org=to_org,
                notification_ref=row.ref,
                case_ref=case_ref,
                addressed_to=addressed,
                notified_at=now,
                information_shared=share_information,
            ),
            ref=row.ref,
        )
        await uow.audit(
            principal,
            "create",
            "jwa_notification",
            row.ref,
            entity_org=principal.org,
            purpose="jwa advance contact",
            detail={"case_ref": case_ref, "to_org": to_org, "information_shared": share_information}
            | ({"notified_at": contacted.isoformat(), "keyed_at": keyed.isoformat()} if contacted != keyed else {}),
        )
    return row


async def receive_move_notified(ctx: ServiceContext, event: MoveNotified, envelope: Envelope, uow: UnitOfWork) -> None:
    """Inbox consumer: file the addressed notification for the receiving borough (once: a
    notification already filed, e.g. replayed from another stream, is left as it is)."""
    await JwaInboxItem.insert(
        JwaInboxItem(
            ref=event.notification_ref,
            from_org=event.org,
            to_org=event.to_org,
            case_ref=event.case_ref,
            addressed_to=msgspec.json.encode(event.addressed_to).decode(),
            received_at=datetime.now(UTC),
            information_shared=event.information_shared,
        )
    ).on_conflict(action="DO NOTHING")


async def receive_move_acknowledged(
    ctx: ServiceContext, event: MoveAcknowledged, envelope: Envelope, uow: UnitOfWork
) -> None:
    """A's side: B acknowledged, so A's sent notification shows it (B may be another deployment)."""
    row = (
        await JwaNotification.objects()
        .where(
            (JwaNotification.ref == event.notification_ref)
            & (JwaNotification.from_org == event.to_org)
            & (JwaNotification.to_org == event.org)
        )
        .first()
    )
    if row is not None and row.acknowledged_at is None:
        row.acknowledged_at = event.acknowledged_at
        await row.save([JwaNotification.acknowledged_at])


async def acknowledge(ctx: ServiceContext, principal: Principal, ref: str) -> JwaInboxItem:
    """B acknowledges a notification (409 the second time; nothing changes)."""
    async with ctx.store.transaction() as uow:
        item = (
            await JwaInboxItem.objects()
            .where((JwaInboxItem.ref == ref) & (JwaInboxItem.to_org == principal.org))
            .first()
        )
        if item is None:
            await refuse(
                ctx.store,
                principal,
                "acknowledge",
                "jwa_notification",
                ref,
                status_code=404,
                reason="no notification of that reference addressed to this organisation",
            )
        if item.acknowledged:
            raise conflict("already acknowledged")
        now = datetime.now(UTC)
        item.acknowledged = True
        item.acknowledged_by = principal.sub
        item.acknowledged_at = now
        await item.save([JwaInboxItem.acknowledged, JwaInboxItem.acknowledged_by, JwaInboxItem.acknowledged_at])
        await uow.emit(
            MoveAcknowledged(org=principal.org, to_org=item.from_org, notification_ref=ref, acknowledged_at=now),
            ref=ref,
        )
        await uow.audit(
            principal, "acknowledge", "jwa_notification", ref, entity_org=principal.org, purpose="jwa inbox"
        )
    return item


async def fetch_shared(
    ctx: ServiceContext, principal: Principal, *, owner_org: str, case_ref: str, referral_ref: str, purpose: str
) -> ReferralDetailsReply:
    """Ask the owning borough for the details it shared; audited on both sides."""
    try:
        reply = await ctx.request(
            ReferralDetailsRequest(
                target_org=owner_org,
                requested_by=principal.org,
                case_ref=case_ref,
                referral_ref=referral_ref,
                requested_by_officer=principal.sub,
                purpose=purpose,
            )
        )
    except Exception as exc:  # noqa: BLE001
        raise unavailable(f"{owner_org} did not answer: {type(exc).__name__}") from None
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "read",
            "shared_details",
            referral_ref,
            entity_org=owner_org,
            purpose=purpose,
            detail={"ok": reply.ok, "error": reply.error},
        )
    assert isinstance(reply, ReferralDetailsReply)
    return reply


async def require_named_officer(
    ctx: ServiceContext, principal: Principal, addressed_to: list[str], entity: str, ref: str, owner_org: str
) -> None:
    """What A shared is released to B's named officers: those addressed (by directory id) or
    who asked, or whoever holds B's DV lead / team manager role (the positions the JWA names)."""
    if principal.sub in addressed_to or principal.roles & {"dv_lead", "team_manager", "admin"}:
        return
    reason = "the shared information is released only to the named DV lead and team manager"
    await refuse(
        ctx.store,
        principal,
        "read",
        entity,
        ref,
        entity_org=owner_org,
        purpose="referral",
        reason=reason,
        told=reason,
        status_code=403,
    )


async def inbox_item_for(ctx: ServiceContext, principal: Principal, ref: str) -> JwaInboxItem:
    item = await JwaInboxItem.objects().where(JwaInboxItem.ref == ref).first()
    if item is None or item.to_org != principal.org:
        await refuse(
            ctx.store,
            principal,
            "read",
            "jwa_notification",
            ref,
            entity_org=item.to_org if item else "",
            reason="no such notification" if item is None else "addressed to another organisation",
            status_code=403,
        )
    return item


def loads(value) -> list[str]:
    """A JSON list column as a list (stored as text on SQLite)."""
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value)


def details(reply) -> dict[str, Any]:
    """The owner's shared details, or the 409 its refusal is."""
    if not reply.ok:
        raise conflict(f"{reply.error}: {reply.message}")
    return msgspec.to_builtins(reply)


async def inbox(ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
    """Notifications addressed to the officer's organisation, newest first (the fields of the API's
    ``NotificationOut``)."""
    rows = (
        await JwaInboxItem.select()
        .where(JwaInboxItem.to_org == principal.org)
        .order_by(JwaInboxItem.received_at, ascending=False)
    )
    return [
        {
            "ref": r["ref"],
            "from_org": r["from_org"],
            "to_org": r["to_org"],
            "case_ref": r["case_ref"],
            "addressed_to": loads(r["addressed_to"]),
            "at": r["received_at"],
            "acknowledged": r["acknowledged"],
            "information_shared": bool(r["information_shared"]),
        }
        for r in rows
    ]


async def read_inbox_item(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> dict[str, Any]:
    """A notification with the information borough A shared, when it shared any (fetched for a named officer,
    audited)."""
    item = await inbox_item_for(ctx, principal, ref)
    body: dict[str, Any] = {
        "ref": item.ref,
        "from_org": item.from_org,
        "case_ref": item.case_ref,
        "acknowledged": item.acknowledged,
        "information_shared": bool(item.information_shared),
        "information": None,
    }
    if item.information_shared:
        await require_named_officer(ctx, principal, loads(item.addressed_to), "jwa_notification", ref, item.from_org)
        reply = await fetch_shared(
            ctx, principal, owner_org=item.from_org, case_ref=item.case_ref, referral_ref=item.ref, purpose=purpose
        )
        body["information"] = details(reply)
    return body


async def read_information_request(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> dict[str, Any]:
    """An information request either party can see; once A has answered and shared, B's named
    officer (the one who asked, or B's DV lead or team manager) also sees what A shared (fetched
    from A, audited)."""
    row = await jwa_requests.visible(ctx, principal, ref)
    body: dict[str, Any] = jwa_requests.view(row) | {"information": None}
    if principal.org == row.requester_org and row.information_shared:
        await require_named_officer(
            ctx, principal, [row.requested_by], "jwa_information_request", ref, row.responder_org
        )
        reply = await fetch_shared(
            ctx, principal, owner_org=row.responder_org, case_ref=row.case_ref, referral_ref=row.ref, purpose=purpose
        )
        body["information"] = details(reply)
    return body
