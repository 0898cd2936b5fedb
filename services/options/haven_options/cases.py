"""Cases: a survivor's approach to one organisation becomes a case.

Seeds: ``001_2a45bb55c36fcb52.txt`` (clients approach reception, are referred by police or
agencies, or call out of hours), ``003_8738e4ccc4c4272a.txt`` (a report to housing services
or a referral from an appropriate individual or organisation).

The personal fields (name, date of birth, address, phone, safe contact method, landlord
name) exist only here, encrypted with the field cipher and bound to the case reference.
Everything else (channel, tenure, household flags) is case *facts*: what plugins see
(:class:`~haven_contracts.plugin.options.CaseFacts`) and what events may carry codes of.
Every read is audited with a purpose; officers see only their own organisation's cases.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import msgspec

from haven_contracts.events.options import CaseClosed, CaseOpened, PersonDetails
from haven_contracts.ids import new_reference
from haven_contracts.plugin.options import ApproachChannel, CaseFacts, Tenure
from haven_options.tables import Case
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, forbidden
from haven_runtime.identity import Principal
from haven_runtime.prepared import Prepared
from haven_runtime.store import Store, UnitOfWork

PERSONAL_FIELDS = ("name", "date_of_birth", "address", "phone", "safe_contact", "landlord_name")


class Person(msgspec.Struct, kw_only=True):
    name: str
    date_of_birth: date | None = None
    address: str | None = None
    phone: str | None = None
    safe_contact: str | None = None
    landlord_name: str | None = None


class CaseInput(msgspec.Struct, kw_only=True):
    """What an officer records when a client approaches (validated by the API layer)."""

    person: Person
    channel: str
    tenure: str = "unknown"
    approached_at: datetime | None = None
    out_of_hours: bool = False
    adults: int = 1
    children: int = 0
    pregnant: bool = False
    perpetrator_at_property: bool | None = None
    homelessness: str = "none"
    unable_to_return_home: bool = False
    rent_arrears: bool = False
    substance_misuse: bool = False
    mortgaged: bool = False
    landlord_org: str | None = None
    duty_accepted: bool = False
    from_org: str | None = None
    last_marac_referral_on: date | None = None


def facts(case: Case) -> CaseFacts:
    """The non-personal facts of ``case`` handed to plugins."""
    return CaseFacts(
        org=case.org,
        case_ref=case.ref,
        # the columns hold only the codes the case's body accepted
        channel=cast(ApproachChannel, case.channel),
        tenure=cast(Tenure, case.tenure),
        opened_at=case.approached_at,
        out_of_hours=case.out_of_hours,
        adults=case.adults,
        children=case.children,
        pregnant=case.pregnant,
        perpetrator_at_property=case.perpetrator_at_property,
        may_be_homeless=case.homelessness in ("threatened", "homeless"),
        unable_to_return_home=case.unable_to_return_home,
        rent_arrears=case.rent_arrears,
        substance_misuse=case.substance_misuse,
        mortgaged=case.mortgaged,
        landlord_org=case.landlord_org,
        marac_recommended=case.marac_recommended,
        duty_accepted=case.duty_accepted,
    )


def encrypt_person(ctx: ServiceContext, ref: str, person: Person) -> dict[str, Any]:
    c = ctx.cipher
    dob = person.date_of_birth.isoformat() if person.date_of_birth else None
    return {
        "name_enc": c.encrypt(person.name, ref=ref, field="name"),
        "date_of_birth_enc": c.encrypt(dob, ref=ref, field="date_of_birth"),
        "address_enc": c.encrypt(person.address, ref=ref, field="address"),
        "phone_enc": c.encrypt(person.phone, ref=ref, field="phone"),
        "safe_contact_enc": c.encrypt(person.safe_contact, ref=ref, field="safe_contact"),
        "landlord_name_enc": c.encrypt(person.landlord_name, ref=ref, field="landlord_name"),
        "name_index": c.blind_index(person.name, field="name"),
    }


def decrypt_person(ctx: ServiceContext, case: Case) -> PersonDetails:
    c = ctx.cipher
    dob = c.decrypt(case.date_of_birth_enc, ref=case.ref, field="date_of_birth")
    return PersonDetails(
        name=c.decrypt(case.name_enc or None, ref=case.ref, field="name") or "",  # "" once erased
        address=c.decrypt(case.address_enc, ref=case.ref, field="address"),
        phone=c.decrypt(case.phone_enc, ref=case.ref, field="phone"),
        date_of_birth=date.fromisoformat(dob) if dob else None,
        safe_contact=c.decrypt(case.safe_contact_enc, ref=case.ref, field="safe_contact"),
    )


def landlord_name(ctx: ServiceContext, case: Case) -> str | None:
    return ctx.cipher.decrypt(case.landlord_name_enc, ref=case.ref, field="landlord_name")


async def insert_case(ctx: ServiceContext, uow: UnitOfWork, principal: Principal, data: CaseInput) -> Case:
    """Write a new case and its ``CaseOpened`` event (interview routing is added by the caller).

    Only for an organisation this deployment hosts: another's cases live in its own deployment."""
    if not ctx.deployment.hosts(principal.org):
        raise forbidden(f"{principal.org} is not hosted by deployment {ctx.deployment.name}")
    ref = new_reference("CASE")
    now = ctx.now()
    case = Case(
        ref=ref,
        org=principal.org,
        status="open",
        channel=data.channel,
        tenure=data.tenure,
        approached_at=(data.approached_at or now).astimezone(UTC),
        opened_by=principal.sub,
        out_of_hours=data.out_of_hours or data.channel == "out_of_hours",
        adults=data.adults,
        children=data.children,
        pregnant=data.pregnant,
        perpetrator_at_property=data.perpetrator_at_property,
        homelessness=data.homelessness,
        unable_to_return_home=data.unable_to_return_home,
        rent_arrears=data.rent_arrears,
        substance_misuse=data.substance_misuse,
        mortgaged=data.mortgaged,
        landlord_org=data.landlord_org,
        duty_accepted=data.duty_accepted,
        duty_accepted_at=(data.approached_at or now).astimezone(UTC) if data.duty_accepted else None,
        duty_accepted_by=principal.sub if data.duty_accepted else None,
        from_org=data.from_org,
        last_marac_referral_on=data.last_marac_referral_on,
        **encrypt_person(ctx, ref, data.person),
    )
    await Case.insert(case)
    await uow.audit(principal, "create", "case", ref, entity_org=principal.org, purpose="case opened on approach")
    return case


async def emit_opened(uow: UnitOfWork, case: Case, seen_as_emergency: bool) -> None:
    await uow.emit(
        CaseOpened(
            org=case.org,
            case_ref=case.ref,
            channel=case.channel,
            tenure=case.tenure,
            opened_at=case.approached_at,
            seen_as_emergency=seen_as_emergency,
            from_org=case.from_org,
        ),
        ref=case.ref,
    )


_CASE_BY_REF = Prepared[Case](lambda ref: Case.objects().where(Case.ref == ref).limit(1))


async def find(ref: str) -> Case | None:
    return await _CASE_BY_REF.first(ref)


async def load_for(uow: UnitOfWork, principal: Principal, ref: str, *, purpose: str, action: str = "read") -> Case:
    """The case ``ref`` if ``principal`` acts for its organisation (else 403), audited either way."""
    case = await find(ref)
    if case is None or case.org != principal.org:
        await refuse(
            uow.store,
            principal,
            action,
            "case",
            ref,
            entity_org=case.org if case else "",
            purpose=purpose,
            reason="no such case" if case is None else "another organisation's case",
            status_code=403,
        )
    await uow.audit(principal, action, "case", ref, entity_org=case.org, purpose=purpose)
    return case


async def read_for(store: Store, principal: Principal, ref: str, *, purpose: str) -> Case:
    """The case ``ref`` for reading only (else an audited 403): read outside any write
    transaction, then its audit record committed (grouped with concurrent reads) before it is returned."""
    case = await find(ref)
    if case is None or case.org != principal.org:
        await refuse(
            store,
            principal,
            "read",
            "case",
            ref,
            entity_org=case.org if case else "",
            purpose=purpose,
            reason="no such case" if case is None else "another organisation's case",
            status_code=403,
        )
    await store.audit_committed(principal, "read", "case", ref, entity_org=case.org, purpose=purpose)
    return case


def require_open(case: Case) -> None:
    if case.status != "open":
        raise conflict(f"case {case.ref} is {case.status}")


async def close_case(uow: UnitOfWork, principal: Principal, case: Case, outcome: str) -> None:
    require_open(case)
    case.status = "closed"
    case.closed_at = datetime.now(UTC)
    case.outcome = outcome
    await case.save([Case.status, Case.closed_at, Case.outcome])
    await uow.emit(CaseClosed(org=case.org, case_ref=case.ref, closed_at=case.closed_at, outcome=outcome), ref=case.ref)
    await uow.audit(principal, "close", "case", case.ref, entity_org=case.org, purpose="case closed")


async def close(ctx: ServiceContext, principal: Principal, ref: str, outcome: str) -> dict[str, str]:
    """Close case ``ref`` with ``outcome`` (409 when it is not open)."""
    async with ctx.store.transaction() as uow:
        case = await load_for(uow, principal, ref, purpose="close", action="update")
        await close_case(uow, principal, case, outcome)
    return {"ref": ref, "status": "closed"}
