"""Disputes between boroughs under the JWA (``000_93a7cd5d2a8b6030.txt``, Monitoring).

"In the unlikely event of boroughs not being able to reach agreement at this forum [the DV
sub-group], the disputed case should be referred to the appropriate member of the
homelessness sub group for each borough concerned." A dispute is recorded by one borough
against another; either records it tabled at a meeting of the DV sub-group ("A DV sub-group
will meet quarterly": the forum ``<borough>-jwa-dv-subgroup`` in the directory, with its
quarterly schedule); only a tabled dispute may be escalated, which addresses it to each
borough's ``homelessness_subgroup_member`` from the directory; either may record it resolved.

Each step is an event from the acting borough addressed to the other, and each side's
consumer keeps its own row (without the summary, which stays encrypted with the borough
that wrote it), so the dispute is visible to both when they run separate deployments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import msgspec

from haven_contracts.events.options import DisputeEscalated, DisputeRaised, DisputeResolved, DisputeTabled
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_options.jwa import role_holders
from haven_options.tables import Dispute, JwaInboxItem, JwaNotification
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork


async def raise_dispute(
    ctx: ServiceContext, principal: Principal, other_org: str, case_ref: str, summary: str | None
) -> Dispute:
    if other_org == principal.org:
        raise unprocessable("other_org", "must be another organisation")
    now = datetime.now(UTC)
    ref = new_reference("DISP")
    row = Dispute(
        ref=ref,
        org=principal.org,
        other_org=other_org,
        case_ref=case_ref,
        summary_enc=ctx.cipher.encrypt(summary, ref=ref, field="summary"),
        raised_by=principal.sub,
        raised_at=now,
    )
    async with ctx.store.transaction() as uow:
        await Dispute.insert(row)
        await uow.emit(
            DisputeRaised(org=principal.org, to_org=other_org, dispute_ref=ref, case_ref=case_ref, raised_at=now),
            ref=ref,
        )
        await uow.audit(principal, "create", "jwa_dispute", ref, entity_org=principal.org, purpose="jwa dispute raised")
    return row


async def visible(ctx: ServiceContext, principal: Principal, ref: str) -> Dispute:
    row = await Dispute.objects().where(Dispute.ref == ref).first()
    if row is None or principal.org not in (row.org, row.other_org):
        await refuse(
            ctx.store,
            principal,
            "read",
            "jwa_dispute",
            ref,
            entity_org=row.org if row else "",
            reason="no such dispute" if row is None else "not a party to the dispute",
            status_code=403,
        )
    return row


async def involving(principal: Principal) -> list[Dispute]:
    """Disputes the officer's borough raised or had raised against it, oldest first."""
    return (
        await Dispute.objects()
        .where((Dispute.org == principal.org) | (Dispute.other_org == principal.org))
        .order_by(Dispute.raised_at)
    )


async def shared_cases(principal: Principal) -> list[tuple[str, str]]:
    """``(other borough, case reference)`` for each case the JWA brought between the officer's
    borough and another: advance contact it sent (its own case) or received (the other
    borough's case). These are the cases a dispute between two boroughs can be about."""
    sent = await JwaNotification.select(JwaNotification.to_org, JwaNotification.case_ref).where(
        JwaNotification.from_org == principal.org
    )
    received = await JwaInboxItem.select(JwaInboxItem.from_org, JwaInboxItem.case_ref).where(
        JwaInboxItem.to_org == principal.org
    )
    pairs = [(r["to_org"], r["case_ref"]) for r in sent] + [(r["from_org"], r["case_ref"]) for r in received]
    return list(dict.fromkeys(pairs))


LONDON = ZoneInfo("Europe/London")


def subgroup_forum(org: str) -> str:
    """The directory key of the DV sub-group forum as ``org`` lists it (its boroughs' plugins)."""
    return f"{org}-jwa-dv-subgroup"


async def table(ctx: ServiceContext, principal: Principal, ref: str, meeting_on: date) -> Dispute:
    """Record that the dispute was tabled at the DV sub-group's meeting on ``meeting_on``.

    The meeting has been held (not a future date) and followed the dispute (not before the
    day it was raised); a dispute is tabled once (409 the second time, naming the meeting).
    """
    today = datetime.now(UTC).astimezone(LONDON).date()
    if meeting_on > today:
        raise unprocessable("meeting_on", "cannot be in the future: record the meeting once it has been held")
    async with ctx.store.transaction() as uow:
        row = await visible(ctx, principal, ref)
        if row.status != "open":
            raise conflict(f"dispute {ref} is {row.status}")
        if row.tabled_meeting_on is not None:
            raise conflict(
                f"dispute {ref} was already tabled at the DV sub-group meeting on {row.tabled_meeting_on.isoformat()}"
            )
        if meeting_on < row.raised_at.astimezone(LONDON).date():
            raise unprocessable("meeting_on", "cannot be before the dispute was raised")
        now, forum = datetime.now(UTC), subgroup_forum(principal.org)
        row.tabled_at, row.tabled_meeting_on, row.tabled_forum = now, meeting_on, forum
        await row.save([Dispute.tabled_at, Dispute.tabled_meeting_on, Dispute.tabled_forum])
        await uow.emit(
            DisputeTabled(
                org=principal.org,
                to_org=_other(row, principal.org),
                dispute_ref=ref,
                meeting_on=meeting_on,
                tabled_at=now,
                forum_key=forum,
            ),
            ref=ref,
        )
        await uow.audit(
            principal,
            "update",
            "jwa_dispute",
            ref,
            entity_org=row.org,
            purpose="jwa dispute tabled",
            detail={"meeting_on": meeting_on.isoformat(), "forum": forum},
        )
    return row


def referred_to(row: Dispute) -> list[str]:
    """Directory ids of the homelessness sub-group members an escalated dispute went to."""
    value = row.escalated_to
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value or [])


def require_tabled(row: Dispute) -> None:
    """409 unless the dispute was tabled at the DV sub-group: the agreement refers to the
    homelessness sub-group only a case the boroughs could not agree "at this forum"."""
    if row.tabled_meeting_on is None:
        raise conflict(
            f"dispute {row.ref} has not been tabled at a DV sub-group meeting: the Joint Working Agreement refers a "
            f"dispute to the homelessness sub-group only when the boroughs cannot agree at that forum (record the "
            f"meeting with POST /jwa/disputes/{row.ref}/tabled)"
        )


async def escalate(ctx: ServiceContext, principal: Principal, ref: str) -> Dispute:
    row = await visible(ctx, principal, ref)
    if row.status != "open":
        raise conflict(f"dispute {ref} is {row.status}")
    require_tabled(row)
    members: list[str] = []
    for org in (row.org, row.other_org):
        members += await role_holders(
            ctx, org, principal.org, ["homelessness_subgroup_member"], "jwa dispute escalation"
        )
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        row = await visible(ctx, principal, ref)
        if row.status != "open":
            raise conflict(f"dispute {ref} is {row.status}")
        row.status, row.escalated_at, row.escalated_to = "escalated", now, msgspec.json.encode(members).decode()
        await row.save([Dispute.status, Dispute.escalated_at, Dispute.escalated_to])
        await uow.emit(
            DisputeEscalated(
                org=principal.org,
                to_org=_other(row, principal.org),
                dispute_ref=ref,
                escalated_at=now,
                escalated_to=members,
            ),
            ref=ref,
        )
        await uow.audit(principal, "escalate", "jwa_dispute", ref, entity_org=row.org, purpose="jwa dispute escalated")
    return row


async def resolve(ctx: ServiceContext, principal: Principal, ref: str) -> Dispute:
    async with ctx.store.transaction() as uow:
        row = await visible(ctx, principal, ref)
        if row.status == "resolved":
            raise conflict(f"dispute {ref} is already resolved")
        now = datetime.now(UTC)
        row.status, row.resolved_at = "resolved", now
        await row.save([Dispute.status, Dispute.resolved_at])
        await uow.emit(
            DisputeResolved(org=principal.org, to_org=_other(row, principal.org), dispute_ref=ref, resolved_at=now),
            ref=ref,
        )
        await uow.audit(principal, "resolve", "jwa_dispute", ref, entity_org=row.org, purpose="jwa dispute resolved")
    return row


def _other(row: Dispute, org: str) -> str:
    """The borough on the other side of ``row`` from ``org`` (events come from the acting one)."""
    return row.other_org if org == row.org else row.org


async def receive_dispute_raised(
    ctx: ServiceContext, event: DisputeRaised, envelope: Envelope, uow: UnitOfWork
) -> None:
    """The other borough's side: record the dispute raised against it."""
    if not await Dispute.exists().where(Dispute.ref == event.dispute_ref):
        await Dispute.insert(
            Dispute(
                ref=event.dispute_ref,
                org=event.org,
                other_org=event.to_org,
                case_ref=event.case_ref,
                raised_by="",
                raised_at=event.raised_at,
            )
        )


async def receive_dispute_tabled(
    ctx: ServiceContext, event: DisputeTabled, envelope: Envelope, uow: UnitOfWork
) -> None:
    row = await Dispute.objects().where(Dispute.ref == event.dispute_ref).first()
    if row is not None and row.tabled_meeting_on is None and {event.org, event.to_org} == {row.org, row.other_org}:
        row.tabled_at, row.tabled_meeting_on, row.tabled_forum = event.tabled_at, event.meeting_on, event.forum_key
        await row.save([Dispute.tabled_at, Dispute.tabled_meeting_on, Dispute.tabled_forum])


async def receive_dispute_escalated(
    ctx: ServiceContext, event: DisputeEscalated, envelope: Envelope, uow: UnitOfWork
) -> None:
    row = await Dispute.objects().where(Dispute.ref == event.dispute_ref).first()
    if row is not None and row.status == "open" and {event.org, event.to_org} == {row.org, row.other_org}:
        row.status, row.escalated_at, row.escalated_to = (
            "escalated",
            event.escalated_at,
            msgspec.json.encode(event.escalated_to).decode(),
        )
        await row.save([Dispute.status, Dispute.escalated_at, Dispute.escalated_to])


async def receive_dispute_resolved(
    ctx: ServiceContext, event: DisputeResolved, envelope: Envelope, uow: UnitOfWork
) -> None:
    row = await Dispute.objects().where(Dispute.ref == event.dispute_ref).first()
    if row is not None and row.status != "resolved" and {event.org, event.to_org} == {row.org, row.other_org}:
        row.status, row.resolved_at = "resolved", event.resolved_at
        await row.save([Dispute.status, Dispute.resolved_at])
