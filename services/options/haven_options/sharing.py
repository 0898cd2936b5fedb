"""The responder for ``ReferralDetailsRequest``: the only way a case's personal details leave.

details move only by an explicit, authorised, audited request to the
owning service, with recorded consent or a recorded safeguarding override; the reply goes
to the requester's inbox and is never stored in a stream.

``referral_ref`` names what the requester was given, and decides who may ask:

* a sanctuary or reciprocal referral (``REF-…``) — asked by the scheme's organisation or the
  reciprocal's coordinator;
* a JWA advance-contact notification (``JWA-…``) that shared information — asked by borough B;
* a JWA information request (``INFO-…``) that A answered by sharing — asked by borough B;
* the same request not yet answered — asked by borough A, for the name and date of birth
  alone of B's client, so that A can tell which of its own clients B means
  (:mod:`haven_options.identification`).

Consent is checked at the time of the request (it is revocable): ``share_with_borough`` for
another borough, ``contact_agency`` (or ``share_with_borough``) for a scheme run by another
organisation; a request from the case's own organisation needs none. Refusals and releases
are both audited. A case whose address is confidential (refuge, new safe address) is never
released: the safe-address guard refuses it (``safe_address_blocked``) and audits the block.
"""

from __future__ import annotations

from haven_contracts.events.options import PersonDetails, ReferralDetailsReply, ReferralDetailsRequest
from haven_options import addresses, consent
from haven_options.cases import decrypt_person, find, landlord_name
from haven_options.sheet import content_of
from haven_options.tables import Case, InfoRequest, JwaNotification, Referral, Sheet
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.safe_address import SafeAddressBlocked

#: The kind of release that identifies a requester's client to the borough asked (name and date of birth only).
IDENTIFICATION = "jwa_identification"


def _refused(error: str, message: str) -> ReferralDetailsReply:
    return ReferralDetailsReply(ok=False, error=error, message=message)


async def _resolve(req: ReferralDetailsRequest) -> tuple[Case | None, tuple[str, ...], str]:
    """The case the reference releases to ``req.requested_by``, the consent purposes that allow it, and its kind."""
    referral = await Referral.objects().where(Referral.ref == req.referral_ref).first()
    if referral is not None:
        if referral.org == req.target_org and referral.to_org == req.requested_by and referral.case_ref == req.case_ref:
            return await find(referral.case_ref), ("contact_agency", "share_with_borough"), "referral"
        return None, (), "referral"
    notification = await JwaNotification.objects().where(JwaNotification.ref == req.referral_ref).first()
    if notification is not None:
        if (
            notification.from_org == req.target_org
            and notification.to_org == req.requested_by
            and notification.information_shared
            and notification.case_ref == req.case_ref
        ):
            return await find(notification.case_ref), ("share_with_borough",), "jwa_notification"
        return None, (), "jwa_notification"
    info = await InfoRequest.objects().where(InfoRequest.ref == req.referral_ref).first()
    if info is not None:
        if (
            info.responder_org == req.target_org
            and info.requester_org == req.requested_by
            and info.information_shared
            and info.responder_case_ref
            and req.case_ref in (info.case_ref, info.responder_case_ref)
        ):
            return await find(info.responder_case_ref), ("share_with_borough",), "jwa_information_request"
        if (
            info.requester_org == req.target_org
            and info.responder_org == req.requested_by
            and info.provided_at is None
            and req.case_ref == info.case_ref
        ):
            return await find(info.case_ref), ("share_with_borough",), IDENTIFICATION
        return None, (), "jwa_information_request"
    return None, (), "unknown"


async def _referrer(case: Case) -> tuple[str | None, str | None]:
    sheet = await Sheet.objects().where(Sheet.case_ref == case.ref).order_by(Sheet.version, ascending=False).first()
    if sheet is None:
        return case.opened_by, None
    officer = content_of(sheet)["officer"]
    return officer["name"], officer["contact"]


async def answer_referral_details(ctx: ServiceContext, req: ReferralDetailsRequest) -> ReferralDetailsReply:
    requester = Principal(
        sub=f"{req.requested_by}:{req.requested_by_officer or 'service'}", org=req.requested_by, roles=frozenset()
    )
    case, purposes, kind = await _resolve(req)
    if case is not None and case.org == req.target_org:
        try:  # a confidential address never leaves; the block is audited by the guard
            await addresses.guard(
                ctx,
                requester,
                case,
                purpose="referral" if kind == "referral" else "share",
                recipient_org=req.requested_by,
                carries_address=kind != IDENTIFICATION,
            )
        except SafeAddressBlocked as exc:
            return _refused("safe_address_blocked", exc.detail)
    async with ctx.store.transaction() as uow:
        if case is None or case.org != req.target_org:
            await uow.audit(
                requester,
                "refuse",
                "shared_details",
                req.referral_ref,
                entity_org=req.target_org,
                purpose=req.purpose or "referral details",
                detail={"reason": "not_found", "kind": kind},
            )
            return _refused("not_found", "no such referral for this requester")
        basis = "own organisation" if req.requested_by == case.org else None
        for purpose in purposes:
            basis = basis or await consent.basis_for(case.ref, purpose, req.requested_by)
        if basis is None:
            await uow.audit(
                requester,
                "refuse",
                "case",
                case.ref,
                entity_org=case.org,
                purpose=req.purpose or "referral details",
                detail={"reason": "no_consent", "referral_ref": req.referral_ref},
            )
            return _refused("no_consent", f"no consent recorded to share with {req.requested_by}")
        await uow.audit(
            requester,
            "share",
            "case",
            case.ref,
            entity_org=case.org,
            purpose=req.purpose or "referral details",
            detail={"referral_ref": req.referral_ref, "basis": basis, "kind": kind},
        )
    if kind == IDENTIFICATION:
        # only what identifies the client: the responder matches it against its own cases
        person = decrypt_person(ctx, case)
        return ReferralDetailsReply(
            case_ref=case.ref,
            person=PersonDetails(name=person.name, date_of_birth=person.date_of_birth),
            consent_basis=basis,
        )
    officer, contact = await _referrer(case)
    return ReferralDetailsReply(
        case_ref=case.ref,
        person=decrypt_person(ctx, case),
        tenure=case.tenure,
        landlord_name=landlord_name(ctx, case),
        referrer_officer=officer,
        referrer_contact=contact,
        household_adults=case.adults,
        household_children=case.children,
        perpetrator_at_property=case.perpetrator_at_property,
        consent_basis=basis,
    )
