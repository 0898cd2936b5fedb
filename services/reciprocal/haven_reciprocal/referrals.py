"""Referrals to move and their stages (seed ``002_c1c7b199d9a53274.txt``).

The coordinator is accountable for "Making reciprocal referrals for survivors of
domestic/sexual violence or other VAWG (or in some instances perpetrators) in social
housing across Cambridgeshire who need to move Local authority area". Two paths need
more than a survivor's social tenancy:

* a perpetrator "In some instances when assessed as safe to do so ... for instance on
  release from prison" — only with a recorded safety assessment whose outcome is safe;
* "Ensuring applicants are aware of the remit of the housing pathway": the coordinator
  records the date the remit was explained; a future date is refused;
* households "who don't have a social tenancy but are in priority need/due to receive one,
  as long as the LA/RP agrees to owe a social housing property" — only when the referring
  partner's agreement is recorded (and confirmed again at its sign-off).

Every referral moves through :data:`TRANSITIONS`; each stage entry is timestamped so
partners can follow it by ARC, and an illegal move is 409 with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

import msgspec

from haven_contracts.events.reciprocal import ReferralReceived, ReferralWithdrawn
from haven_contracts.ids import new_reference
from haven_reciprocal.partners import is_coordinator, require_coordinator, require_signed, schemes
from haven_reciprocal.tables import PoolProperty, Proposal, Referral, StageEntry
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import not_in_future

TRANSITIONS: dict[str, set[str]] = {
    "received": {"awaiting_referring_signoff", "declined", "withdrawn"},
    "awaiting_referring_signoff": {"referring_signed_off", "declined", "withdrawn"},
    "referring_signed_off": {"accepted", "declined", "withdrawn"},
    "accepted": {"proposed", "withdrawn"},
    "proposed": {"awaiting_receiving_signoff", "accepted", "withdrawn"},
    "awaiting_receiving_signoff": {"offered", "accepted", "withdrawn"},
    "offered": {"offer_accepted", "accepted", "withdrawn"},
    "offer_accepted": {"moved", "withdrawn"},
    "moved": {"completed"},
    "completed": set(),
    "declined": set(),
    "withdrawn": set(),
}
ACTIVE = [s for s, nxt in TRANSITIONS.items() if nxt]
SOCIAL = "social"


def loads(value) -> list:
    if value is None:
        return []
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value)


def event_ref(referral: Referral) -> str | None:
    """The referral reference for an event, only until an ARC replaces it."""
    return None if referral.arc else referral.ref


def dumps(value) -> str:
    return msgspec.json.encode(value).decode()


async def enter(referral: Referral, stage: str, actor: str, *, now: datetime | None = None) -> None:
    """Move ``referral`` to ``stage`` (409 when the memorandum's order does not allow it).

    The move is a compare-and-set on the stage the caller read, so two concurrent requests
    (two coordinators confirming, a sign-off racing a withdrawal) cannot both apply: the
    second finds the stage changed and gets 409, and its transaction rolls back.
    """
    if stage not in TRANSITIONS.get(referral.status, set()):
        raise conflict(f"a referral in stage {referral.status!r} cannot move to {stage!r}")
    now = now or datetime.now(UTC)
    moved = (
        await Referral.update({Referral.status: stage})
        .where((Referral.ref == referral.ref) & (Referral.status == referral.status))
        .returning(Referral.ref)
    )
    if not moved:
        raise conflict(f"the referral is no longer in stage {referral.status!r}; reload it")
    await StageEntry.update({StageEntry.left_at: now}).where(
        (StageEntry.referral_ref == referral.ref) & StageEntry.left_at.is_null()
    )
    await StageEntry.insert(StageEntry(referral_ref=referral.ref, stage=stage, entered_at=now, actor=actor))
    referral.status, referral.stage_since, referral.stuck_warned_at = stage, now, None
    await referral.save()


async def create(ctx: ServiceContext, principal: Principal, data) -> Referral:
    """The coordinator refers a household (``bodies.ReferralIn``)."""
    scheme = require_coordinator(ctx, principal)
    areas = {a.id for a in scheme.areas}
    categories = {c.code for c in scheme.abuse_categories}
    await require_signed(scheme.coordinator, data.referring_partner, "referring_partner")
    if categories and data.abuse_category not in categories:
        raise unprocessable(
            "abuse_category", f"not a strand of this scheme; expected one of {', '.join(sorted(categories))}"
        )
    for field in ("current_area", "unsafe_areas", "preferred_areas"):
        value = getattr(data, field)
        for area in [value] if isinstance(value, str) else value:
            if area not in areas:
                raise unprocessable(field, f"unknown area {area!r}; expected one of {', '.join(sorted(areas))}")
    if set(data.preferred_areas) & set(data.unsafe_areas):
        raise unprocessable("preferred_areas", "an area cannot be both preferred and unsafe")
    if data.current_area in data.preferred_areas:
        raise unprocessable("preferred_areas", "a reciprocal moves the household to another local authority area")
    if data.subject == "perpetrator":
        assessment = data.safety_assessment
        if assessment is None:
            raise unprocessable(
                "safety_assessment", "required to relocate a perpetrator ('when assessed as safe to do so')"
            )
        if assessment.outcome != "safe":
            raise unprocessable(
                "safety_assessment.outcome", "a perpetrator is relocated only when assessed as safe to do so"
            )
    if data.tenancy != SOCIAL and not data.referring_partner_agrees_to_owe:
        raise unprocessable(
            "referring_partner_agrees_to_owe",
            "a household without a social tenancy needs the referring partner to agree to owe a social housing "
            "property",
        )
    now = ctx.now()
    not_in_future("remit_explained_on", data.remit_explained_on, now=now)
    if data.safety_assessment is not None:
        not_in_future("safety_assessment.assessed_on", data.safety_assessment.assessed_on, now=now)
    ref = new_reference("RRF", 12)
    cipher = ctx.cipher
    row = Referral(
        ref=ref,
        scheme=scheme.coordinator,
        referring_partner=data.referring_partner,
        status="received",
        stage_since=now,
        created_at=now,
        created_by=principal.sub,
        remit_explained_on=data.remit_explained_on,
        abuse_category=data.abuse_category,
        subject_kind=data.subject,
        safety_assessment=dumps(data.safety_assessment),
        tenancy=data.tenancy,
        agrees_to_owe=data.referring_partner_agrees_to_owe,
        bedrooms=data.bedrooms,
        accessibility=dumps(sorted(set(data.accessibility))),
        current_area=data.current_area,
        unsafe_areas=dumps(sorted(set(data.unsafe_areas))),
        preferred_areas=dumps(sorted(set(data.preferred_areas))),
        lead_name_enc=cipher.encrypt(data.household.lead_name, ref=ref, field="lead_name"),
        contact_enc=cipher.encrypt(data.household.contact, ref=ref, field="contact"),
        address_enc=cipher.encrypt(data.household.current_address, ref=ref, field="current_address"),
        name_index=cipher.blind_index(data.household.lead_name, field="lead_name"),
    )
    async with ctx.store.transaction() as uow:
        await Referral.insert(row)
        await StageEntry.insert(StageEntry(referral_ref=ref, stage="received", entered_at=now, actor=principal.sub))
        await uow.emit(
            ReferralReceived(
                org=scheme.coordinator,
                scheme=scheme.coordinator,
                referral_ref=ref,
                referring_partner=data.referring_partner,
                subject_kind=data.subject,
                received_at=now,
            ),
            ref=ref,
        )
        await uow.audit(
            principal,
            "create",
            "reciprocal_referral",
            ref,
            entity_org=scheme.coordinator,
            purpose="reciprocal referral",
        )
    return row


async def find(ref_or_arc: str) -> Referral | None:
    column = Referral.arc if ref_or_arc.startswith("ARC-") else Referral.ref
    return await Referral.objects().where(column == ref_or_arc).first()


async def involved(principal: Principal, referral: Referral) -> bool:
    """Coordinator, or staff of the referring or receiving partner (who follow it by ARC)."""
    if is_coordinator(principal, referral.scheme):
        return True
    if not principal.has_any({"named_lead", "team_manager", "dv_lead", "options_officer", "admin"}):
        return False
    return principal.org in {referral.referring_partner, referral.receiving_partner}


async def refused(
    ctx: ServiceContext,
    principal: Principal,
    ref_or_arc: str,
    referral: Referral | None,
    *,
    action: str,
    reason: str = "",
    purpose: str = "",
    status_code: int = 404,
) -> NoReturn:
    """Refuse an action on a referral, audited with who, what and why. The answer is 404
    whether it exists or not (an uninvolved partner learns nothing from trying references);
    a party already involved in the referral, refused a step that is not theirs, gets 403."""
    await refuse(
        ctx.store,
        principal,
        action,
        "reciprocal_referral",
        ref_or_arc,
        purpose=purpose,
        status_code=status_code,
        entity_org=referral.scheme if referral else "",
        reason=reason if referral else "no such referral",
    )


async def load_for(
    ctx: ServiceContext, principal: Principal, ref_or_arc: str, *, lock_coordinator: bool = False
) -> Referral:
    """The referral if the caller is involved (its coordinator, when ``lock_coordinator``);
    otherwise the same audited 404 as for a reference that does not exist."""
    referral = await find(ref_or_arc)
    if referral is None:
        await refused(ctx, principal, ref_or_arc, None, action="read")
    if lock_coordinator and not is_coordinator(principal, referral.scheme):
        await refused(ctx, principal, ref_or_arc, referral, action="update", reason="not the scheme's coordinator")
    if not await involved(principal, referral):
        await refused(ctx, principal, ref_or_arc, referral, action="read", reason="not involved in the referral")
    return referral


async def release_property(uow: UnitOfWork, referral: Referral, now: datetime, actor: str, outcome: str) -> None:
    """Return a referral's proposed or offered property to the pool."""
    if not referral.property_ref:
        return
    await PoolProperty.update({PoolProperty.status: "available"}).where(
        (PoolProperty.ref == referral.property_ref) & PoolProperty.status.is_in(["proposed", "offered"])
    )
    await Proposal.update({Proposal.status: outcome, Proposal.decided_at: now, Proposal.decided_by: actor}).where(
        (Proposal.referral_ref == referral.ref) & Proposal.status.is_in(["proposed", "confirmed"])
    )
    referral.property_ref = None
    referral.receiving_partner = None


async def withdraw(ctx: ServiceContext, principal: Principal, ref_or_arc: str) -> Referral:
    referral = await load_for(ctx, principal, ref_or_arc, lock_coordinator=True)
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        await release_property(uow, referral, now, principal.sub, "cancelled")
        await enter(referral, "withdrawn", principal.sub, now=now)
        await uow.emit(
            ReferralWithdrawn(
                org=referral.scheme,
                scheme=referral.scheme,
                referral_ref=event_ref(referral),
                arc=referral.arc,
                withdrawn_at=now,
            ),
            ref=referral.arc or referral.ref,
        )
        await uow.audit(
            principal, "withdraw", "reciprocal_referral", referral.arc or referral.ref, entity_org=referral.scheme
        )
    return referral


async def listing(ctx: ServiceContext, principal: Principal, status: str | None = None) -> tuple[list[dict], bool]:
    """The referrals the caller may follow (its scheme's, for the coordinator; else those its
    organisation refers or receives), oldest first, and whether the caller coordinates them.
    The listing is audited: partners' lists and the pages read the same rows."""
    q = Referral.select(
        Referral.ref,
        Referral.arc,
        Referral.status,
        Referral.stage_since,
        Referral.referring_partner,
        Referral.receiving_partner,
        Referral.property_ref,
        Referral.scheme,
    )
    coordinator = principal.org in schemes(ctx) and is_coordinator(principal, principal.org)
    if coordinator:
        q = q.where(Referral.scheme == principal.org)
    else:
        q = q.where((Referral.referring_partner == principal.org) | (Referral.receiving_partner == principal.org))
    if status:
        q = q.where(Referral.status == status)
    rows = await q.order_by(Referral.created_at)
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal, "list", "reciprocal_referral", "*", entity_org=principal.org, detail={"count": len(rows)}
        )
    return rows, coordinator


def known_scheme(ctx: ServiceContext, scheme: str) -> bool:
    return scheme in schemes(ctx)
