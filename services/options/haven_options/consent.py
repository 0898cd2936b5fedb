"""The client's consent per purpose and recipient, and the safeguarding override.

``003_8738e4ccc4c4272a.txt`` principle 5: "the employee carrying out the interview will contact
external agencies such as the Local Authority, Police, Solicitor, or the local advice agency
with the permission of the victim." details move only with recorded
consent or a recorded safeguarding override.

Consent is recorded per ``purpose`` (``contact_agency``, ``share_with_borough``,
``refer_to_marac``) and ``recipient`` (an organisation id or agency key), with time and
officer, and is revocable. Every outbound share calls :func:`basis_for`. An override needs a
senior role and a reason (encrypted at rest) and is counted in the monitoring report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from haven_contracts.events.options import ConsentGiven, ConsentWithdrawn, SafeguardingOverrideRecorded
from haven_contracts.ids import new_reference
from haven_options.tables import Case, Consent, SafeguardingOverride
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal, require_senior
from haven_runtime.store import UnitOfWork

Purpose = Literal["contact_agency", "share_with_borough", "refer_to_marac"]
PURPOSES: tuple[str, ...] = ("contact_agency", "share_with_borough", "refer_to_marac")


async def give(uow: UnitOfWork, principal: Principal, case: Case, purpose: str, recipient: str) -> Consent:
    if await active(case.ref, purpose, recipient) is not None:
        raise conflict(f"consent to {purpose} with {recipient} is already recorded")
    now = datetime.now(UTC)
    row = Consent(
        ref=new_reference("CONS"),
        case_ref=case.ref,
        org=case.org,
        purpose=purpose,
        recipient=recipient,
        given_at=now,
        given_by=principal.sub,
    )
    await Consent.insert(row)
    await uow.emit(
        ConsentGiven(
            org=case.org, case_ref=case.ref, consent_ref=row.ref, purpose=purpose, recipient=recipient, at=now
        ),
        ref=case.ref,
    )
    await uow.audit(principal, "create", "consent", row.ref, entity_org=case.org, purpose="consent recorded")
    return row


async def withdraw(uow: UnitOfWork, principal: Principal, case: Case, consent_ref: str) -> Consent:
    row = await Consent.objects().where((Consent.ref == consent_ref) & (Consent.case_ref == case.ref)).first()
    if row is None:
        raise conflict(f"no consent {consent_ref} on this case")
    if row.withdrawn_at is not None:
        raise conflict(f"consent {consent_ref} is already withdrawn")
    now = datetime.now(UTC)
    row.withdrawn_at = now
    row.withdrawn_by = principal.sub
    await row.save([Consent.withdrawn_at, Consent.withdrawn_by])
    await uow.emit(
        ConsentWithdrawn(
            org=case.org, case_ref=case.ref, consent_ref=row.ref, purpose=row.purpose, recipient=row.recipient, at=now
        ),
        ref=case.ref,
    )
    await uow.audit(principal, "update", "consent", row.ref, entity_org=case.org, purpose="consent withdrawn")
    return row


async def override(
    ctx: ServiceContext, uow: UnitOfWork, principal: Principal, case: Case, purpose: str, recipient: str, reason: str
) -> SafeguardingOverride:
    """A senior officer authorises sharing without consent, with a reason."""
    require_senior(principal)
    ref = new_reference("OVR")
    now = datetime.now(UTC)
    row = SafeguardingOverride(
        ref=ref,
        case_ref=case.ref,
        org=case.org,
        purpose=purpose,
        recipient=recipient,
        reason_enc=ctx.cipher.encrypt(reason, ref=ref, field="reason"),
        authorised_by=principal.sub,
        roles=",".join(sorted(principal.roles)),
        at=now,
    )
    await SafeguardingOverride.insert(row)
    await uow.emit(
        SafeguardingOverrideRecorded(
            org=case.org, case_ref=case.ref, override_ref=ref, purpose=purpose, recipient=recipient, at=now
        ),
        ref=case.ref,
    )
    await uow.audit(
        principal,
        "create",
        "safeguarding_override",
        ref,
        entity_org=case.org,
        purpose="safeguarding override",
        detail={"case_ref": case.ref, "purpose": purpose, "recipient": recipient},
    )
    return row


async def active(case_ref: str, purpose: str, recipient: str) -> Consent | None:
    return (
        await Consent.objects()
        .where(
            (Consent.case_ref == case_ref)
            & (Consent.purpose == purpose)
            & (Consent.recipient == recipient)
            & Consent.withdrawn_at.is_null()
        )
        .first()
    )


async def basis_for(case_ref: str, purpose: str, recipient: str) -> str | None:
    """``consent:<ref>`` or ``override:<ref>`` allowing this share now, else ``None``."""
    consent = await active(case_ref, purpose, recipient)
    if consent is not None:
        return f"consent:{consent.ref}"
    ovr = (
        await SafeguardingOverride.objects()
        .where(
            (SafeguardingOverride.case_ref == case_ref)
            & (SafeguardingOverride.purpose == purpose)
            & (SafeguardingOverride.recipient == recipient)
        )
        .first()
    )
    return f"override:{ovr.ref}" if ovr is not None else None


async def require_basis(case_ref: str, purpose: str, recipient: str) -> str:
    basis = await basis_for(case_ref, purpose, recipient)
    if basis is None:
        raise conflict(
            f"no consent recorded to {purpose} with {recipient} (record consent, or a senior safeguarding override)"
        )
    return basis


async def listing(case_ref: str) -> tuple[list[Consent], list[SafeguardingOverride]]:
    consents = await Consent.objects().where(Consent.case_ref == case_ref).order_by(Consent.given_at)
    overrides = (
        await SafeguardingOverride.objects()
        .where(SafeguardingOverride.case_ref == case_ref)
        .order_by(SafeguardingOverride.at)
    )
    return list(consents), list(overrides)
