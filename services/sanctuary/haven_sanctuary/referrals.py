"""Referrals: the Appendix A form, referrals from options cases, reading and closing.

Seed ``004_d4b796f614d2cfd3.txt``: "any organisation working with a person they deem
suitable for sanctuary measures can make a referral to the scheme"; "Sanctuary referrals
can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday. If
the person ... contacts DBC through the out of hour's facility and it is unsafe for them to
remain in their present accommodation, emergency temporary accommodation will be arranged."

A referral outside the scheme's office hours is accepted; its clocks start at the next
opening. When the person is unsafe to stay, ``emergency-accommodation-requested`` is
raised at once, in the same transaction as the referral.

The clocks run from when the scheme *received* the referral — s.9: "Once a referral is made,
DBC will ask the Police within 3 working days" — not from when an officer typed it in: a form
may carry ``received_at`` (phoned in on Friday at 16:50, keyed on Monday; never in the
future, and audited with the keying time), and a referral from an options case is received
when the client approached the referring organisation (the event's ``approached_at``).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from haven_contracts.events.options import ReferralDetailsReply, ReferralDetailsRequest, SanctuaryReferralRequested
from haven_contracts.events.sanctuary import (
    EmergencyTrigger,
    ReferralSource,
    SanctuaryEmergencyAccommodationRequested,
    SanctuaryReferralReceived,
)
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_runtime.context import ServiceContext
from haven_runtime.errors import PermanentError, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import not_in_future
from haven_sanctuary import clocks, eligibility
from haven_sanctuary.common import as_utc, log_step, utcnow
from haven_sanctuary.forms import ReferralForm
from haven_sanctuary.schemes import Scheme, scheme_for
from haven_sanctuary.tables import SanctuaryReferral

#: Personal columns of the form and the field name bound into each ciphertext.
PERSONAL = {
    "person_name_enc": "person.name",
    "person_address_enc": "person.address",
    "person_phone_enc": "person.telephone",
    "person_dob_enc": "person.date_of_birth",
    "property_other_enc": "property_type_other",
    "landlord_name_enc": "landlord_name",
    "reason_enc": "reason",
    "referrer_name_enc": "referrer.name",
    "referrer_position_enc": "referrer.position",
    "referrer_organisation_enc": "referrer.organisation",
    "referrer_phone_enc": "referrer.telephone",
    "referrer_email_enc": "referrer.email",
}
#: The options service's tenure codes (and this service's own) mapped to the form's four tenures.
TENURES_FROM_OPTIONS = {
    "council_secure": "council_tenant",
    "council_tenant": "council_tenant",
    "housing_association": "housing_association_tenant",
    "housing_association_tenant": "housing_association_tenant",
    "private_rented": "private_sector_tenant",
    "private_sector_tenant": "private_sector_tenant",
    "owner_occupier": "owner_occupier",
}


def validate_form(form: ReferralForm, scheme: Scheme | None, now: datetime) -> None:
    if scheme is None:
        raise unprocessable("scheme", f"{form.scheme} runs no sanctuary scheme")
    not_in_future("person.date_of_birth", form.person.date_of_birth, now=now)
    if form.property_type == "other" and not form.property_type_other:
        raise unprocessable("property_type_other", "required when property_type is other (please specify)")
    if form.tenure in eligibility.OTHER_LANDLORD and not form.landlord_name:
        raise unprocessable("landlord_name", f"required for a {form.tenure.replace('_', ' ')}")


def _encrypt_form(ctx: ServiceContext, row: SanctuaryReferral, values: dict[str, str | None]) -> None:
    for column, field in PERSONAL.items():
        if column in values:
            setattr(row, column, ctx.cipher.encrypt(values[column], ref=row.ref, field=field))
    if values.get("person_name_enc"):
        row.name_index = ctx.cipher.blind_index(values["person_name_enc"], field="person.name")


def decrypt(ctx: ServiceContext, row: SanctuaryReferral | dict, column: str) -> str | None:
    get = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    ref = get("ref")
    return ctx.cipher.decrypt(get(column), ref=ref, field=PERSONAL[column]) if get(column) else None


async def _open(
    ctx: ServiceContext,
    uow: UnitOfWork,
    row: SanctuaryReferral,
    scheme: Scheme,
    principal: Principal | None,
    address: str | None,
    out_of_hours_hint: bool = False,
) -> None:
    """Insert a new referral with its criteria, clocks, landlord/funding steps and events."""
    calendar = scheme.calendar
    row.out_of_hours = out_of_hours_hint or not calendar.is_open(row.received_at)
    row.clocks_start_at = as_utc(calendar.next_opening(row.received_at))
    await SanctuaryReferral.insert(row)
    at = row.received_at
    await uow.emit(
        SanctuaryReferralReceived(
            org=row.org,
            referral_ref=row.ref,
            at=at,
            referrer_org=row.referrer_org,
            source=cast(ReferralSource, row.source),  # the column holds only "form" or "options"
            case_ref=row.case_ref,
            out_of_hours=row.out_of_hours,
            clocks_start_at=row.clocks_start_at,
        ),
        ref=row.ref,
    )
    await log_step(
        row,
        "referral_received",
        principal,
        at,
        source=row.source,
        out_of_hours=row.out_of_hours,
        clocks_start_at=row.clocks_start_at,
    )
    if row.unsafe_to_stay:
        await request_emergency_accommodation(
            uow, row, "out_of_hours_unsafe" if row.out_of_hours else "unsafe_to_stay", at, principal
        )
    await eligibility.create_criteria(ctx, row, scheme, address, at)
    await eligibility.apply_tenure(uow, row, scheme, at)
    await clocks.start_clocks(scheme, row.ref, "received", row.received_at)
    await row.save()


async def request_emergency_accommodation(
    uow: UnitOfWork, row: SanctuaryReferral, trigger: EmergencyTrigger, at: datetime, principal: Principal | None
) -> None:
    row.emergency_accommodation_requested_at = at
    await uow.emit(
        SanctuaryEmergencyAccommodationRequested(
            org=row.org,
            referral_ref=row.ref,
            at=at,
            trigger=trigger,
            case_ref=row.case_ref,
        ),
        ref=row.ref,
    )
    await log_step(row, "emergency_accommodation_requested", principal, at, trigger=trigger)


async def submit(
    ctx: ServiceContext, principal: Principal, form: ReferralForm, *, now: datetime | None = None
) -> SanctuaryReferral:
    """File the Appendix A form with the scheme run by ``form.scheme``."""
    now = as_utc(now) or ctx.now()
    scheme = scheme_for(ctx, form.scheme)
    validate_form(form, scheme, now)
    assert scheme is not None
    received = received_time(form, now)
    row = SanctuaryReferral(
        ref=new_reference("SAN"),
        org=scheme.org,
        referrer_org=principal.org,
        submitted_by=principal.sub,
        source="form",
        received_at=received,
        clocks_start_at=received,
        unsafe_to_stay=form.unsafe_to_stay,
        details_status="received",
        property_type=form.property_type,
        tenure=form.tenure,
    )
    p, r = form.person, form.referrer
    _encrypt_form(
        ctx,
        row,
        {
            "person_name_enc": p.name,
            "person_address_enc": p.address,
            "person_phone_enc": p.telephone,
            "person_dob_enc": p.date_of_birth.isoformat(),
            "property_other_enc": form.property_type_other,
            "landlord_name_enc": form.landlord_name,
            "reason_enc": form.reason,
            "referrer_name_enc": r.name,
            "referrer_position_enc": r.position,
            "referrer_organisation_enc": r.organisation,
            "referrer_phone_enc": r.telephone,
            "referrer_email_enc": r.email,
        },
    )
    async with ctx.store.transaction() as uow:
        await _open(ctx, uow, row, scheme, principal, p.address)
        await uow.audit(
            principal,
            "create",
            "sanctuary_referral",
            row.ref,
            entity_org=row.org,
            purpose="sanctuary referral form",
            detail={"received_at": received.isoformat(), "keyed_at": now.isoformat()} if received != now else None,
        )
    return row


def received_time(form: ReferralForm, now: datetime) -> datetime:
    """When the scheme received the referral: the form's ``received_at`` (422 if in the future), else ``now``."""
    received = as_utc(form.received_at)
    if received is None:
        return now
    if received > now:
        raise unprocessable("received_at", "cannot be in the future")
    return received


async def receive_from_options(
    ctx: ServiceContext, event: SanctuaryReferralRequested, envelope: Envelope, uow: UnitOfWork
) -> None:
    """Consumer: a case's sanctuary option was chosen. Creates a referral holding references
    only; its personal details are fetched from the options service when an officer needs them."""
    scheme = scheme_for(ctx, event.to_org)
    if scheme is None:
        raise PermanentError(f"{event.to_org} runs no sanctuary scheme")
    if await SanctuaryReferral.exists().where(SanctuaryReferral.ref == event.referral_ref):
        return
    received = as_utc(event.approached_at) or as_utc(event.requested_at) or utcnow()
    row = SanctuaryReferral(
        ref=event.referral_ref,
        org=scheme.org,
        referrer_org=event.org,
        submitted_by=f"options:{event.org}",
        source="options",
        case_ref=event.case_ref,
        received_at=received,
        clocks_start_at=received,
        unsafe_to_stay=event.unsafe_to_stay,
        details_status="pending",
    )
    await _open(ctx, uow, row, scheme, None, None, out_of_hours_hint=event.out_of_hours)


async def fetch_details(ctx: ServiceContext, row: SanctuaryReferral, scheme: Scheme, principal: Principal) -> dict:
    """Ask the referring options service for the form's personal details (consent-checked there).

    A refusal, an absent responder or a timeout leaves the referral as it is, details pending.
    """
    if row.source != "options" or not row.case_ref:
        return {"details_status": row.details_status, "reason": "the referral form was submitted with its details"}
    if row.details_status == "received":
        return {"details_status": "received"}
    request = ReferralDetailsRequest(
        target_org=row.referrer_org,
        requested_by=row.org,
        case_ref=row.case_ref,
        referral_ref=row.ref,
        purpose="sanctuary referral form",
        requested_by_officer=principal.sub,
    )
    try:
        reply = await ctx.request(request)
    except Exception as exc:  # noqa: BLE001 - no responder, timeout: details stay pending
        return {"details_status": "pending", "reason": f"options service not available ({type(exc).__name__})"}
    if not isinstance(reply, ReferralDetailsReply) or not reply.ok or reply.person is None:
        return {
            "details_status": "pending",
            "reason": (
                f"{getattr(reply, 'error', None) or 'not available'}: {getattr(reply, 'message', '') or ''}"
            ).strip(),
        }
    now = utcnow()
    person = reply.person
    async with ctx.store.transaction() as uow:
        fresh = await SanctuaryReferral.objects().where(SanctuaryReferral.ref == row.ref).first()
        assert fresh is not None, "the referral read above"
        _encrypt_form(
            ctx,
            fresh,
            {
                "person_name_enc": person.name,
                "person_address_enc": person.address,
                "person_phone_enc": person.phone,
                "person_dob_enc": person.date_of_birth.isoformat() if person.date_of_birth else None,
                "landlord_name_enc": reply.landlord_name,
                "referrer_name_enc": reply.referrer_officer,
                "referrer_phone_enc": reply.referrer_contact,
            },
        )
        fresh.details_status = "received"
        tenure = TENURES_FROM_OPTIONS.get((reply.tenure or "").lower())
        if tenure and fresh.tenure is None:
            fresh.tenure = tenure
            await eligibility.apply_tenure(uow, fresh, scheme, now)
        await eligibility.check_borough(ctx, fresh, scheme, person.address, now)
        await eligibility.prefill_from_case(fresh, reply.perpetrator_at_property, now)
        await log_step(fresh, "details_received", principal, now, from_org=row.referrer_org)
        await fresh.save()
        await uow.audit(
            principal,
            "fetch",
            "sanctuary_referral",
            row.ref,
            entity_org=row.org,
            purpose="referral details from options",
        )
    return {"details_status": "received"}
