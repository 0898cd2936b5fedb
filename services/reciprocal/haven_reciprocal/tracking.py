"""Following a referral by ARC, and warning the coordinator about stuck referrals
(seed ``002_c1c7b199d9a53274.txt``: the coordinator is accountable for "Monitoring and
tracking referrals and keeping all partners up-to-date with progress").

Every stage entry is timestamped (:class:`~haven_reciprocal.tables.StageEntry`); the
current stage has a time-in-stage clock against the scheme's level for that stage
(``stuck_levels``, core defaults in :mod:`haven_reciprocal.partners`). :func:`check_stuck`
— run periodically and callable with any ``now`` — raises one ``ReferralStuck`` event to
the coordinator per stage entry that passes its level.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from haven_contracts.events.reciprocal import ReferralStuck
from haven_reciprocal import care
from haven_reciprocal.partners import is_coordinator, schemes, stuck_level
from haven_reciprocal.referrals import ACTIVE, load_for, loads
from haven_reciprocal.tables import Move, Referral, SignOff, StageEntry
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.periodic import PeriodicTask

CHECK_SECONDS = 60.0


def stage_due(ctx: ServiceContext, referral: Referral | dict, stage: str | None = None) -> datetime | None:
    get: Callable[[str], Any] = referral.get if isinstance(referral, dict) else lambda k: getattr(referral, k)
    scheme = schemes(ctx).get(get("scheme"))
    level = stuck_level(scheme, stage or get("status")) if scheme else None
    if level is None:
        return None
    return ctx.calendar(get("scheme")).due(get("stage_since"), level).due_at


async def status_view(
    ctx: ServiceContext,
    referral: Referral,
    now: datetime | None = None,
    *,
    areas: bool = True,
    coordinator: bool = True,
) -> dict:
    """What every involved partner may see: stages, clocks and tasks — no personal data.

    ``areas=False`` leaves out the household's current, unsafe and preferred areas (which
    hint at where the household and the person it fled are) for the receiving partner.
    Partners see the internal ``referral_ref`` only until the ARC replaces it.
    """
    now = now or datetime.now(UTC)
    stages = (
        await StageEntry.select(StageEntry.stage, StageEntry.entered_at, StageEntry.left_at)
        .where(StageEntry.referral_ref == referral.ref)
        .order_by(StageEntry.entered_at)
        .order_by(StageEntry.id)
    )
    for s in stages:
        s["seconds_in_stage"] = int(((s["left_at"] or now) - s["entered_at"]).total_seconds())
    signoffs = (
        await SignOff.select(SignOff.stage, SignOff.partner, SignOff.requested_at, SignOff.decision, SignOff.decided_at)
        .where(SignOff.referral_ref == referral.ref)
        .order_by(SignOff.requested_at)
    )
    move = (
        await Move.select(
            Move.property_ref,
            Move.tenancy_start,
            Move.completed_at,
            Move.previous_tenancy_due_at,
            Move.previous_tenancy_ended_on,
            Move.previous_tenancy_confirmed_at,
        )
        .where(Move.referral_ref == referral.ref)
        .first()
    )
    due = stage_due(ctx, referral) if referral.status in ACTIVE else None
    return {
        "referral_ref": referral.ref if coordinator or not referral.arc else None,
        "arc": referral.arc,
        "scheme": referral.scheme,
        "status": referral.status,
        "referring_partner": referral.referring_partner,
        "receiving_partner": referral.receiving_partner,
        "property_ref": referral.property_ref,
        "subject_kind": referral.subject_kind,
        "tenancy": referral.tenancy,
        "abuse_category": referral.abuse_category,
        "bedrooms": referral.bedrooms,
        "accessibility": loads(referral.accessibility),
        **(
            {
                "current_area": referral.current_area,
                "unsafe_areas": loads(referral.unsafe_areas),
                "preferred_areas": loads(referral.preferred_areas),
            }
            if areas
            else {}
        ),
        "stage_since": referral.stage_since,
        "seconds_in_stage": int((now - referral.stage_since).total_seconds()),
        "stage_due_at": due,
        "stuck": bool(due and due <= now),
        "stages": stages,
        "signoffs": signoffs,
        "move": move,
        **(await care.of(referral.ref)),
    }


async def follow(ctx: ServiceContext, principal: Principal, ref: str) -> dict:
    """A referral's status view for an involved caller, by reference or ARC (an audited read).

    The coordinator and the referring partner see the household's areas; the receiving
    partner does not (:func:`status_view`)."""
    referral = await load_for(ctx, principal, ref)
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "read",
            "reciprocal_referral",
            referral.arc or referral.ref,
            entity_org=referral.scheme,
            purpose="status",
        )
    coordinator = is_coordinator(principal, referral.scheme)
    areas = coordinator or principal.org == referral.referring_partner
    return await status_view(ctx, referral, areas=areas, coordinator=coordinator)


async def stuck(ctx: ServiceContext, scheme: str, now: datetime | None = None) -> list[dict]:
    now = now or datetime.now(UTC)
    rows = await Referral.select(
        Referral.ref, Referral.arc, Referral.scheme, Referral.status, Referral.stage_since, Referral.stuck_warned_at
    ).where((Referral.scheme == scheme) & Referral.status.is_in(ACTIVE))
    found = []
    for r in rows:
        due = stage_due(ctx, r)
        if due is not None and due <= now:
            found.append({**r, "due_at": due})
    return found


async def check_stuck(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Warn each scheme's coordinator once per stage entry past its level; returns references."""
    now = now or datetime.now(UTC)
    warned: list[str] = []
    for scheme in schemes(ctx):
        for r in await stuck(ctx, scheme, now):
            if r["stuck_warned_at"] is not None:
                continue
            async with ctx.store.transaction() as uow:
                # claimed atomically: replicas sweeping together warn once per stage entry
                if not await uow.claim(
                    Referral.stuck_warned_at,
                    now,
                    (Referral.ref == r["ref"]) & (Referral.status == r["status"]),
                    Referral.ref,
                ):
                    continue
                await uow.emit(
                    ReferralStuck(
                        org=scheme,
                        scheme=scheme,
                        to_org=scheme,
                        referral_ref=None if r["arc"] else r["ref"],
                        arc=r["arc"],
                        stage=r["status"],
                        since=r["stage_since"],
                        due_at=r["due_at"],
                    ),
                    ref=r["arc"] or r["ref"],
                )
                await uow.audit(None, "stuck_warning", "reciprocal_referral", r["arc"] or r["ref"], entity_org=scheme)
            warned.append(r["ref"])
    return warned


async def sweep(ctx: ServiceContext) -> None:
    """Warn about stuck referrals, escalate overdue conflicts and raise overdue previous-tenancy clocks."""
    from haven_reciprocal.conflicts import (
        escalate_overdue,  # these modules import this one
    )
    from haven_reciprocal.moves import check_overdue

    await check_stuck(ctx)
    await escalate_overdue(ctx)
    await check_overdue(ctx)


CLOCK_SWEEP = PeriodicTask("clock-sweep", sweep, interval_seconds=CHECK_SECONDS)
