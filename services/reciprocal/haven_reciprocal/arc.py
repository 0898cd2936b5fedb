"""Application Reference Codes and who may see the identity behind one
(seed ``002_c1c7b199d9a53274.txt``).

The coordinator is accountable for "Issuing an Application Reference Code (ARC) for newly
accepted cases that will be shared with Local Authority and registered provider partners"
and "Using the ARC in all partnership communications for security purposes". An ARC is
random (60 bits of Crockford base32): it carries no name, date, place or sequence, so
knowing one ARC says nothing about another.

The identity behind an ARC (lead name, contact, current address — encrypted at rest) is
revealed only to the coordinator and to the current named leads of the referring and
receiving partners, and every reveal is written to the audit trail with its purpose.
"""

from __future__ import annotations

import re

import msgspec

from haven_contracts.ids import new_reference
from haven_reciprocal.partners import is_coordinator, is_named_lead
from haven_reciprocal.referrals import find, refused
from haven_reciprocal.tables import Referral
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal

ARC_PREFIX = "ARC"
ARC_LENGTH = 12
ARC_PATTERN = re.compile(rf"^{ARC_PREFIX}-[0-9A-HJKMNP-TV-Z]{{{ARC_LENGTH}}}$")


def new_arc() -> str:
    return new_reference(ARC_PREFIX, ARC_LENGTH)


def is_arc(value: str) -> bool:
    return bool(ARC_PATTERN.fullmatch(value))


class Identity(msgspec.Struct, kw_only=True):
    arc: str | None
    referral_ref: str
    lead_name: str
    contact: str | None = None
    current_address: str | None = None


async def may_reveal(principal: Principal, referral: Referral) -> bool:
    if is_coordinator(principal, referral.scheme):
        return True
    for org in (referral.referring_partner, referral.receiving_partner):
        if org and await is_named_lead(principal, referral.scheme, org):
            return True
    return False


async def reveal_for(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> Identity:
    """The household behind a reference or ARC, for an authorised caller with a stated purpose
    (audited); an unknown reference is refused and audited like any other."""
    referral = await find(ref)
    if referral is None:
        await refused(ctx, principal, ref, None, action="reveal", purpose=purpose)
    return await reveal(ctx, principal, referral, purpose)


async def reveal(ctx: ServiceContext, principal: Principal, referral: Referral, purpose: str) -> Identity:
    """Decrypt the household's identity for an authorised caller, auditing the reveal."""
    if not await may_reveal(principal, referral):
        await refused(
            ctx,
            principal,
            referral.arc or referral.ref,
            referral,
            action="reveal",
            purpose=purpose,
            reason="not the coordinator or a named lead of the referring or receiving partner",
        )
    cipher = ctx.cipher
    identity = Identity(
        arc=referral.arc,
        referral_ref=referral.ref,
        lead_name=cipher.decrypt(referral.lead_name_enc or None, ref=referral.ref, field="lead_name")
        or "",  # "" once erased
        contact=cipher.decrypt(referral.contact_enc, ref=referral.ref, field="contact"),
        current_address=cipher.decrypt(referral.address_enc, ref=referral.ref, field="current_address"),
    )
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "reveal",
            "reciprocal_referral",
            referral.arc or referral.ref,
            entity_org=referral.scheme,
            purpose=purpose,
            detail={"fields": ["lead_name", "contact", "current_address"]},
        )
    return identity
