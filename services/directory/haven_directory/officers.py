"""Named officers and the positions they hold (seed ``000_93a7cd5d2a8b6030.txt``: boroughs
contact each other "using a list of named officers with DV leads and team managers";
``002_c1c7b199d9a53274.txt``: partners identify "named leads" and inform the coordinator
"of any changes in staffing").

Officers and their direct contacts are confidential-tier. Plugin data is loaded
idempotently by officer ``key``; a position change made through the API closes the
previous holding and opens a new one, so who held it on a date stays answerable, and
emits ``RoleHolderChanged`` (ids only).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec

from haven_contracts.events.directory import (
    Position,
    RoleHolder,
    RoleHolderChanged,
    RoleHolderLookup,
    RoleHolderReply,
)
from haven_contracts.plugin.directory import OfficerRecord
from haven_directory.history import apply_changes, record
from haven_directory.organisations import is_partner
from haven_directory.publishing import publish_holders
from haven_directory.tables import Officer, PositionHolding
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

OFFICER_FIELDS = ("name", "email", "phone", "sex", "dv_specialism", "job_title", "team")
#: Posts several officers hold at once ("two housing options officers with a DV specialism",
#: ``001_2a45bb55c36fcb52.txt``); every other position has one holder at a time.
MULTI_HOLDER = frozenset(
    {
        "housing_options_officer",
        "homelessness_subgroup_member",
        "idva",
        "dv_officer",
        "anti_social_behaviour_officer",
        "crime_prevention_officer",
    }
)


async def upsert_officer(rec: OfficerRecord, *, changed_by: str, today: date) -> None:
    """Insert or refresh one plugin officer; open holdings only where none is open."""
    existing = await Officer.objects().where(Officer.key == rec.key).first()
    values = {f: getattr(rec, f) for f in OFFICER_FIELDS}
    if existing is None:
        await Officer.insert(
            Officer(
                key=rec.key,
                org=rec.org,
                confidential=rec.confidential,
                source=rec.source,
                invented=rec.invented,
                updated_at=datetime.now(UTC),
                **values,
            )
        )
        await record("officer", rec.key, "*", None, values, action="create", changed_by=changed_by)
    else:
        corrected = set(msgspec.json.decode(existing.corrected or "[]"))
        if await apply_changes(existing, "officer", values, changed_by=changed_by, skip=corrected):
            existing.updated_at = datetime.now(UTC)
            await existing.save()
    for position in rec.positions:
        open_holding = position not in MULTI_HOLDER and await PositionHolding.exists().where(
            (PositionHolding.org == rec.org) & (PositionHolding.position == position) & PositionHolding.end.is_null()
        )
        ever_held = await PositionHolding.exists().where(
            (PositionHolding.org == rec.org)
            & (PositionHolding.position == position)
            & (PositionHolding.officer_key == rec.key)
        )
        if not open_holding and not ever_held and (rec.end is None or rec.end >= today):
            await PositionHolding.insert(
                PositionHolding(
                    org=rec.org,
                    position=position,
                    officer_key=rec.key,
                    start=rec.start or today,
                    end=rec.end,
                    changed_at=datetime.now(UTC),
                )
            )


def role_holder(officer: Officer, position: Position) -> RoleHolder:
    return RoleHolder(
        officer_id=officer.key,
        position=position,
        name=officer.name,
        email=officer.email,
        phone=officer.phone,
        sex=officer.sex,
        dv_specialism=officer.dv_specialism,
        job_title=officer.job_title,
    )


async def holders(org: str, positions: list[str], on: date | None = None) -> list[RoleHolder]:
    """Who held ``positions`` at ``org`` on ``on`` (today by default)."""
    on = on or datetime.now(UTC).date()
    query = (
        PositionHolding.select()
        .where(
            (PositionHolding.org == org)
            & PositionHolding.position.is_in(positions)
            & (PositionHolding.start <= on)
            & (PositionHolding.end.is_null() | (PositionHolding.end > on))
        )
        .order_by(PositionHolding.position)
        .order_by(PositionHolding.start)
    )
    held = await query
    keys = list(dict.fromkeys(h["officer_key"] for h in held))
    # one query for every holder's record, not one per holding (this answers each JWA notification)
    officers = {o.key: o for o in await Officer.objects().where(Officer.key.is_in(keys))} if keys else {}
    return [role_holder(officers[h["officer_key"]], h["position"]) for h in held if h["officer_key"] in officers]


async def holding_history(org: str, position: str) -> list[dict]:
    rows = (
        await PositionHolding.select(
            PositionHolding.officer_key,
            PositionHolding.start,
            PositionHolding.end,
            PositionHolding.changed_by,
            PositionHolding.changed_at,
        )
        .where((PositionHolding.org == org) & (PositionHolding.position == position))
        .order_by(PositionHolding.start)
        .order_by(PositionHolding.id)
    )
    return rows


async def answer_role_holders(ctx: ServiceContext, req: RoleHolderLookup) -> RoleHolderReply:
    """Request/reply: who holds ``positions`` at ``target_org`` (answered to the caller's inbox).

    Named officers are confidential-tier: only partner organisations may ask, and every
    answer is audited with the asking organisation and its purpose.
    """
    if not ctx.plugins.serves(req.requested_by) and not await is_partner(req.requested_by):
        return RoleHolderReply(
            ok=False, error="forbidden", message="only partner organisations may look up named officers"
        )
    if not ctx.plugins.serves(req.target_org) and not await PositionHolding.exists().where(
        PositionHolding.org == req.target_org
    ):
        return RoleHolderReply(ok=False, error="unknown_org", message=f"no directory entry for {req.target_org}")
    found = await holders(req.target_org, list(req.positions), req.on.date() if req.on else None)
    caller = Principal(sub=f"service:{req.requested_by}", org=req.requested_by, roles=frozenset())
    async with ctx.store.transaction() as uow:
        await uow.audit(
            caller,
            "read",
            "position",
            f"{req.target_org}:{','.join(req.positions)}",
            entity_org=req.target_org,
            purpose=req.purpose or "role-holder lookup",
            detail={"officers": [h.officer_id for h in found], "channel": "bus"},
        )
    return RoleHolderReply(org=req.target_org, holders=found)


async def assign_position(
    uow: UnitOfWork,
    org: str,
    position: Position,
    officer_key: str | None,
    changed_by: str,
    effective: date,
    *,
    vacate: str | None = None,
) -> RoleHolderChanged:
    """Close the current holding of ``position`` at ``org`` and open one for ``officer_key``
    (or leave it vacant when ``officer_key`` is None). For a post several officers hold,
    ``officer_key`` joins the holders and ``vacate`` ends that one officer's holding."""
    scope = (PositionHolding.org == org) & (PositionHolding.position == position) & PositionHolding.end.is_null()
    if position in MULTI_HOLDER and vacate is None:
        scope = scope & (PositionHolding.officer_key == officer_key)
    elif vacate is not None:
        scope = scope & (PositionHolding.officer_key == vacate)
    current = await PositionHolding.objects().where(scope).first()
    previous = current.officer_key if current else None
    if current is not None:
        # a same-day change leaves a zero-length holding: it answers no date but keeps the record
        current.end = max(effective, current.start)
        await current.save()
    if officer_key is not None:
        await PositionHolding.insert(
            PositionHolding(
                org=org,
                position=position,
                officer_key=officer_key,
                start=effective,
                changed_by=changed_by,
                changed_at=datetime.now(UTC),
            )
        )
    await record(
        "position",
        f"{org}:{position}",
        "officer_key",
        previous,
        officer_key,
        action="assign",
        changed_by=changed_by,
        changed_by_org=org,
    )
    event = RoleHolderChanged(
        org=org,
        position=position,
        officer_id=officer_key,
        previous_officer_id=previous,
        effective_from=datetime.combine(effective, datetime.min.time(), tzinfo=UTC),
    )
    await uow.emit(event, ref=officer_key or f"{org}:{position}")
    await publish_holders(uow, org)
    return event


async def positions_held(officer_key: str) -> list[Position]:
    rows = await PositionHolding.select(PositionHolding.position).where(
        (PositionHolding.officer_key == officer_key) & PositionHolding.end.is_null()
    )
    return sorted(r["position"] for r in rows)
