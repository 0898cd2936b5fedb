"""Publishing a hosted organisation's current role holders to other deployments.

Each deployment's directory owns only its hosted organisations' records. Other deployments route notifications from a
local read model, so the owner publishes ``RoleHoldersPublished`` — a whole snapshot of directory ids per
position, never names or contacts — after seeding and with every position change. A
snapshot (rather than only the change) lets a deployment that joins later, or missed an
event, converge from the latest one alone; the digest keeps restarts from re-publishing
what has not changed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import msgspec

from haven_contracts.events.directory import RoleHoldersPublished
from haven_directory.tables import PositionHolding, PublishedHolders
from haven_runtime.store import UnitOfWork


async def current_holders(org: str, on: date) -> dict[str, list[str]]:
    """``{position: [officer ids]}`` of the holdings open at ``org`` on ``on``."""
    rows = (
        await PositionHolding.select(PositionHolding.position, PositionHolding.officer_key)
        .where(
            (PositionHolding.org == org)
            & (PositionHolding.start <= on)
            & (PositionHolding.end.is_null() | (PositionHolding.end > on))
        )
        .order_by(PositionHolding.position)
        .order_by(PositionHolding.start)
        .order_by(PositionHolding.id)
    )
    out: dict[str, list[str]] = {}
    for row in rows:
        keys = out.setdefault(row["position"], [])
        if row["officer_key"] not in keys:
            keys.append(row["officer_key"])
    return out


async def publish_holders(uow: UnitOfWork, org: str, now: datetime | None = None) -> bool:
    """Emit ``org``'s snapshot in ``uow`` when it differs from the last one; True if emitted."""
    now = now or datetime.now(UTC)
    holders = await current_holders(org, now.date())
    digest = hashlib.sha256(msgspec.json.encode(holders, order="sorted")).hexdigest()
    last = await PublishedHolders.objects().where(PublishedHolders.org == org).first()
    if last is not None and last.digest == digest:
        return False
    if last is None:
        await PublishedHolders.insert(PublishedHolders(org=org, digest=digest, published_at=now))
    else:
        last.digest, last.published_at = digest, now
        await last.save([PublishedHolders.digest, PublishedHolders.published_at])
    await uow.emit(RoleHoldersPublished(org=org, holders=holders, published_at=now), ref=org)
    return True
