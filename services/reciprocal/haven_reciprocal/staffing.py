"""Named leads kept in step with the directory (seed ``002_c1c7b199d9a53274.txt`` §3:
partners are responsible for "Identifying named leads within the Local Authority Housing
Team or Registered Provider and informing Cambridgeshire Specialist DA Services of any
changes in staffing").

Where a partner records its reciprocal named lead in the directory (position
``reciprocal_named_lead``), the directory's ``role-holder-changed`` event is that notice:
this consumer ends the previous holder's named-lead holding and opens the new holder's in
every scheme the partner has signed, with the directory's officer id as ``officer_id``
(the ``sub`` that officer signs in with). Named leads recorded through the reciprocal API
are unaffected.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from haven_contracts.events.directory import Position, RoleHolderChanged, RoleHolderLookup, RoleHolderReply
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_reciprocal.tables import NamedLead, Partner
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.store import UnitOfWork

log = logging.getLogger("haven.reciprocal")
POSITION: Position = "reciprocal_named_lead"
SYSTEM = "directory"


async def _name_of(ctx: ServiceContext, org: str, officer_id: str) -> str:
    """The officer's name from the directory; the id itself if the directory cannot say."""
    try:
        reply = await ctx.request(
            RoleHolderLookup(target_org=org, requested_by=org, positions=[POSITION], purpose="reciprocal named lead"),
            timeout=2.0,
        )
    except Exception:  # noqa: BLE001 - directory unreachable: the id stands in for the name
        return officer_id
    if isinstance(reply, RoleHolderReply) and reply.ok:
        for holder in reply.holders:
            if holder.officer_id == officer_id:
                return holder.name
    return officer_id


async def on_role_holder_changed(
    ctx: ServiceContext, event: RoleHolderChanged, envelope: Envelope, uow: UnitOfWork
) -> None:
    if event.position != POSITION:
        return
    schemes = [
        r["scheme"]
        for r in await Partner.select(Partner.scheme).where((Partner.org == event.org) & (Partner.status == "signed"))
    ]
    if not schemes:
        return
    now = datetime.now(UTC)
    name = await _name_of(ctx, event.org, event.officer_id) if event.officer_id else None
    for scheme in schemes:
        current = (NamedLead.scheme == scheme) & (NamedLead.org == event.org) & NamedLead.end.is_null()
        if event.previous_officer_id:
            await NamedLead.update({NamedLead.end: now}).where(
                current & (NamedLead.officer_id == event.previous_officer_id)
            )
        if event.officer_id and not await NamedLead.exists().where(
            current & (NamedLead.officer_id == event.officer_id)
        ):
            await NamedLead.insert(
                NamedLead(
                    scheme=scheme, org=event.org, officer_id=event.officer_id, name=name, start=now, recorded_by=SYSTEM
                )
            )
        await uow.audit(
            None,
            "named_lead_changed",
            "reciprocal_partner",
            event.org,
            entity_org=scheme,
            purpose="change of staffing (directory)",
            detail={"officer_id": event.officer_id, "previous": event.previous_officer_id},
        )


CONSUMER = ConsumerSpec(
    purpose="named-leads",
    from_service="directory",
    filter_subject=event_filter("directory", RoleHolderChanged.name),  # every version: an unknown one is dead-lettered
    handler=on_role_holder_changed,
)
