"""Sign-off by named leads and the outcome of a referral (seed ``002_c1c7b199d9a53274.txt``).

The coordinator is accountable for "Requesting sign off from named leads and informing
the Named Leads of the outcome of the referral" and for "Issuing an Application Reference
Code (ARC) for newly accepted cases". So:

* the referring partner's named lead signs off *before* the ARC is issued; for a household
  without a social tenancy the sign-off must also record that the partner agrees to owe a
  property ("at the originating LA/RP leads discretion");
* the receiving partner's named lead signs off *before* an offer is made to the household
  (requested when the coordinator confirms a match, :mod:`haven_reciprocal.offers`);
* acceptance issues the ARC and tells the referring partner the outcome; a decline by the
  lead or the coordinator tells it too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.reciprocal import (
    ArcIssued,
    Decision,
    ReferralAccepted,
    ReferralDeclined,
    SignedOff,
    SignOffRequested,
    SignOffStage,
)
from haven_contracts.ids import new_reference
from haven_reciprocal.arc import new_arc
from haven_reciprocal.partners import is_named_lead
from haven_reciprocal.referrals import SOCIAL, enter, event_ref, load_for, refused, release_property
from haven_reciprocal.tables import PoolProperty, Referral, SignOff
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

STAGE_OF_STATUS: dict[str, SignOffStage] = {
    "awaiting_referring_signoff": "referring",
    "awaiting_receiving_signoff": "receiving",
}


async def open_signoff(
    uow: UnitOfWork,
    referral: Referral,
    stage: SignOffStage,
    partner: str,
    actor: str,
    now: datetime,
    property_ref: str | None = None,
) -> SignOff:
    row = SignOff(
        ref=new_reference("SGN", 12),
        scheme=referral.scheme,
        referral_ref=referral.ref,
        partner=partner,
        stage=stage,
        property_ref=property_ref,
        requested_at=now,
        requested_by=actor,
    )
    await SignOff.insert(row)
    await uow.emit(
        SignOffRequested(
            org=referral.scheme,
            scheme=referral.scheme,
            to_org=partner,
            referral_ref=event_ref(referral),
            arc=referral.arc,
            stage=stage,
            requested_at=now,
        ),
        ref=referral.arc or referral.ref,
    )
    return row


async def request_referring(ctx: ServiceContext, principal: Principal, ref: str) -> SignOff:
    referral = await load_for(ctx, principal, ref, lock_coordinator=True)
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        await enter(referral, "awaiting_referring_signoff", principal.sub, now=now)
        row = await open_signoff(uow, referral, "referring", referral.referring_partner, principal.sub, now)
        await uow.audit(principal, "request_signoff", "reciprocal_referral", referral.ref, entity_org=referral.scheme)
    return row


async def decide(
    ctx: ServiceContext, principal: Principal, ref: str, decision: Decision, agrees_to_owe: bool
) -> SignOff:
    """A named lead of the partner asked records its decision."""
    referral = await load_for(ctx, principal, ref)
    stage = STAGE_OF_STATUS.get(referral.status)
    if stage is None:
        raise conflict(f"no sign-off is awaited for a referral in stage {referral.status!r}")
    partner = referral.referring_partner if stage == "referring" else referral.receiving_partner
    if not await is_named_lead(principal, referral.scheme, partner):
        await refused(
            ctx,
            principal,
            ref,
            referral,
            action="signoff",
            status_code=403,
            reason=f"only the {stage} partner's named lead signs off",
        )
    if stage == "referring" and decision == "approved" and referral.tenancy != SOCIAL and not agrees_to_owe:
        raise conflict(
            "the household has no social tenancy: the referring lead must agree to owe a social housing property "
            "(agrees_to_owe)"
        )
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        row = (
            await SignOff.objects()
            .where((SignOff.referral_ref == referral.ref) & (SignOff.stage == stage) & SignOff.decision.is_null())
            .first()
        )
        if row is None:
            raise conflict("no open sign-off request")
        row.decision, row.decided_at, row.decided_by, row.agrees_to_owe = decision, now, principal.sub, agrees_to_owe
        await row.save()
        await uow.emit(
            SignedOff(
                org=partner,
                scheme=referral.scheme,
                to_org=referral.scheme,
                referral_ref=event_ref(referral),
                arc=referral.arc,
                stage=stage,
                decision=decision,
                decided_at=now,
            ),
            ref=referral.arc or referral.ref,
        )
        if stage == "referring":
            if decision == "approved":
                if referral.tenancy != SOCIAL:
                    referral.agrees_to_owe = True
                await enter(referral, "referring_signed_off", principal.sub, now=now)
            else:
                await _declined(uow, referral, principal.sub, now)
        elif decision == "approved":
            await PoolProperty.update({PoolProperty.status: "offered"}).where(PoolProperty.ref == referral.property_ref)
            await enter(referral, "offered", principal.sub, now=now)
        else:
            await release_property(uow, referral, now, principal.sub, "rejected")
            await enter(referral, "accepted", principal.sub, now=now)
        await uow.audit(
            principal,
            f"signoff_{decision}",
            "reciprocal_referral",
            referral.arc or referral.ref,
            entity_org=referral.scheme,
            purpose=f"{stage} sign-off",
        )
    return row


async def _declined(uow: UnitOfWork, referral: Referral, actor: str, now: datetime) -> None:
    await enter(referral, "declined", actor, now=now)
    await uow.emit(
        ReferralDeclined(
            org=referral.scheme,
            scheme=referral.scheme,
            to_org=referral.referring_partner,
            referral_ref=referral.ref,
            declined_at=now,
        ),
        ref=referral.ref,
    )


async def accept(ctx: ServiceContext, principal: Principal, ref: str) -> Referral:
    """Accept a signed-off referral and issue its ARC."""
    referral = await load_for(ctx, principal, ref, lock_coordinator=True)
    if referral.status != "referring_signed_off":
        raise conflict(
            f"the referring partner's named lead must sign off before an ARC is issued (stage {referral.status!r})"
        )
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        referral.arc, referral.accepted_at = new_arc(), now
        await enter(referral, "accepted", principal.sub, now=now)
        await uow.emit(
            ArcIssued(
                org=referral.scheme,
                scheme=referral.scheme,
                arc=referral.arc,
                referral_ref=referral.ref,
                referring_partner=referral.referring_partner,
                issued_at=now,
            ),
            ref=referral.arc,
        )
        await uow.emit(
            ReferralAccepted(
                org=referral.scheme,
                scheme=referral.scheme,
                to_org=referral.referring_partner,
                referral_ref=referral.ref,
                arc=referral.arc,
                accepted_at=now,
            ),
            ref=referral.arc,
        )
        await uow.audit(
            principal, "accept", "reciprocal_referral", referral.arc, entity_org=referral.scheme, purpose="ARC issued"
        )
    return referral


async def decline(ctx: ServiceContext, principal: Principal, ref: str) -> Referral:
    referral = await load_for(ctx, principal, ref, lock_coordinator=True)
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        await _declined(uow, referral, principal.sub, now)
        await uow.audit(principal, "decline", "reciprocal_referral", referral.ref, entity_org=referral.scheme)
    return referral
