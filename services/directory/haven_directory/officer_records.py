"""An organisation's own officers and positions (confidential tier), kept by its seniors.

The uses the officers' pages make of the directory: list one's own organisation's officers
with the posts they hold, add an officer, correct one (ending an officer vacates their posts),
and give a post (the named DV lead, the team manager …) to an officer or end their holding of
it. Every read is audited with its purpose, every change keeps its history, and a change of
holder emits ``RoleHolderChanged`` (:func:`haven_directory.officers.assign_position`), so the
options and reciprocal services address their next notification to the new holder.

Only the organisation's own seniors (DV lead, team manager) change its records (403 otherwise,
audited), as for the organisation's public entry (:mod:`haven_directory.corrections`).
"""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime
from typing import Any

from haven_contracts.events.directory import Position
from haven_directory.access import audited_read, may_edit
from haven_directory.history import apply_changes, record
from haven_directory.officers import assign_position, holders, positions_held
from haven_directory.tables import Officer
from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound, conflict, invalid, not_found
from haven_runtime.identity import Principal

#: Every post the directory keeps holders of, in the contracts' order
POSITIONS: tuple[str, ...] = typing.get_args(Position)


async def view(row: Officer) -> dict[str, Any]:
    """An officer as the API answers one: their record and the posts they hold now."""
    return {
        "key": row.key,
        "org": row.org,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "sex": row.sex,
        "dv_specialism": row.dv_specialism,
        "job_title": row.job_title,
        "team": row.team,
        "active": row.active,
        "invented": row.invented,
        "positions": await positions_held(row.key),
        "updated_at": row.updated_at,
    }


async def own_officers(ctx: ServiceContext, principal: Principal, purpose: str) -> list[dict[str, Any]]:
    """The officer's own organisation's officers, current and ended (audited)."""
    rows = await Officer.objects().where(Officer.org == principal.org).order_by(Officer.name)
    await audited_read(
        ctx,
        principal,
        "officer",
        f"list:{principal.org}",
        org=principal.org,
        purpose=purpose,
        detail={"count": len(rows)},
    )
    return [await view(r) for r in rows]


async def own_posts(ctx: ServiceContext, principal: Principal, purpose: str) -> dict[str, list[str]]:
    """``{position: [officer key, …]}`` for every post held at the officer's organisation now (audited)."""
    found = await holders(principal.org, list(POSITIONS))
    await audited_read(ctx, principal, "position", f"{principal.org}:*", org=principal.org, purpose=purpose)
    posts: dict[str, list[str]] = {}
    for holder in found:
        posts.setdefault(holder.position, []).append(holder.officer_id)
    return posts


async def own_officer(ctx: ServiceContext, principal: Principal, key: str, purpose: str) -> dict[str, Any]:
    """One of the officer's own organisation's officers, for correcting (audited; 404 for anyone else's)."""
    row = await Officer.objects().where((Officer.key == key) & (Officer.org == principal.org)).first()
    if row is None:
        raise not_found("officer")
    await audited_read(ctx, principal, "officer", key, org=row.org, purpose=purpose)
    return await view(row)


async def add(ctx: ServiceContext, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    """Add an officer (``values``: the fields of the API's ``OfficerIn``) to the senior's organisation."""
    await may_edit(ctx, principal, "officer", values["key"], principal.org)
    if await Officer.exists().where(Officer.key == values["key"]):
        raise conflict(f"officer {values['key']!r} already exists", field="key")
    async with ctx.store.transaction() as uow:
        await Officer.insert(
            Officer(org=principal.org, updated_at=datetime.now(UTC), source="api", invented=False, **values)
        )
        await record(
            "officer",
            values["key"],
            "*",
            None,
            values,
            action="create",
            changed_by=principal.sub,
            changed_by_org=principal.org,
        )
        await uow.audit(
            principal, "create", "officer", values["key"], entity_org=principal.org, purpose="directory correction"
        )
    created = await Officer.objects().where(Officer.key == values["key"]).first()
    assert created is not None  # written in the transaction above
    return await view(created)


async def correct(ctx: ServiceContext, principal: Principal, key: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Correct an officer's record (history kept); ``active: False`` ends them and vacates their posts."""
    row = await Officer.objects().where(Officer.key == key).first()
    if row is None:
        raise not_found("officer")
    await may_edit(ctx, principal, "officer", key, row.org)
    ending = changes.get("active") is False and row.active
    async with ctx.store.transaction() as uow:
        changed = await apply_changes(
            row, "officer", changes, changed_by=principal.sub, changed_by_org=principal.org, mark_corrected=True
        )
        if changed:
            row.updated_at = datetime.now(UTC)
            await row.save()
        if ending:
            for position in await positions_held(key):
                await assign_position(uow, row.org, position, None, principal.sub, datetime.now(UTC).date(), vacate=key)
        await uow.audit(
            principal,
            "update",
            "officer",
            key,
            entity_org=row.org,
            purpose="directory correction",
            detail={"fields": changed},
        )
    return await view(row)


async def give_post(
    ctx: ServiceContext, principal: Principal, position: str, officer_key: str, effective: date | None = None
) -> Officer:
    """Give ``position`` at the senior's organisation to one of its officers (from ``effective``,
    default today); the officer. Giving a post to its holder again, with no date, changes nothing."""
    org = principal.org
    if position not in POSITIONS:
        raise invalid("position", "choose a post")
    post = typing.cast(Position, position)
    await may_edit(ctx, principal, "position", f"{org}:{post}", org)
    officer = await Officer.objects().where((Officer.key == officer_key) & (Officer.org == org)).first()
    if officer is None:
        raise NotFound(
            f"officer_key: no officer {officer_key!r} at {org}",
            field="officer_key",
            message=f"no officer {officer_key!r} at {org}",
        )
    if effective is None and any(h.officer_id == officer_key for h in await holders(org, [position])):
        return officer
    async with ctx.store.transaction() as uow:
        await assign_position(uow, org, post, officer_key, principal.sub, effective or datetime.now(UTC).date())
        await uow.audit(principal, "update", "position", f"{org}:{position}", entity_org=org, purpose="position change")
    return officer


async def end_post(ctx: ServiceContext, principal: Principal, position: str, officer_key: str) -> None:
    """End ``officer_key``'s holding of ``position`` at the senior's organisation (today; history kept)."""
    org = principal.org
    await may_edit(ctx, principal, "position", f"{org}:{position}", org)
    if position not in await positions_held(officer_key) or not await Officer.exists().where(
        (Officer.key == officer_key) & (Officer.org == org)
    ):
        raise NotFound(
            f"officer_key: {officer_key!r} does not hold {position} at {org}",
            field="officer_key",
            message=f"{officer_key!r} does not hold {position} at {org}",
        )
    async with ctx.store.transaction() as uow:
        await assign_position(uow, org, position, None, principal.sub, datetime.now(UTC).date(), vacate=officer_key)
        await uow.audit(
            principal, "update", "position", f"{org}:{position}", entity_org=org, purpose="position vacated"
        )
