"""What the police crime-prevention officer (CPO) sees of the sanctuary scheme: the inspections
asked of their force, and one visit's details.

Seed ``004_d4b796f614d2cfd3.txt`` (s.9): the scheme asks the police to inspect the property;
the CPO books a visit and recommends the measures. A CPO of the scheme's organisation or of its
police partner sees a referral only once an inspection has been asked for, and only what the
visit needs — the address, the telephone, the kind of property and the appointment — never the
rest of the referral form (:func:`haven_sanctuary.common.for_police`). Every read is audited.
"""

from __future__ import annotations

from typing import Any

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_sanctuary import referrals
from haven_sanctuary.common import audit_listing, for_police
from haven_sanctuary.schemes import scheme_for
from haven_sanctuary.tables import SanctuaryReferral
from haven_sanctuary.works import json_list

#: The statuses at which the police have an inspection to do
AWAITING_POLICE = ("inspection_requested", "inspection_booked")


async def inspections(ctx: ServiceContext, principal: Principal) -> list[dict[str, Any]]:
    """Open referrals awaiting the police whose scheme is the officer's organisation or has it as
    police partner, oldest first: references, scheme and appointment only (audited)."""
    t = SanctuaryReferral
    rows = await (
        t.select(t.ref, t.org, t.status, t.inspection_requested_at, t.inspection_appointment_at)
        .where(t.status.is_in(list(AWAITING_POLICE)) & t.closed_at.is_null())
        .order_by(t.inspection_requested_at)
    )
    mine = [
        r
        for r in rows
        if principal.org == r["org"] or getattr(scheme_for(ctx, r["org"]), "police_org", None) == principal.org
    ]
    await audit_listing(ctx, principal, "inspection", len(mine))
    return [
        {
            "ref": r["ref"],
            "scheme": r["org"],
            "status": r["status"],
            "requested_at": r["inspection_requested_at"],
            "appointment_at": r["inspection_appointment_at"],
        }
        for r in mine
    ]


async def visit(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> dict[str, Any]:
    """What the inspecting officer needs for one visit: address and telephone (audited with ``purpose``)."""
    row, scheme = await for_police(ctx, ref, principal, purpose=purpose)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "read", "sanctuary_referral", ref, entity_org=row.org, purpose=purpose)
    return {
        "ref": ref,
        "scheme": row.org,
        "status": row.status,
        "address": referrals.decrypt(ctx, row, "person_address_enc"),
        "telephone": referrals.decrypt(ctx, row, "person_phone_enc"),
        "property_type": row.property_type,
        "appointment_at": row.inspection_appointment_at,
        "recommended_measures": json_list(row.recommended_measures),
        "catalogue": [{"key": m.key, "label": m.label} for m in scheme.catalogue],
    }
