"""Referrals a partner's options service sends the coordinator (``ReciprocalReferralRequested``).

``003_8738e4ccc4c4272a.txt`` principle 8: "If a transfer away from the local area cannot be
achieved from within the Group's own stock, it will seek to make a reciprocal arrangement
with another landlord"; ``002_c1c7b199d9a53274.txt``: the coordinator is accountable for
"Making reciprocal referrals for survivors of domestic/sexual violence".

Choosing the reciprocal option on a partner's case puts a waiting referral here — the
partner, its case and referral references, the bedrooms needed and the unsafe areas; never
a name or an address (:func:`receive_requested`, a durable consumer applied once per event).
The coordinator takes it up (:func:`fetch_household`): the household's details are asked of
the partner's options service with ``ReferralDetailsRequest``, which releases them only with
the client's recorded consent, and go straight into the referral the coordinator creates
(:func:`haven_reciprocal.referrals.create`) — encrypted there, and never on the bus. The
partner is told with ``IncomingReferralTakenUp``, which stops its referral clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from haven_contracts.events.options import (
    PersonDetails,
    ReciprocalReferralRequested,
    ReferralDetailsReply,
    ReferralDetailsRequest,
)
from haven_contracts.events.reciprocal import IncomingReferralTakenUp
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_reciprocal import referrals
from haven_reciprocal.bodies import HouseholdIn, ReferralIn, TakeUpIn
from haven_reciprocal.partners import is_coordinator, partner, require_coordinator, schemes
from haven_reciprocal.tables import IncomingReferral
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, not_found, unavailable
from haven_runtime.identity import Principal


async def receive_requested(ctx: ServiceContext, event: ReciprocalReferralRequested, envelope: Envelope, uow) -> None:
    """Keep the referral for the coordinator when it coordinates a scheme here (a redelivered event changes nothing)."""
    if not ctx.deployment.hosts(event.to_org) or event.to_org not in schemes(ctx):
        return
    if await IncomingReferral.exists().where(IncomingReferral.ref == event.referral_ref):
        return
    await IncomingReferral.insert(
        IncomingReferral(
            ref=event.referral_ref,
            scheme=event.to_org,
            referring_partner=event.org,
            case_ref=event.case_ref,
            bedrooms=event.bedrooms,
            unsafe_areas=msgspec.json.encode(list(event.unsafe_areas)).decode(),
            requested_at=event.requested_at,
            received_at=datetime.now(UTC),
            due_at=event.due_at,
        )
    )


def view(row: IncomingReferral | dict) -> dict:
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    areas = get("unsafe_areas")
    return {
        "ref": get("ref"),
        "scheme": get("scheme"),
        "referring_partner": get("referring_partner"),
        "case_ref": get("case_ref"),
        "bedrooms": get("bedrooms"),
        "unsafe_areas": msgspec.json.decode(areas) if isinstance(areas, (str, bytes)) else list(areas or []),
        "requested_at": get("requested_at"),
        "due_at": get("due_at"),
        "status": get("status"),
        "referral_ref": get("referral_ref"),
    }


async def waiting(principal: Principal) -> list[dict]:
    """What the caller's scheme has waiting (a coordinator's own scheme only)."""
    if not is_coordinator(principal, principal.org):
        return []
    return await IncomingReferral.select().where(
        (IncomingReferral.scheme == principal.org) & (IncomingReferral.status == "waiting")
    )


async def load(principal: Principal, ref: str) -> IncomingReferral:
    row = await IncomingReferral.objects().where(IncomingReferral.ref == ref).first()
    if row is None or not is_coordinator(principal, row.scheme):
        raise not_found("incoming referral")
    if row.status != "waiting":
        raise conflict(f"incoming referral {ref} was already taken up as {row.referral_ref}")
    return row


async def fetch_household(ctx: ServiceContext, principal: Principal, row: IncomingReferral) -> PersonDetails:
    """The household's details from the referring partner's options service (409 without consent; 503 when it does not
    answer)."""
    request = ReferralDetailsRequest(
        target_org=row.referring_partner,
        requested_by=row.scheme,
        case_ref=row.case_ref,
        referral_ref=row.ref,
        purpose="reciprocal referral",
        requested_by_officer=principal.sub,
    )
    try:
        reply = await ctx.request(request)
    except Exception as exc:  # noqa: BLE001 - no responder, timeout
        raise unavailable(f"{row.referring_partner}'s options service did not answer ({type(exc).__name__})") from None
    if not isinstance(reply, ReferralDetailsReply) or not reply.ok or reply.person is None:
        raise conflict(
            f"{row.referring_partner} did not release the household's details: "
            f"{getattr(reply, 'error', None) or 'not available'}"
            f" {getattr(reply, 'message', '') or ''}".strip()
        )
    return reply.person


async def mark_taken_up(ctx: ServiceContext, row: IncomingReferral, referral_ref: str) -> None:
    """Record the referral taken up and tell the partner (``IncomingReferralTakenUp``), whose referral clock stops."""
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        taken = (
            await IncomingReferral.update(
                {IncomingReferral.status: "taken_up", IncomingReferral.referral_ref: referral_ref}
            )
            .where((IncomingReferral.ref == row.ref) & (IncomingReferral.status == "waiting"))
            .returning(IncomingReferral.ref)
        )
        if not taken:
            raise conflict(f"incoming referral {row.ref} was taken up by someone else")
        await uow.emit(
            IncomingReferralTakenUp(
                org=row.scheme,
                scheme=row.scheme,
                to_org=row.referring_partner,
                options_referral_ref=row.ref,
                referral_ref=referral_ref,
                taken_up_at=now,
            ),
            ref=row.ref,
        )


async def take_up(ctx: ServiceContext, principal: Principal, ref: str, data: TakeUpIn) -> dict:
    """The coordinator takes up a waiting referral: the household's consented details, the partner's
    bedrooms and unsafe areas, and what the coordinator adds, become a referral here (API and pages alike)."""
    require_coordinator(ctx, principal)
    row = await load(principal, ref)
    person = await fetch_household(ctx, principal, row)
    member = await partner(row.scheme, row.referring_partner)
    body = ReferralIn(
        referring_partner=row.referring_partner,
        remit_explained_on=data.remit_explained_on,
        abuse_category=data.abuse_category,
        tenancy=data.tenancy,
        current_area=(member.area if member and member.area else row.referring_partner),
        bedrooms=row.bedrooms,
        household=HouseholdIn(lead_name=person.name, contact=person.phone, current_address=person.address),
        referring_partner_agrees_to_owe=data.referring_partner_agrees_to_owe,
        accessibility=list(data.accessibility),
        unsafe_areas=view(row)["unsafe_areas"],
        preferred_areas=list(data.preferred_areas),
    )
    created = await referrals.create(ctx, principal, body)
    await mark_taken_up(ctx, row, created.ref)
    return {"ref": row.ref, "status": "taken_up", "referral_ref": created.ref}


CONSUMER = ConsumerSpec(
    purpose="incoming-referrals",
    from_service="options",
    # every version: one this build does not read is dead-lettered, not unseen
    filter_subject=event_filter("options", ReciprocalReferralRequested.name, addressed=True),
    handler=receive_requested,
)
