"""The central pool: properties offered, proposals, and the household's answer
(seed ``002_c1c7b199d9a53274.txt``).

"The referring Local Authority or registered provider then owes an equal size property to
another household at risk in Cambridgeshire through a centralised system." Partners offer
properties into the pool; the matcher (:mod:`haven_reciprocal.matching`) proposes
households for them; the coordinator confirms a proposal, which asks the receiving
partner's named lead to sign off before the offer is made; the household accepts or
refuses (the reason is recorded as a code, any note encrypted).
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.reciprocal import (
    MatchConfirmed,
    MatchProposed,
    OfferAccepted,
    OfferRefused,
    PropertyOffered,
    RefusalReason,
)
from haven_contracts.ids import new_reference
from haven_reciprocal import matching
from haven_reciprocal.partners import (
    is_coordinator,
    is_named_lead,
    require_coordinator,
    require_signed,
    scheme_of,
    schemes,
    signed_schemes,
    stock_areas_of,
)
from haven_reciprocal.referrals import dumps, enter, load_for, loads, release_property
from haven_reciprocal.signoff import open_signoff
from haven_reciprocal.tables import PoolProperty, Proposal, Referral, Refusal
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, forbidden, not_found, unprocessable
from haven_runtime.identity import Principal


async def offer_property(ctx: ServiceContext, principal: Principal, data) -> PoolProperty:
    """A partner's named lead offers a property into the pool (``bodies.PropertyIn``)."""
    org = principal.org
    scheme_id = data.scheme
    if scheme_id is None:
        signed = await signed_schemes(org)
        if len(signed) != 1:
            raise unprocessable("scheme", "required: name the reciprocal this property is offered to")
        scheme_id = signed[0]
    scheme = scheme_of(ctx, scheme_id)
    partner_row = await require_signed(scheme.coordinator, org, "scheme")
    if not await is_named_lead(principal, scheme.coordinator, org):
        raise forbidden()
    if data.area not in {a.id for a in scheme.areas}:
        raise unprocessable("area", f"unknown area {data.area!r} in {scheme.name}")
    stock = stock_areas_of(ctx, partner_row)
    if stock and data.area not in stock:
        raise unprocessable("area", f"{org} has no stock recorded in {data.area} (its stock areas: {', '.join(stock)})")
    now = datetime.now(UTC)
    row = PoolProperty(
        ref=new_reference("PRP", 12),
        scheme=scheme.coordinator,
        partner=org,
        area=data.area,
        bedrooms=data.bedrooms,
        accessibility=dumps(sorted(set(data.accessibility))),
        available_from=data.available_from,
        offered_at=now,
        offered_by=principal.sub,
    )
    async with ctx.store.transaction() as uow:
        await PoolProperty.insert(row)
        await uow.emit(
            PropertyOffered(
                org=org,
                scheme=scheme.coordinator,
                property_ref=row.ref,
                area=data.area,
                bedrooms=data.bedrooms,
                accessibility=sorted(set(data.accessibility)),
                available_from=data.available_from,
            ),
            ref=row.ref,
        )
        await uow.audit(principal, "offer_property", "reciprocal_property", row.ref, entity_org=scheme.coordinator)
    return row


async def properties_for(ctx: ServiceContext, principal: Principal, status: str | None = None) -> list[dict]:
    """Properties in the pool the caller may see: the coordinator all of its scheme's, a partner its own."""
    q = PoolProperty.select()
    coordinating = principal.org in schemes(ctx) and is_coordinator(principal, principal.org)
    q = (
        q.where(PoolProperty.scheme == principal.org)
        if coordinating
        else q.where(PoolProperty.partner == principal.org)
    )
    if status:
        q = q.where(PoolProperty.status == status)
    return await q.order_by(PoolProperty.offered_at)


async def proposals_for(ctx: ServiceContext, principal: Principal, status: str | None = None) -> list[dict]:
    """The coordinator's proposals, oldest first (403 for anyone else)."""
    scheme = require_coordinator(ctx, principal)
    q = Proposal.select().where(Proposal.scheme == scheme.coordinator)
    if status:
        q = q.where(Proposal.status == status)
    return await q.order_by(Proposal.proposed_at)


async def withdraw_property(ctx: ServiceContext, principal: Principal, ref: str) -> PoolProperty:
    row = await PoolProperty.objects().where(PoolProperty.ref == ref).first()
    if row is None or not await is_named_lead(principal, row.scheme, row.partner):
        raise forbidden()
    if row.status != "available":
        raise conflict(f"a property that is {row.status} cannot be withdrawn")
    async with ctx.store.transaction() as uow:
        row.status = "withdrawn"
        await row.save()
        await uow.audit(principal, "withdraw_property", "reciprocal_property", ref, entity_org=row.scheme)
    return row


def _household(r: dict, excluded: frozenset[str]) -> matching.Household:
    return matching.Household(
        key=r["ref"],
        area=r["current_area"],
        bedrooms=r["bedrooms"],
        needs=frozenset(loads(r["accessibility"])),
        unsafe=frozenset(loads(r["unsafe_areas"])),
        preferred=frozenset(loads(r["preferred_areas"])),
        waiting_since=r["accepted_at"].timestamp(),
        excluded=excluded,
    )


def _property(r: dict) -> matching.Property:
    return matching.Property(
        key=r["ref"],
        area=r["area"],
        bedrooms=r["bedrooms"],
        features=frozenset(loads(r["accessibility"])),
        available_from=r["available_from"].toordinal(),
    )


async def propose(ctx: ServiceContext, principal: Principal) -> tuple[list[Proposal], int]:
    """Run the matcher over accepted referrals and available properties; returns the new
    proposals and the matcher's upper bound (a check that none was missed)."""
    scheme = require_coordinator(ctx, principal)
    async with ctx.store.transaction() as uow:
        waiting = await Referral.select().where(
            (Referral.scheme == scheme.coordinator) & (Referral.status == "accepted")
        )
        pool = await PoolProperty.select().where(
            (PoolProperty.scheme == scheme.coordinator) & (PoolProperty.status == "available")
        )
        spent = await Proposal.select(Proposal.referral_ref, Proposal.property_ref).where(
            (Proposal.scheme == scheme.coordinator) & Proposal.status.is_in(["rejected", "refused"])
        )
        excluded: dict[str, set[str]] = {}
        for row in spent:
            excluded.setdefault(row["referral_ref"], set()).add(row["property_ref"])
        households = [_household(r, frozenset(excluded.get(r["ref"], ()))) for r in waiting]
        result = matching.match(households, [_property(p) for p in pool])
        by_ref = {r["ref"]: r for r in waiting}
        partner_of = {p["ref"]: p["partner"] for p in pool}
        now = datetime.now(UTC)
        created: list[Proposal] = []
        for referral_ref, property_ref in result.pairs:
            referral = await Referral.objects().where(Referral.ref == referral_ref).first()
            assert referral is not None, "the matcher pairs only referrals selected above"
            proposal = Proposal(
                ref=new_reference("PRO", 12),
                scheme=scheme.coordinator,
                referral_ref=referral_ref,
                arc=by_ref[referral_ref]["arc"],
                property_ref=property_ref,
                proposed_at=now,
            )
            await Proposal.insert(proposal)
            await PoolProperty.update({PoolProperty.status: "proposed"}).where(PoolProperty.ref == property_ref)
            referral.property_ref = property_ref
            await enter(referral, "proposed", principal.sub, now=now)
            await uow.emit(
                MatchProposed(
                    org=scheme.coordinator,
                    scheme=scheme.coordinator,
                    arc=proposal.arc,
                    property_ref=property_ref,
                    referring_partner=referral.referring_partner,
                    receiving_partner=partner_of[property_ref],
                    proposed_at=now,
                ),
                ref=proposal.arc,
            )
            created.append(proposal)
        await uow.audit(
            principal,
            "run_matching",
            "reciprocal_scheme",
            scheme.coordinator,
            entity_org=scheme.coordinator,
            detail={"proposals": len(created), "upper_bound": result.upper_bound},
        )
    return created, result.upper_bound


async def _proposal(
    ctx: ServiceContext, principal: Principal, ref: str
) -> tuple[Proposal, Referral, PoolProperty | None]:
    scheme = require_coordinator(ctx, principal)
    proposal = await Proposal.objects().where((Proposal.ref == ref) & (Proposal.scheme == scheme.coordinator)).first()
    if proposal is None:
        raise not_found("proposal")
    referral = await load_for(ctx, principal, proposal.referral_ref, lock_coordinator=True)
    prop = await PoolProperty.objects().where(PoolProperty.ref == proposal.property_ref).first()
    if proposal.status != "proposed":
        raise conflict(f"the proposal is already {proposal.status}")
    return proposal, referral, prop


async def confirm(ctx: ServiceContext, principal: Principal, ref: str) -> Proposal:
    """The coordinator confirms a proposal; the receiving partner's sign-off is requested."""
    proposal, referral, prop = await _proposal(ctx, principal, ref)
    assert prop is not None, "a proposal names a pool property"
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        proposal.status, proposal.decided_at, proposal.decided_by = "confirmed", now, principal.sub
        await proposal.save()
        referral.receiving_partner = prop.partner
        await enter(referral, "awaiting_receiving_signoff", principal.sub, now=now)
        await uow.emit(
            MatchConfirmed(
                org=referral.scheme,
                scheme=referral.scheme,
                to_org=prop.partner,
                arc=referral.arc,
                property_ref=prop.ref,
                confirmed_at=now,
            ),
            ref=referral.arc,
        )
        await open_signoff(uow, referral, "receiving", prop.partner, principal.sub, now, property_ref=prop.ref)
        await uow.audit(principal, "confirm_match", "reciprocal_referral", referral.arc, entity_org=referral.scheme)
    return proposal


async def reject(ctx: ServiceContext, principal: Principal, ref: str) -> Proposal:
    proposal, referral, _prop = await _proposal(ctx, principal, ref)
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        await release_property(uow, referral, now, principal.sub, "rejected")
        await enter(referral, "accepted", principal.sub, now=now)
        await uow.audit(principal, "reject_match", "reciprocal_referral", referral.arc, entity_org=referral.scheme)
    proposal.status = "rejected"
    return proposal


async def answer(
    ctx: ServiceContext,
    principal: Principal,
    ref: str,
    accepted: bool,
    reason: RefusalReason | None,
    note: str | None,
) -> Referral:
    """The coordinator records the household's answer to the offer."""
    referral = await load_for(ctx, principal, ref, lock_coordinator=True)
    if referral.status != "offered":
        raise conflict(f"no offer is open for a referral in stage {referral.status!r}")
    if not accepted and reason is None:
        raise unprocessable("reason", "required when the household refuses an offer")
    now = datetime.now(UTC)
    property_ref, receiving = referral.property_ref, referral.receiving_partner
    async with ctx.store.transaction() as uow:
        if accepted:
            await Proposal.update({Proposal.status: "accepted"}).where(
                (Proposal.referral_ref == referral.ref) & (Proposal.status == "confirmed")
            )
            await enter(referral, "offer_accepted", principal.sub, now=now)
            await uow.emit(
                OfferAccepted(
                    org=referral.scheme,
                    scheme=referral.scheme,
                    arc=referral.arc,
                    property_ref=property_ref,
                    receiving_partner=receiving,
                    accepted_at=now,
                ),
                ref=referral.arc,
            )
        else:
            assert reason is not None, "required above when the household refuses"
            await Refusal.insert(
                Refusal(
                    scheme=referral.scheme,
                    referral_ref=referral.ref,
                    arc=referral.arc,
                    property_ref=property_ref,
                    reason=reason,
                    refused_at=now,
                    recorded_by=principal.sub,
                    note_enc=ctx.cipher.encrypt(note, ref=referral.ref, field=f"refusal:{property_ref}"),
                )
            )
            await release_property(uow, referral, now, principal.sub, "refused")
            await enter(referral, "accepted", principal.sub, now=now)
            await uow.emit(
                OfferRefused(
                    org=referral.scheme,
                    scheme=referral.scheme,
                    arc=referral.arc,
                    property_ref=property_ref,
                    receiving_partner=receiving,
                    reason=reason,
                    refused_at=now,
                ),
                ref=referral.arc,
            )
        await uow.audit(
            principal,
            "offer_accepted" if accepted else "offer_refused",
            "reciprocal_referral",
            referral.arc,
            entity_org=referral.scheme,
        )
    return referral
