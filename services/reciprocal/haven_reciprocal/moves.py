"""Completing a move and ending the previous tenancy (seed ``002_c1c7b199d9a53274.txt``).

The receiving partner grants the tenancy; the move is posted to the owed-property
ledger in the same transaction. Each partner is responsible for "Ensuring previous
tenancy is ended when a move is completed and costs associated with this": completing a
move opens that task for the referring partner as a clock (the scheme's
``previous_tenancy_end`` level on the referring partner's working calendar), closed when
its named lead confirms the end date and the costs. :func:`check_overdue` (run by the
periodic sweep, callable with any ``now``) tells the referring partner once when the
deadline passes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from haven_contracts.events.reciprocal import MoveCompleted, PreviousTenancyEnded, PreviousTenancyOverdue
from haven_reciprocal import ledger
from haven_reciprocal.partners import DEFAULT_PREVIOUS_TENANCY_END, is_named_lead, scheme_of
from haven_reciprocal.referrals import dumps, enter, load_for, refused
from haven_reciprocal.tables import Move, PoolProperty
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal


async def complete(ctx: ServiceContext, principal: Principal, ref: str, tenancy_start: date) -> Move:
    referral = await load_for(ctx, principal, ref)
    if referral.status != "offer_accepted":
        raise conflict(f"a move completes only after the household accepts the offer (stage {referral.status!r})")
    if not await is_named_lead(principal, referral.scheme, referral.receiving_partner):
        await refused(
            ctx,
            principal,
            ref,
            referral,
            action="move",
            status_code=403,
            reason="only the receiving partner's named lead records the move",
        )
    prop = await PoolProperty.objects().where(PoolProperty.ref == referral.property_ref).first()
    assert prop is not None, "an accepted offer names a pool property"
    if tenancy_start < prop.available_from:
        raise unprocessable("tenancy_start", f"the property is available from {prop.available_from}")
    scheme = scheme_of(ctx, referral.scheme)
    level = scheme.previous_tenancy_end or DEFAULT_PREVIOUS_TENANCY_END
    now = datetime.now(UTC)
    due = ctx.calendar(referral.referring_partner).due(now, level)
    async with ctx.store.transaction() as uow:
        move = Move(
            scheme=referral.scheme,
            referral_ref=referral.ref,
            arc=referral.arc,
            property_ref=prop.ref,
            referring_partner=referral.referring_partner,
            receiving_partner=prop.partner,
            bedrooms=prop.bedrooms,
            tenancy_start=tenancy_start,
            completed_at=now,
            granted_by=principal.sub,
            previous_tenancy_due_at=due.due_at,
        )
        await Move.insert(move)
        prop.status = "let"
        await prop.save()
        referral.moved_at = now
        await enter(referral, "moved", principal.sub, now=now)
        await uow.emit(
            MoveCompleted(
                org=prop.partner,
                scheme=referral.scheme,
                to_org=referral.referring_partner,
                arc=referral.arc,
                property_ref=prop.ref,
                bedrooms=prop.bedrooms,
                tenancy_start=tenancy_start,
                completed_at=now,
                previous_tenancy_due_at=due.due_at,
            ),
            ref=referral.arc,
        )
        await ledger.post(
            uow, referral.scheme, referral.arc, referral.referring_partner, prop.partner, prop.bedrooms, now
        )
        await uow.audit(principal, "grant_tenancy", "reciprocal_referral", referral.arc, entity_org=referral.scheme)
    return move


async def previous_tenancy_ended(
    ctx: ServiceContext, principal: Principal, ref: str, ended_on: date, costs: dict[str, int]
) -> Move:
    referral = await load_for(ctx, principal, ref)
    if not await is_named_lead(principal, referral.scheme, referral.referring_partner):
        await refused(
            ctx,
            principal,
            ref,
            referral,
            action="previous_tenancy",
            status_code=403,
            reason="only the referring partner's named lead confirms the previous tenancy ended",
        )
    if referral.status != "moved":
        raise conflict(f"the previous tenancy is ended after a completed move (stage {referral.status!r})")
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        move = await Move.objects().where(Move.referral_ref == referral.ref).first()
        assert move is not None, "a moved referral has its move"
        move.previous_tenancy_ended_on = ended_on
        move.previous_tenancy_costs = dumps(costs)
        move.previous_tenancy_costs_pence = sum(costs.values())
        move.previous_tenancy_confirmed_at, move.previous_tenancy_confirmed_by = now, principal.sub
        await move.save()
        await enter(referral, "completed", principal.sub, now=now)
        await uow.emit(
            PreviousTenancyEnded(
                org=referral.referring_partner,
                scheme=referral.scheme,
                arc=referral.arc,
                ended_on=ended_on,
                confirmed_at=now,
            ),
            ref=referral.arc,
        )
        await uow.audit(
            principal, "previous_tenancy_ended", "reciprocal_referral", referral.arc, entity_org=referral.scheme
        )
    return move


async def open_tasks(scheme: str, partner: str | None = None) -> list[dict]:
    """Previous tenancies still to be ended, oldest due first."""
    q = Move.select(Move.arc, Move.referring_partner, Move.completed_at, Move.previous_tenancy_due_at).where(
        (Move.scheme == scheme) & Move.previous_tenancy_confirmed_at.is_null()
    )
    if partner:
        q = q.where(Move.referring_partner == partner)
    return await q.order_by(Move.previous_tenancy_due_at)


async def check_overdue(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Raise ``previous-tenancy-overdue`` once per move past its deadline; returns the ARCs."""
    now = now or datetime.now(UTC)
    rows = await Move.select(Move.scheme, Move.arc, Move.referring_partner, Move.previous_tenancy_due_at).where(
        Move.previous_tenancy_confirmed_at.is_null()
        & Move.previous_tenancy_warned_at.is_null()
        & (Move.previous_tenancy_due_at <= now)
    )
    raised: list[str] = []
    for row in rows:
        async with ctx.store.transaction() as uow:
            # claimed atomically: replicas sweeping together raise it once
            if not await uow.claim(
                Move.previous_tenancy_warned_at,
                now,
                (Move.arc == row["arc"]) & Move.previous_tenancy_confirmed_at.is_null(),
                Move.arc,
            ):
                continue
            await uow.emit(
                PreviousTenancyOverdue(
                    org=row["scheme"],
                    scheme=row["scheme"],
                    to_org=row["referring_partner"],
                    arc=row["arc"],
                    due_at=row["previous_tenancy_due_at"],
                ),
                ref=row["arc"],
            )
            await uow.audit(
                None, "previous_tenancy_overdue", "reciprocal_referral", row["arc"], entity_org=row["scheme"]
            )
        raised.append(row["arc"])
    return raised
