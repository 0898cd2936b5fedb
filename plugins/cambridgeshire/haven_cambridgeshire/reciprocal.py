"""Cambridgeshire Housing Reciprocal: the scheme the memorandum describes
(seed ``002_c1c7b199d9a53274.txt``).

"The purpose of this Memorandum of Understanding (MoU) is to define the objectives and
management arrangements of the working partnership between Cambridgeshire Specialist DA
Services (with Standing Together/DAHA/Safer London as supporting partners) and Local
Authorities or Registered Providers". The memorandum leaves its partners blank
("[LA/RP.....]"), so Cambridgeshire's and Peterborough's local authorities ship as
*candidates*; who signed, when, and by whom is recorded in the reciprocal service.
"""

from __future__ import annotations

from haven_cambridgeshire.manifest import ORGANISATIONS, SEED
from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.reciprocal import (
    AbuseCategory,
    Area,
    PartnerCandidate,
    PartnerProfile,
    ReciprocalScheme,
    SupportingPartner,
)

COORDINATOR = "cambridgeshire-da-services"
LOCAL_AUTHORITIES = tuple(o for o in ORGANISATIONS if o.kind == "local_authority")

ABUSE_CATEGORIES = (
    AbuseCategory(code="domestic_violence", label="Domestic violence", source=f"{SEED} §1 'domestic/sexual violence'"),
    AbuseCategory(code="sexual_violence", label="Sexual violence", source=f"{SEED} footnote 1"),
    AbuseCategory(
        code="sexual_exploitation", label="Sexual exploitation including prostitution", source=f"{SEED} footnote 1"
    ),
    AbuseCategory(code="child_sexual_exploitation", label="Child sexual exploitation", source=f"{SEED} footnote 1"),
    AbuseCategory(code="modern_slavery_trafficking", label="Modern slavery / trafficking", source=f"{SEED} footnote 1"),
    AbuseCategory(code="forced_marriage", label="Forced marriage", source=f"{SEED} footnote 1"),
    AbuseCategory(
        code="female_genital_mutilation", label="Female genital mutilation (FGM)", source=f"{SEED} footnote 1"
    ),
    AbuseCategory(code="honour_based_violence", label="So-called 'honour-based' violence", source=f"{SEED} footnote 1"),
    AbuseCategory(code="stalking", label="Stalking", source=f"{SEED} footnote 1"),
)

SUPPORTING_PARTNERS = tuple(
    SupportingPartner(name=name, source=f"{SEED} §1 'with Standing Together/DAHA/Safer London as supporting partners'")
    for name in ("Standing Together", "DAHA", "Safer London")
)

# The memorandum sets no timescales; these are the scheme's working levels for warning the
# coordinator, except conflict escalation, which the MoU wants "at the earliest instance".
_SCHEME_LEVEL = "scheme setting (the memorandum sets no timescale)"
STUCK_LEVELS = {
    "received": ServiceLevel(amount=2, unit="working_days", source=_SCHEME_LEVEL),
    "awaiting_referring_signoff": ServiceLevel(amount=5, unit="working_days", source=_SCHEME_LEVEL),
    "accepted": ServiceLevel(amount=60, unit="working_days", source=_SCHEME_LEVEL),
    "proposed": ServiceLevel(amount=2, unit="working_days", source=_SCHEME_LEVEL),
    "awaiting_receiving_signoff": ServiceLevel(amount=5, unit="working_days", source=_SCHEME_LEVEL),
    "offered": ServiceLevel(amount=5, unit="working_days", source=_SCHEME_LEVEL),
    "offer_accepted": ServiceLevel(amount=20, unit="working_days", source=_SCHEME_LEVEL),
    "moved": ServiceLevel(amount=20, unit="working_days", source=_SCHEME_LEVEL),
}


@hookimpl
def haven_reciprocal_scheme(org: str) -> ReciprocalScheme | None:
    if org != COORDINATOR:
        return None
    return ReciprocalScheme(
        name="Cambridgeshire Housing Reciprocal",
        coordinator=COORDINATOR,
        partner_candidates=tuple(
            PartnerCandidate(
                org=o.id, kind="local_authority", area=o.id, source=f"{SEED} §2 '[LA/RP.....]' (candidate)"
            )
            for o in LOCAL_AUTHORITIES
        ),
        areas=tuple(Area(id=o.id, name=o.name) for o in LOCAL_AUTHORITIES),
        supporting_partners=SUPPORTING_PARTNERS,
        abuse_categories=ABUSE_CATEGORIES,
        stuck_levels=STUCK_LEVELS,
        conflict_escalation=ServiceLevel(
            amount=5,
            unit="working_days",
            source=f"{SEED} §4: the conflict will be escalated to the Chief Executives/Directors at the earliest "
            "instance",
        ),
        previous_tenancy_end=ServiceLevel(
            amount=20,
            unit="working_days",
            source=f"{_SCHEME_LEVEL} for {SEED} §3: Ensuring previous tenancy is ended when a move is completed",
        ),
        escalation_to="Chief Executives/Directors",
        source=SEED,
    )


@hookimpl
def haven_reciprocal_partner_profile(org: str) -> PartnerProfile | None:
    if org == COORDINATOR:
        return None
    return PartnerProfile(
        org=org,
        kind="local_authority",
        stock_areas=(org,),
        like_for_like=True,
        escalation_to="Chief Executive",
        source=f"{SEED} §3",
    )
