"""Who holds which position at another organisation, without asking another deployment.

An organisation's directory entries live only in the deployment hosting it. Its directory publishes
``RoleHoldersPublished`` snapshots; this service keeps the latest per organisation (:class:`PartnerRoleHolders`) and
routes JWA notifications, escalations and disputes from it. An organisation whose snapshot has not
arrived is unknown here — that is the boundary, not a failure to paper over.

For an organisation this deployment hosts, its own directory is asked over request/reply
instead: it is authoritative and in the same deployment, so a change an officer has just
made is seen at once rather than when the event comes back round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec

from haven_contracts.events.directory import RoleHoldersPublished
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_options.tables import PartnerRoleHolders
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound
from haven_runtime.store import UnitOfWork


async def receive_role_holders(
    ctx: ServiceContext, event: RoleHoldersPublished, envelope: Envelope, uow: UnitOfWork
) -> None:
    """Keep the newest snapshot per organisation (an older one arriving late changes nothing)."""
    row = await PartnerRoleHolders.objects().where(PartnerRoleHolders.org == event.org).first()
    holders = msgspec.json.encode(event.holders).decode()
    now = datetime.now(UTC)
    if row is None:
        await PartnerRoleHolders.insert(
            PartnerRoleHolders(org=event.org, holders=holders, published_at=event.published_at, received_at=now)
        )
    elif event.published_at >= row.published_at:
        row.holders, row.published_at, row.received_at = holders, event.published_at, now
        await row.save([PartnerRoleHolders.holders, PartnerRoleHolders.published_at, PartnerRoleHolders.received_at])


async def known_holders(org: str, positions: Sequence[str]) -> list[str]:
    """Directory ids holding ``positions`` at ``org``, in the order asked; raises
    :class:`~haven_runtime.errors.NotFound` when ``org``'s directory has never been heard from."""
    row = await PartnerRoleHolders.objects().where(PartnerRoleHolders.org == org).first()
    if row is None:
        raise NotFound(f"no directory entry for {org} has reached this deployment")
    holders = msgspec.json.decode(row.holders) if isinstance(row.holders, (str, bytes)) else row.holders
    return list(dict.fromkeys(officer for position in positions for officer in holders.get(position, [])))


async def known_organisations() -> list[str]:
    return sorted(r["org"] for r in await PartnerRoleHolders.select(PartnerRoleHolders.org))


CONSUMER = ConsumerSpec(
    purpose="partner-role-holders",
    from_service="directory",
    filter_subject=event_filter("directory", RoleHoldersPublished.name, RoleHoldersPublished.version, addressed=False),
    handler=receive_role_holders,
)
