"""What every reciprocal page shares: the officer's scheme and part in it, the links they may use,
and the plain words for the scheme's coded choices (seed ``002_c1c7b199d9a53274.txt``).

A page knows its officer's part from the same checks the domain functions make: the scheme's
coordinator (:func:`~haven_reciprocal.partners.is_coordinator`), a current named lead of a
partner (:func:`~haven_reciprocal.partners.is_named_lead`), or other staff of a signed partner.
Links and forms are offered only to the officers the domain would let act.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, get_args

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body

from haven_contracts.events.reciprocal import RefusalReason
from haven_contracts.plugin.reciprocal import ReciprocalScheme
from haven_reciprocal.partners import can_manage_leads, is_coordinator, is_named_lead, schemes, signed_schemes
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.web.domain import form_failure, principal_of
from haven_runtime.web.pages import ApiError, page

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

#: A household's tenancy, as the memorandum puts the three ways in (§1)
TENANCIES = [
    ("social", "Social tenancy"),
    ("none_priority_need", "No social tenancy, in priority need"),
    ("none_due_to_receive", "No social tenancy, due to receive one"),
]
FEATURES = [
    ("step_free", "Step-free access"),
    ("wheelchair", "Wheelchair accessible"),
    ("ground_floor", "Ground floor"),
    ("lift", "Lift"),
    ("level_access_shower", "Level-access shower"),
    ("adapted_kitchen", "Adapted kitchen"),
]
REASONS = [
    (
        code,
        {
            "area": "The area",
            "property_size": "The size of the property",
            "property_condition": "The condition of the property",
            "accessibility": "Accessibility",
            "safety": "Safety",
            "personal_circumstances": "Personal circumstances",
            "no_response": "No response from the household",
            "other": "Another reason",
        }[code],
    )
    for code in get_args(RefusalReason)
]
BEDROOMS = [
    (str(n), "Studio (no separate bedroom)" if n == 0 else f"{n} bedroom{'s' if n > 1 else ''}") for n in range(8)
]
#: What a referral's stage is called on the pages
STAGES = {
    "received": "Received",
    "awaiting_referring_signoff": "Waiting for the referring partner's sign-off",
    "referring_signed_off": "Signed off by the referring partner",
    "accepted": "Accepted: waiting for a property",
    "proposed": "Match proposed",
    "awaiting_receiving_signoff": "Waiting for the receiving partner's sign-off",
    "offered": "Property offered",
    "offer_accepted": "Offer accepted",
    "moved": "Moved",
    "completed": "Completed",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}
#: Each form field's label, so an error names the field it is about
LABELS = {
    "org": "Partner that signed",
    "signed_on": "Date signed",
    "partner_signatory": "Signed for the partner by",
    "coordinator_signatory": "Signed for the coordinator by",
    "lead_org": "Partner",
    "name": "Name",
    "officer_id": "Sign-in id",
    "email": "Email",
    "referring_partner": "Referring partner",
    "remit_explained_on": "Date the remit was explained",
    "abuse_category": "Kind of abuse",
    "subject": "Who is moving",
    "assessed_on": "Date of the safety assessment",
    "assessed_by_org": "Organisation that assessed",
    "outcome": "Outcome of the safety assessment",
    "tenancy": "The household's tenancy",
    "referring_partner_agrees_to_owe": "Agreement to owe a property",
    "current_area": "Area the household lives in now",
    "bedrooms": "Size",
    "accessibility": "Accessibility",
    "unsafe_areas": "Unsafe areas",
    "preferred_areas": "Preferred areas",
    "lead_name": "Lead applicant's name",
    "contact": "Safe way to contact them",
    "current_address": "Current address",
    "area": "Area",
    "available_from": "Available from",
    "decision": "Your sign-off",
    "agrees_to_owe": "Agreement to owe a property",
    "accepted": "The household's answer",
    "reason": "Why the household refused",
    "note": "Note",
    "tenancy_start": "Tenancy start date",
    "ended_on": "Date the previous tenancy ended",
    "void_rent": "Void rent",
    "clearance": "Clearance",
    "repairs": "Repairs",
    "legal": "Legal",
    "other": "Other",
    "purpose": "Why you need the details",
    "accommodation": "Accommodation provided",
    "from_date": "From",
    "to_date": "Until",
    "kind": "Kind of support",
    "started_on": "Support started on",
    "panel": "Panel or meeting",
    "meeting_on": "Date of the meeting",
    "stock_org": "Partner",
    "areas": "Areas where it holds homes",
    "partners": "Partners involved",
    "arc": "Referral",
    "summary": "What the conflict is about",
}
#: Partner officers who may follow the referrals their organisation refers or receives
PARTNER_STAFF = frozenset({"named_lead", "team_manager", "dv_lead", "options_officer", "admin"})


def failure(exc: ApiError, fields: dict[str, str] | None = None) -> tuple[dict[str, str], int]:
    """A refused form's errors, each naming its field (:data:`LABELS`), and the status to show it with."""
    return form_failure(exc, fields, LABELS)


def org_names(ctx: ServiceContext) -> dict[str, str]:
    """Every organisation served here, by id: what pickers show instead of ids."""
    return {o.id: o.name for o in ctx.plugins.organisations()}


def names(codes: list[str], words: dict[str, str], none: str) -> str:
    """Coded values (areas, features) as their names, joined; ``none`` when there are none."""
    return ", ".join(words.get(code, code) for code in codes) if codes else none


def choices(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return dict(pairs)


@dataclass
class Officer:
    """The signed-in officer's part in their reciprocal."""

    principal: Principal
    scheme: ReciprocalScheme | None
    coordinator: bool = False
    named_lead: bool = False
    manages_leads: bool = False
    signed: bool = False
    areas: dict[str, str] = field(default_factory=dict)

    @property
    def follows_referrals(self) -> bool:
        """The coordinator, or staff of a signed partner (who follow their own referrals by ARC)."""
        return self.coordinator or (self.signed and self.principal.has_any(PARTNER_STAFF))

    @property
    def links(self) -> list[tuple[str, str]]:
        """(href, text) of the reciprocal pages this officer can use."""
        if self.scheme is None:
            return []
        auditor = self.principal.org == self.scheme.coordinator and "auditor" in self.principal.roles
        reads_ledger = self.coordinator or self.signed or auditor
        links = [
            ("/pages/", "Referrals") if self.follows_referrals else None,
            ("/pages/incoming/", "Referrals from partners' options cases") if self.coordinator else None,
            ("/pages/pool", "Property pool") if self.coordinator or self.named_lead else None,
            ("/pages/partners", "Partners and named leads"),
            (f"/pages/ledger/{self.scheme.coordinator}", "Ledger") if reads_ledger else None,
            ("/pages/conflicts", "Conflicts") if self.coordinator or self.named_lead else None,
        ]
        return [link for link in links if link]


async def officer(ctx: ServiceContext, request: Request) -> Officer:
    """The officer's scheme: the one they coordinate, else the first their organisation signed."""
    principal = principal_of(request)
    coordinated = schemes(ctx).get(principal.org)
    if coordinated is not None:
        coordinator = is_coordinator(principal, coordinated.coordinator)
        return Officer(
            principal=principal,
            scheme=coordinated,
            coordinator=coordinator,
            manages_leads=coordinator,
            areas={a.id: a.name for a in coordinated.areas},
        )
    signed = await signed_schemes(principal.org)
    scheme = schemes(ctx).get(signed[0]) if signed else None
    if scheme is None:
        return Officer(principal=principal, scheme=None)
    return Officer(
        principal=principal,
        scheme=scheme,
        signed=True,
        named_lead=await is_named_lead(principal, scheme.coordinator, principal.org),
        manages_leads=await can_manage_leads(principal, scheme.coordinator, principal.org),
        areas={a.id: a.name for a in scheme.areas},
    )


def reciprocal_page(request: Request, template: str, me: Officer, *, status_code: int = 200, **context: Any):
    """A reciprocal page with the officer's part, their links and the scheme's words."""
    return page(
        request,
        template,
        status_code=status_code,
        me=me,
        nav=me.links,
        stages=STAGES,
        tenancies=choices(TENANCIES),
        reasons=choices(REASONS),
        names=names,
        orgs=org_names(request.app.state["haven"]),
        features=choices(FEATURES),
        bedrooms=choices(BEDROOMS),
        **context,
    )
