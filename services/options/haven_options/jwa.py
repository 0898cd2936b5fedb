"""Joint Working Agreement across boroughs (seed ``000_93a7cd5d2a8b6030.txt``).

"Where borough A has accepted a duty to a client who then decides to approach borough B
and where they notify Borough A of their intention to do so, borough A will make contact
with borough B in advance using a list of named officers with DV leads and team managers."

Borough A's officer posts a notification; the options service asks the directory over NATS
who B's DV lead and team manager are now, and writes the notification and its
``MoveNotified`` event (references only) in one transaction. B's inbox consumer receives
the addressed event and files it for B's officers.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
from litestar.exceptions import HTTPException

from haven_contracts.events.directory import RoleHolderLookup, RoleHolderReply
from haven_contracts.events.options import MoveNotified
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_options.tables import JwaInboxItem, JwaNotification

JWA_POSITIONS = ["dv_lead", "team_manager"]


async def named_officers(ctx: ServiceContext, to_org: str, requested_by: str) -> list[str]:
    """Directory ids of ``to_org``'s DV lead and team manager, asked over NATS."""
    try:
        reply = await ctx.request(RoleHolderLookup(target_org=to_org, requested_by=requested_by, positions=JWA_POSITIONS, purpose="jwa advance contact"))
    except Exception as exc:  # noqa: BLE001 - no responder / timeout
        raise HTTPException(status_code=503, detail=f"directory unavailable: {type(exc).__name__}") from None
    assert isinstance(reply, RoleHolderReply)
    if not reply.ok:
        raise HTTPException(status_code=422, detail=f"to_org: {reply.message}")
    if not reply.holders:
        raise HTTPException(status_code=422, detail=f"to_org: {to_org} has no named DV lead or team manager in the directory")
    return list(dict.fromkeys(h.officer_id for h in reply.holders))


async def notify_move(ctx: ServiceContext, principal: Principal, case_ref: str, to_org: str) -> JwaNotification:
    if to_org == principal.org:
        raise HTTPException(status_code=422, detail="to_org: must be another organisation")
    addressed = await named_officers(ctx, to_org, principal.org)
    now = datetime.now(UTC)
    row = JwaNotification(
        ref=new_reference("JWA"), from_org=principal.org, to_org=to_org, case_ref=case_ref,
        addressed_to=msgspec.json.encode(addressed).decode(), sent_by=principal.sub, notified_at=now,
    )
    async with ctx.store.transaction() as uow:
        await JwaNotification.insert(row)
        await uow.emit(
            MoveNotified(org=principal.org, to_org=to_org, notification_ref=row.ref, case_ref=case_ref, addressed_to=addressed, notified_at=now),
            ref=row.ref,
        )
        await uow.audit(principal, "create", "jwa_notification", row.ref, entity_org=principal.org, purpose="jwa advance contact")
    return row


async def receive_move_notified(ctx: ServiceContext, event: MoveNotified, envelope: Envelope, uow: UnitOfWork) -> None:
    """Inbox consumer: file the addressed notification for the receiving borough."""
    await JwaInboxItem.insert(
        JwaInboxItem(
            ref=event.notification_ref, from_org=event.org, to_org=event.to_org, case_ref=event.case_ref,
            addressed_to=msgspec.json.encode(event.addressed_to).decode(), received_at=datetime.now(UTC),
        )
    )
