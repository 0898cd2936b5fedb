"""Request bodies of the reciprocal API, which the officers' pages fill from their forms too: unknown
fields are refused and constraints name the bad field (and appear in the OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from haven_contracts.events.reciprocal import RefusalReason
from haven_contracts.ids import ORG_ID_PATTERN

OrgField = Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN, min_length=2, max_length=63)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Bedrooms = Annotated[int, msgspec.Meta(ge=0, le=7)]
Feature = Literal["step_free", "wheelchair", "ground_floor", "lift", "level_access_shower", "adapted_kitchen"]
Pence = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]


class _Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class SignIn(_Body):
    org: OrgField
    signed_on: date
    partner_signatory: Name
    coordinator_signatory: Name
    kind: Literal["local_authority", "registered_provider"] | None = None
    area: OrgField | None = None


class NamedLeadIn(_Body):
    officer_id: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    name: Name
    email: Annotated[str, msgspec.Meta(max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    replaces: str | None = None


class HouseholdIn(_Body):
    lead_name: Name
    contact: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None
    current_address: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None


class SafetyAssessmentIn(_Body):
    assessed_on: date
    assessed_by_org: OrgField
    outcome: Literal["safe", "not_safe"]
    reference: Annotated[str, msgspec.Meta(max_length=60)] | None = None


class ReferralIn(_Body):
    referring_partner: OrgField
    remit_explained_on: date
    abuse_category: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    tenancy: Literal["social", "none_priority_need", "none_due_to_receive"]
    current_area: OrgField
    bedrooms: Bedrooms
    household: HouseholdIn
    subject: Literal["survivor", "perpetrator"] = "survivor"
    safety_assessment: SafetyAssessmentIn | None = None
    referring_partner_agrees_to_owe: bool = False
    accessibility: Annotated[list[Feature], msgspec.Meta(max_length=6)] = []
    unsafe_areas: Annotated[list[OrgField], msgspec.Meta(max_length=100)] = []
    preferred_areas: Annotated[list[OrgField], msgspec.Meta(max_length=100)] = []


class TakeUpIn(_Body):
    """What the coordinator adds when taking up a partner's referral; the household's details
    come from the partner, and the bedrooms and unsafe areas from its referral."""

    remit_explained_on: date
    abuse_category: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    tenancy: Literal["social", "none_priority_need", "none_due_to_receive"] = "social"
    referring_partner_agrees_to_owe: bool = False
    accessibility: Annotated[list[Feature], msgspec.Meta(max_length=6)] = []
    preferred_areas: Annotated[list[OrgField], msgspec.Meta(max_length=100)] = []


class SignOffIn(_Body):
    decision: Literal["approved", "declined"]
    agrees_to_owe: bool = False


class StockAreasIn(_Body):
    """The scheme areas where a partner holds stock it can offer (at least one)."""

    areas: Annotated[list[OrgField], msgspec.Meta(min_length=1, max_length=100)]


class PropertyIn(_Body):
    area: OrgField
    bedrooms: Bedrooms
    available_from: date
    accessibility: Annotated[list[Feature], msgspec.Meta(max_length=6)] = []
    scheme: OrgField | None = None


class OfferAnswerIn(_Body):
    accepted: bool
    reason: RefusalReason | None = None
    note: Text | None = None


class MoveIn(_Body):
    tenancy_start: date


class CostsIn(_Body):
    void_rent: Pence = 0
    clearance: Pence = 0
    repairs: Pence = 0
    legal: Pence = 0
    other: Pence = 0


class PreviousTenancyIn(_Body):
    ended_on: date
    costs_pence: CostsIn = msgspec.field(default_factory=CostsIn)


class DutyIn(_Body):
    accommodation: Literal["temporary", "emergency", "none"]
    from_date: date
    to_date: date | None = None


class SupportIn(_Body):
    kind: Literal["idva", "outreach", "local_service"]
    started_on: date
    ended_on: date | None = None
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9._:-]+$")] | None = None


class ConflictIn(_Body):
    scheme: OrgField
    partners: Annotated[list[OrgField], msgspec.Meta(min_length=1, max_length=20)]
    arc: Annotated[str, msgspec.Meta(pattern=r"^ARC-[0-9A-Z]{12}$")] | None = None
    summary: Text | None = None


class PanelInvitationIn(_Body):
    panel: Literal["marac", "mappa", "multi_agency_panel", "housing_panel", "other"]
    meeting_on: date
    arc: Annotated[str, msgspec.Meta(pattern=r"^ARC-[0-9A-Z]{12}$")] | None = None


class NoteIn(_Body):
    note: Text
