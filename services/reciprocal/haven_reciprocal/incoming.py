"""Partners' cases referred into the reciprocal from their options service
(seed ``002_c1c7b199d9a53274.txt`` §3: each partner is responsible for "Integrating referral
into the Reciprocal into existing local referral pathways", and the coordinator for "Making
reciprocal referrals").

A partner's officer chooses the reciprocal option on a case; its options service publishes
``ReciprocalReferralRequested`` addressed to the coordinator, with references only. This
consumer records it for the coordinator, wherever the partner's deployment is. The household's
details are fetched when the coordinator needs them, by the consent-checked, audited
``ReferralDetailsRequest`` to the partner's options service; the reply is shown to the
coordinator and not stored here — the coordinator then makes the referral with what the
memorandum needs (abuse category, areas, bedrooms), which is where the household's details
are kept, encrypted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.events.options import ReciprocalReferralRequested, ReferralDetailsReply, ReferralDetailsRequest
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_runtime.audit import refuse
from haven_runtime.bus import ConsumerSpec, PermanentError
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_reciprocal.partners import partner, require_coordinator, schemes
from haven_reciprocal.tables import IncomingReferral


def brief(row: IncomingReferral | dict) -> dict[str, Any]:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return {"ref": get("ref"), "referring_partner": get("referring_partner"), "case_ref": get("case_ref"),
            "received_at": get("received_at"), "details_fetched_at": get("details_fetched_at")}


async def receive_from_options(ctx: ServiceContext, event: ReciprocalReferralRequested, envelope: Envelope, uow: UnitOfWork) -> None:
    """Consumer: record a partner's referral for the coordinator (once, whatever redelivers it)."""
    if event.to_org not in schemes(ctx):
        raise PermanentError(f"{event.to_org} coordinates no housing reciprocal")
    if await partner(event.to_org, event.org) is None:
        raise PermanentError(f"{event.org} is not a partner of the {event.to_org} reciprocal")
    if await IncomingReferral.exists().where(IncomingReferral.ref == event.referral_ref):
        return
    await IncomingReferral.insert(IncomingReferral(ref=event.referral_ref, scheme=event.to_org, referring_partner=event.org,
                                                   case_ref=event.case_ref, received_at=event.requested_at))


CONSUMER = ConsumerSpec(
    purpose="referrals-from-options",
    from_service="options",
    # every version: one this build does not read is dead-lettered, not unseen
    filter_subject=event_filter("options", ReciprocalReferralRequested.name, addressed=True),
    handler=receive_from_options,
)


async def listed(ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
    scheme = require_coordinator(ctx, principal)
    rows = await IncomingReferral.select().where(IncomingReferral.scheme == scheme.coordinator).order_by(IncomingReferral.received_at)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "list", "reciprocal_incoming", "*", entity_org=scheme.coordinator, detail={"count": len(rows)})
    return [brief(r) for r in rows]


async def fetch_details(ctx: ServiceContext, principal: Principal, ref: str) -> dict[str, Any]:
    """Ask the referring partner's options service for the household's details (consent-checked
    and audited there); a refusal, no responder or a timeout says why and changes nothing."""
    scheme = require_coordinator(ctx, principal)
    row = await IncomingReferral.objects().where((IncomingReferral.ref == ref) & (IncomingReferral.scheme == scheme.coordinator)).first()
    if row is None:
        await refuse(ctx.store, principal, "fetch_details", "reciprocal_incoming", ref, reason="no such incoming referral")
    request = ReferralDetailsRequest(target_org=row.referring_partner, requested_by=row.scheme, case_ref=row.case_ref,
                                     referral_ref=row.ref, purpose="reciprocal referral", requested_by_officer=principal.sub)
    try:
        reply = await ctx.request(request)
    except Exception as exc:  # noqa: BLE001 - no responder, timeout: nothing changes
        return brief(row) | {"details_status": "pending", "reason": f"the partner's options service is not available ({type(exc).__name__})"}
    if not isinstance(reply, ReferralDetailsReply) or not reply.ok or reply.person is None:
        reason = f"{getattr(reply, 'error', None) or 'not available'}: {getattr(reply, 'message', '') or ''}".strip()
        return brief(row) | {"details_status": "pending", "reason": reason}
    async with ctx.store.transaction() as uow:
        row.details_fetched_at = datetime.now(UTC)
        await row.save([IncomingReferral.details_fetched_at])
        await uow.audit(principal, "fetch", "reciprocal_incoming", row.ref, entity_org=row.scheme,
                        purpose="household details from the referring partner")
    details = {"person": msgspec.to_builtins(reply.person), "tenure": reply.tenure, "household_adults": reply.household_adults,
               "household_children": reply.household_children, "referrer_officer": reply.referrer_officer,
               "referrer_contact": reply.referrer_contact, "consent_basis": reply.consent_basis}
    return brief(row) | {"details_status": "received", "details": details}
