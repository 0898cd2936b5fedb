"""The eligibility criteria (seed ``004_d4b796f614d2cfd3.txt`` section 7).

"If the person requiring extra security is not a DBC tenant, permission will have to be
asked from the landlord for the works to go ahead. The following criteria must be met
before sanctuary measures are approved" — the eight :data:`CORE_CRITERIA`. Each is recorded
as met / not met / pending / not applicable with who confirmed it. Plugins add criteria
(``haven_sanctuary_criteria``) or replace the borough check (``haven_sanctuary_borough_check``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import cast

from haven_contracts.events.sanctuary import (
    SanctuaryEligibilityDecided,
    SanctuaryLandlordPermissionGiven,
    SanctuaryLandlordPermissionRefused,
    SanctuaryLandlordPermissionRequested,
)
from haven_contracts.plugin.sanctuary import (
    CriterionOutcome,
    EligibilityCriterion,
    PropertyType,
    ReferralFacts,
    Tenure,
)
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_sanctuary import clocks, funding
from haven_sanctuary.common import log_step, require_open
from haven_sanctuary.schemes import Scheme
from haven_sanctuary.tables import SanctuaryCriterion, SanctuaryReferral

SEED = "004_d4b796f614d2cfd3.txt section 7"
CORE_CRITERIA: tuple[EligibilityCriterion, ...] = tuple(
    EligibilityCriterion(key=k, label=v, source=SEED)
    for k, v in (
        ("landlord_agrees", "The landlord agrees to the works"),
        ("lives_in_borough", "The victim lives in the scheme's borough"),
        ("right_to_occupy", "The victim has the right to occupy the property as either a sole owner or tenant"),
        ("perpetrator_not_resident", "The perpetrator is not living in the accommodation"),
        ("victim_agrees", "The victim agrees to the works"),
        ("intends_to_remain", "The victim intends to remain in their present accommodation for the foreseeable future"),
        (
            "safe_to_remain",
            "It is considered safe for the victim to remain living in the property with the security measures",
        ),
        ("homeless_without_works", "Without the work, the victim would be likely to become homeless"),
    )
)
#: The criteria an officer confirms; ``landlord_agrees`` follows the landlord's answer (or does
#: not apply to an owner-occupier or council tenant).
OFFICER_CRITERIA: tuple[str, ...] = tuple(c.key for c in CORE_CRITERIA if c.key != "landlord_agrees")
#: Tenures whose landlord is someone other than the scheme council: permission is asked.
OTHER_LANDLORD = frozenset({"housing_association_tenant", "private_sector_tenant"})
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b")
SYSTEM = "system"


def postcode_district(address: str | None) -> str | None:
    match = _POSTCODE.search((address or "").upper())
    return match.group(1) if match else None


def facts(row: SanctuaryReferral, address: str | None) -> ReferralFacts:
    return ReferralFacts(
        referral_ref=row.ref,
        org=row.org,
        referrer_org=row.referrer_org,
        # the columns hold only the codes the referral form's body accepted
        tenure=cast(Tenure | None, row.tenure),
        property_type=cast(PropertyType | None, row.property_type),
        postcode_district=postcode_district(address),
        received_at=row.received_at,
        unsafe_to_stay=row.unsafe_to_stay,
    )


def borough_outcome(ctx: ServiceContext, scheme: Scheme, f: ReferralFacts) -> CriterionOutcome | None:
    """The plugin's borough check, else the core one (postcode district listed → met)."""
    outcome = ctx.plugins.call(scheme.org, "haven_sanctuary_borough_check", referral=f)
    if outcome is not None:
        return outcome
    if f.postcode_district and f.postcode_district in scheme.postcode_districts:
        return CriterionOutcome(status="met", reason=f"postcode district {f.postcode_district} is in {scheme.borough}")
    return None


async def create_criteria(
    ctx: ServiceContext, row: SanctuaryReferral, scheme: Scheme, address: str | None, at: datetime
) -> None:
    f = facts(row, address)
    extra = [
        c
        for c in ctx.plugins.call_results(scheme.org, "haven_sanctuary_criteria", referral=f)
        if isinstance(c, EligibilityCriterion)
    ]
    seen: set[str] = set()
    for position, criterion in enumerate([*CORE_CRITERIA, *extra]):
        if criterion.key in seen:
            continue
        seen.add(criterion.key)
        await SanctuaryCriterion.insert(
            SanctuaryCriterion(
                referral_ref=row.ref,
                key=criterion.key,
                label=criterion.label,
                position=position,
                source=criterion.source,
            )
        )
    await check_borough(ctx, row, scheme, address, at)


async def check_borough(
    ctx: ServiceContext, row: SanctuaryReferral, scheme: Scheme, address: str | None, at: datetime
) -> None:
    """Record the borough check's finding when it has one; otherwise an officer confirms."""
    outcome = borough_outcome(ctx, scheme, facts(row, address))
    if outcome is not None and outcome.status != "pending":
        await _set(row.ref, "lives_in_borough", outcome.status, f"plugin:{scheme.org}", scheme.org, at)


async def prefill_from_case(row: SanctuaryReferral, perpetrator_at_property: bool | None, at: datetime) -> None:
    """The referring case says whether the perpetrator lives at the property: record it on a
    still-pending criterion, attributed to the referring organisation (officers may revise it)."""
    if perpetrator_at_property is None:
        return
    t = SanctuaryCriterion
    pending = await t.exists().where(
        (t.referral_ref == row.ref) & (t.key == "perpetrator_not_resident") & (t.status == "pending")
    )
    if pending:
        status = "not_met" if perpetrator_at_property else "met"
        await _set(row.ref, "perpetrator_not_resident", status, f"options:{row.referrer_org}", row.referrer_org, at)


async def _set(ref: str, key: str, status: str, by: str, org: str, at: datetime, note_enc: str | None = None) -> None:
    t = SanctuaryCriterion
    await t.update(
        {t.status: status, t.confirmed_by: by, t.confirmed_org: org, t.confirmed_at: at, t.note_enc: note_enc}
    ).where((t.referral_ref == ref) & (t.key == key))


async def apply_tenure(uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, at: datetime) -> None:
    """Once the tenure is known: landlord permission is requested for tenants of another
    landlord (not applicable to owner-occupiers and the council's own tenants); funding is decided."""
    if row.tenure is None:
        return
    if row.tenure in OTHER_LANDLORD:
        row.landlord_permission = "requested"
        await uow.emit(SanctuaryLandlordPermissionRequested(org=row.org, referral_ref=row.ref, at=at), ref=row.ref)
        await log_step(row, "landlord_permission_requested", None, at)
    else:
        row.landlord_permission = "not_applicable"
        await _set(row.ref, "landlord_agrees", "not_applicable", SYSTEM, row.org, at)
    await funding.decide_initial(uow, row, scheme, at, None)


async def set_criterion(
    ctx: ServiceContext,
    row: SanctuaryReferral,
    key: str,
    status: str,
    note: str | None,
    principal: Principal,
    at: datetime,
) -> None:
    require_open(row)
    if row.eligibility_decided_at is not None:
        raise conflict("eligibility has already been decided for this referral")
    exists = await SanctuaryCriterion.exists().where(
        (SanctuaryCriterion.referral_ref == row.ref) & (SanctuaryCriterion.key == key)
    )
    if not exists:
        raise unprocessable("key", f"no criterion {key!r} on this referral")
    if key == "landlord_agrees" and row.landlord_permission == "requested" and status in ("met", "not_met"):
        raise conflict("landlord_agrees: record the landlord's answer with /landlord-permission")
    note_enc = ctx.cipher.encrypt(note, ref=row.ref, field=f"criterion:{key}") if note else None
    await _set(row.ref, key, status, principal.sub, principal.org, at, note_enc)
    await log_step(row, "criterion_recorded", principal, at, criterion=key, status=status)


async def landlord_permission(
    uow: UnitOfWork, row: SanctuaryReferral, given: bool, principal: Principal, at: datetime
) -> None:
    require_open(row)
    if row.landlord_permission != "requested":
        raise conflict(f"landlord permission is {row.landlord_permission.replace('_', ' ')} for this referral")
    row.landlord_permission = "given" if given else "refused"
    await _set(row.ref, "landlord_agrees", "met" if given else "not_met", principal.sub, principal.org, at)
    event = (SanctuaryLandlordPermissionGiven if given else SanctuaryLandlordPermissionRefused)(
        org=row.org, referral_ref=row.ref, at=at
    )
    await uow.emit(event, ref=row.ref)
    await log_step(row, f"landlord_permission_{row.landlord_permission}", principal, at)


async def criteria(ctx: ServiceContext, ref: str) -> list[dict]:
    t = SanctuaryCriterion
    rows = await t.select().where(t.referral_ref == ref).order_by(t.position)
    return [
        {
            "key": r["key"],
            "label": r["label"],
            "status": r["status"],
            "confirmed_by": r["confirmed_by"],
            "confirmed_org": r["confirmed_org"],
            "confirmed_at": r["confirmed_at"],
            "source": r["source"],
            "note": ctx.cipher.decrypt(r["note_enc"], ref=ref, field=f"criterion:{r['key']}")
            if r["note_enc"]
            else None,
        }
        for r in rows
    ]


async def decide(
    ctx: ServiceContext, uow: UnitOfWork, row: SanctuaryReferral, scheme: Scheme, principal: Principal, at: datetime
) -> dict:
    """Eligible when every criterion is met or not applicable; ineligible when any is not met
    (each unmet criterion explained); 409 while criteria are pending and none is unmet."""
    require_open(row)
    if row.eligibility_decided_at is not None:
        raise conflict(f"eligibility was already decided: {row.eligibility}")
    items = await criteria(ctx, row.ref)
    unmet = [c for c in items if c["status"] == "not_met"]
    pending = [c["key"] for c in items if c["status"] == "pending"]
    if pending and not unmet:
        raise conflict(f"criteria still pending: {', '.join(pending)}")
    row.eligibility = "ineligible" if unmet else "eligible"
    row.eligibility_decided_at = at
    if unmet:
        await stop_inapplicable_clocks(row, at)
    else:
        await clocks.stop_clocks(row.ref, {"eligibility_decided"}, at)
        await clocks.start_clocks(scheme, row.ref, "eligibility_decided", at)
    await uow.emit(
        SanctuaryEligibilityDecided(
            org=row.org, referral_ref=row.ref, at=at, eligible=not unmet, unmet=[c["key"] for c in unmet]
        ),
        ref=row.ref,
    )
    await log_step(row, "eligibility_decided", principal, at, eligible=not unmet, unmet=[c["key"] for c in unmet])
    return {
        "eligible": not unmet,
        "unmet": [
            {
                "key": c["key"],
                "label": c["label"],
                "explanation": f"Not met: {c['label']}" + (f" — {c['note']}" if c["note"] else ""),
                "confirmed_by": c["confirmed_by"],
            }
            for c in unmet
        ],
        "pending": pending,
    }


async def stop_inapplicable_clocks(row: SanctuaryReferral, at: datetime) -> list[str]:
    """Stop every running clock of a referral found ineligible, and log which.

    Seed ``004_d4b796f614d2cfd3.txt`` s.7: the criteria "must be met before sanctuary measures
    are approved". An ineligible referral gets no inspection (``assessment.request_inspection``
    refuses it) and no works, so a clock awaiting them — the police request "within 3 working
    days" (s.9) first of all — no longer applies and must not raise a false overdue.
    """
    running = [c["key"] for c in (await clocks.open_clocks([row.ref])).get(row.ref, [])]
    if running:
        await clocks.stop_all(row.ref, at)
        await log_step(row, "clocks_stopped", None, at, clocks=running, reason="ineligible")
    return running
