"""Conflicts between partners and their escalation (seed ``002_c1c7b199d9a53274.txt`` §4).

"In the first instance, the named leads will work together to take a pro-active approach
to resolve conflicts but where a resolution cannot be reached, the conflict will be
escalated to the Chief Executives/Directors at the earliest instance."

A named lead (or the coordinator) raises a conflict between partners, optionally about
one ARC; the leads record notes (encrypted) while they work it; it is resolved, escalated
by a lead, or — still open when the scheme's ``conflict_escalation`` clock runs out —
escalated automatically by :func:`escalate_overdue`. Every step is dated.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.reciprocal import ConflictEscalated, ConflictRaised, ConflictResolved
from haven_contracts.ids import new_reference
from haven_reciprocal.partners import DEFAULT_CONFLICT_ESCALATION, is_coordinator, is_named_lead, partner, scheme_of
from haven_reciprocal.referrals import dumps, loads
from haven_reciprocal.tables import ConflictCase, ConflictNote, Referral
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, forbidden, not_found, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork


async def _may_work(principal: Principal, row: ConflictCase) -> bool:
    if is_coordinator(principal, row.scheme):
        return True
    return principal.org in loads(row.partners) and await is_named_lead(principal, row.scheme, principal.org)


async def raise_conflict(
    ctx: ServiceContext, principal: Principal, scheme_id: str, partners: list[str], arc: str | None, summary: str | None
) -> ConflictCase:
    scheme = scheme_of(ctx, scheme_id)
    parties = sorted(set(partners) | ({principal.org} if principal.org != scheme.coordinator else set()))
    if len(parties) < 2 and principal.org != scheme.coordinator:
        raise unprocessable("partners", "a conflict is between at least two partners")
    for org in parties:
        if org != scheme.coordinator and (await partner(scheme.coordinator, org)) is None:
            raise unprocessable("partners", f"{org} is not a partner of {scheme.name}")
    if not (
        is_coordinator(principal, scheme.coordinator)
        or await is_named_lead(principal, scheme.coordinator, principal.org)
    ):
        raise forbidden()
    if arc is not None and not await Referral.exists().where(
        (Referral.arc == arc) & (Referral.scheme == scheme.coordinator)
    ):
        raise unprocessable("arc", "no referral with this ARC in the scheme")
    now = datetime.now(UTC)
    level = scheme.conflict_escalation or DEFAULT_CONFLICT_ESCALATION
    due = ctx.calendar(scheme.coordinator).due(now, level)
    ref = new_reference("CNF", 12)
    row = ConflictCase(
        ref=ref,
        scheme=scheme.coordinator,
        arc=arc,
        partners=dumps(parties),
        raised_at=now,
        raised_by=principal.sub,
        raised_by_org=principal.org,
        escalation_due_at=due.due_at,
        summary_enc=ctx.cipher.encrypt(summary, ref=ref, field="summary"),
    )
    async with ctx.store.transaction() as uow:
        await ConflictCase.insert(row)
        await uow.emit(
            ConflictRaised(
                org=principal.org, scheme=scheme.coordinator, conflict_ref=ref, partners=parties, arc=arc, raised_at=now
            ),
            ref=ref,
        )
        await uow.audit(principal, "raise", "reciprocal_conflict", ref, entity_org=scheme.coordinator)
    return row


async def load(principal: Principal, ref: str) -> ConflictCase:
    row = await ConflictCase.objects().where(ConflictCase.ref == ref).first()
    if row is None:
        raise not_found("conflict") if principal.has_any({"reciprocal_coordinator"}) else forbidden()
    if not await _may_work(principal, row):
        raise forbidden()
    return row


async def listing(principal: Principal) -> list[ConflictCase]:
    """Conflicts the caller is party to; the coordinator sees all of its scheme's."""
    rows = await ConflictCase.objects().order_by(ConflictCase.raised_at)
    return [r for r in rows if is_coordinator(principal, r.scheme) or principal.org in loads(r.partners)]


async def add_note(ctx: ServiceContext, principal: Principal, ref: str, note: str) -> None:
    row = await load(principal, ref)
    if row.status == "resolved":
        raise conflict("the conflict is resolved")
    async with ctx.store.transaction() as uow:
        at = datetime.now(UTC)
        await ConflictNote.insert(
            ConflictNote(
                conflict_ref=ref,
                at=at,
                by=principal.sub,
                by_org=principal.org,
                note_enc=ctx.cipher.encrypt(note, ref=ref, field=f"note:{at.isoformat()}"),
            )
        )
        await uow.audit(principal, "note", "reciprocal_conflict", ref, entity_org=row.scheme)


async def notes(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict]:
    row = await load(principal, ref)
    rows = await ConflictNote.select().where(ConflictNote.conflict_ref == ref).order_by(ConflictNote.at)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "read", "reciprocal_conflict", ref, entity_org=row.scheme, purpose="conflict notes")
    return [
        {
            "at": r["at"],
            "by": r["by"],
            "by_org": r["by_org"],
            "note": ctx.cipher.decrypt(r["note_enc"], ref=ref, field=f"note:{r['at'].isoformat()}"),
        }
        for r in rows
    ]


def summary_of(ctx: ServiceContext, row: ConflictCase) -> str | None:
    """What the conflict is about, decrypted for a caller who passed :func:`load` (its read is audited by
    :func:`notes`)."""
    return ctx.cipher.decrypt(row.summary_enc, ref=row.ref, field="summary") if row.summary_enc else None


async def _escalate(
    uow: UnitOfWork, ctx: ServiceContext, row: ConflictCase, by: str, now: datetime, automatic: bool
) -> None:
    scheme = scheme_of(ctx, row.scheme)
    row.status, row.escalated_at, row.escalated_by, row.escalated_to = "escalated", now, by, scheme.escalation_to
    await row.save()
    await uow.emit(
        ConflictEscalated(
            org=row.scheme,
            scheme=row.scheme,
            conflict_ref=row.ref,
            partners=loads(row.partners),
            arc=row.arc,
            escalated_at=now,
            automatic=automatic,
        ),
        ref=row.ref,
    )


async def escalate(ctx: ServiceContext, principal: Principal, ref: str) -> ConflictCase:
    row = await load(principal, ref)
    if row.status != "open":
        raise conflict(f"the conflict is already {row.status}")
    async with ctx.store.transaction() as uow:
        await _escalate(uow, ctx, row, principal.sub, datetime.now(UTC), automatic=False)
        await uow.audit(principal, "escalate", "reciprocal_conflict", ref, entity_org=row.scheme)
    return row


async def resolve(ctx: ServiceContext, principal: Principal, ref: str) -> ConflictCase:
    row = await load(principal, ref)
    if row.status == "resolved":
        raise conflict("the conflict is already resolved")
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        row.status, row.resolved_at, row.resolved_by = "resolved", now, principal.sub
        await row.save()
        await uow.emit(
            ConflictResolved(org=principal.org, scheme=row.scheme, conflict_ref=ref, resolved_at=now), ref=ref
        )
        await uow.audit(principal, "resolve", "reciprocal_conflict", ref, entity_org=row.scheme)
    return row


async def escalate_overdue(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Escalate every open conflict whose clock has run out; returns their references."""
    now = now or datetime.now(UTC)
    done: list[str] = []
    rows = await ConflictCase.objects().where((ConflictCase.status == "open") & (ConflictCase.escalation_due_at <= now))
    for row in rows:
        async with ctx.store.transaction() as uow:
            # claimed atomically: replicas sweeping together escalate it once
            if not await uow.claim(
                ConflictCase.escalated_at,
                now,
                (ConflictCase.ref == row.ref) & (ConflictCase.status == "open"),
                ConflictCase.ref,
            ):
                continue
            await _escalate(uow, ctx, row, "system", now, automatic=True)
            await uow.audit(
                None,
                "escalate",
                "reciprocal_conflict",
                row.ref,
                entity_org=row.scheme,
                purpose="unresolved past the scheme level",
            )
        done.append(row.ref)
    return done


def view(row: ConflictCase) -> dict:
    return {
        "ref": row.ref,
        "scheme": row.scheme,
        "arc": row.arc,
        "partners": loads(row.partners),
        "status": row.status,
        "raised_at": row.raised_at,
        "raised_by_org": row.raised_by_org,
        "escalation_due_at": row.escalation_due_at,
        "escalated_at": row.escalated_at,
        "escalated_to": row.escalated_to,
        "resolved_at": row.resolved_at,
    }
