"""Named officers and the positions they hold (seed ``000_93a7cd5d2a8b6030.txt``: boroughs
contact each other "using a list of named officers with DV leads and team managers").

Plugin data is loaded idempotently by officer ``key``; a position change made through the
API closes the previous holding and opens a new one, so who held it on a date stays
answerable, and emits ``RoleHolderChanged`` (ids only).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from haven_contracts.events.directory import RoleHolder, RoleHolderChanged, RoleHolderLookup, RoleHolderReply
from haven_runtime.context import ServiceContext
from haven_runtime.store import UnitOfWork
from haven_directory.tables import Officer, PositionHolding


async def load_plugin_officers(ctx: ServiceContext) -> int:
    """Upsert every officer the plugins declare; open holdings only where none is open."""
    count = 0
    today = datetime.now(UTC).date()
    for organisation in ctx.plugins.organisations():
        for data in ctx.plugins.call_results(organisation.id, "haven_directory_data"):
            for rec in data.officers:
                async with ctx.store.transaction():
                    existing = await Officer.objects().where(Officer.key == rec.key).first()
                    values = dict(
                        org=rec.org, name=rec.name, email=rec.email, phone=rec.phone, sex=rec.sex,
                        dv_specialism=rec.dv_specialism, confidential=rec.confidential, source=rec.source,
                        updated_at=datetime.now(UTC),
                    )
                    if existing is None:
                        await Officer.insert(Officer(key=rec.key, **values))
                    for position in rec.positions:
                        open_holding = await PositionHolding.exists().where(
                            (PositionHolding.org == rec.org) & (PositionHolding.position == position) & PositionHolding.end.is_null()
                        )
                        if not open_holding and (rec.end is None or rec.end >= today):
                            await PositionHolding.insert(
                                PositionHolding(org=rec.org, position=position, officer_key=rec.key,
                                                start=rec.start or today, end=rec.end, changed_at=datetime.now(UTC))
                            )
                    count += 1
    return count


async def holders(org: str, positions: list[str], on: date | None = None) -> list[RoleHolder]:
    on = on or datetime.now(UTC).date()
    query = PositionHolding.select().where(
        (PositionHolding.org == org)
        & PositionHolding.position.is_in(positions)
        & (PositionHolding.start <= on)
        & (PositionHolding.end.is_null() | (PositionHolding.end > on))
    ).order_by(PositionHolding.position)
    result: list[RoleHolder] = []
    for holding in await query:
        officer = await Officer.objects().where(Officer.key == holding["officer_key"]).first()
        if officer is None:
            continue
        result.append(RoleHolder(officer_id=officer.key, position=holding["position"], name=officer.name, email=officer.email, phone=officer.phone))
    return result


async def answer_role_holders(ctx: ServiceContext, req: RoleHolderLookup) -> RoleHolderReply:
    """Request/reply: who holds ``positions`` at ``target_org`` (answered to the caller's inbox)."""
    if not ctx.plugins.serves(req.target_org) and not await PositionHolding.exists().where(PositionHolding.org == req.target_org):
        return RoleHolderReply(ok=False, error="unknown_org", message=f"no directory entry for {req.target_org}")
    found = await holders(req.target_org, list(req.positions), req.on.date() if req.on else None)
    return RoleHolderReply(org=req.target_org, holders=found)


async def assign_position(uow: UnitOfWork, org: str, position: str, officer_key: str, changed_by: str, effective: date) -> RoleHolderChanged:
    """Close the current holding of ``position`` at ``org`` and open one for ``officer_key``."""
    current = await PositionHolding.objects().where(
        (PositionHolding.org == org) & (PositionHolding.position == position) & PositionHolding.end.is_null()
    ).first()
    previous = current.officer_key if current else None
    if current is not None:
        current.end = effective
        await current.save()
    await PositionHolding.insert(
        PositionHolding(org=org, position=position, officer_key=officer_key, start=effective,
                        changed_by=changed_by, changed_at=datetime.now(UTC))
    )
    event = RoleHolderChanged(
        org=org, position=position, officer_id=officer_key, previous_officer_id=previous,
        effective_from=datetime.combine(effective, datetime.min.time(), tzinfo=UTC),
    )
    await uow.emit(event, ref=officer_key)
    return event
