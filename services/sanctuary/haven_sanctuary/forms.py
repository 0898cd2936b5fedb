"""HTTP bodies of the sanctuary API (unknown fields rejected; constraints in the OpenAPI).

The referral form is Appendix A of seed ``004_d4b796f614d2cfd3.txt``: the person referred
(name, address, telephone number, date of birth), property type (flat, maisonette, house,
bungalow, other — please specify), tenure (council tenant, RSL tenant, private sector
tenant, owner-occupier), landlord name, the reason for referral, and the referrer's name,
position, organisation, telephone number and e-mail address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from haven_contracts.ids import ORG_ID_PATTERN
from haven_contracts.plugin.sanctuary import PropertyType, Tenure

OrgField = Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN, min_length=2, max_length=63)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=r"\S")]
Address = Annotated[str, msgspec.Meta(min_length=5, max_length=500, pattern=r"\S")]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9][0-9 ()-]{5,24}$")]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
FreeText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Purpose = Annotated[str, msgspec.Meta(min_length=3, max_length=200)]
MeasureKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{2,60}$")]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
"""A date-time with its UTC offset: clocks never guess a timezone."""


class Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class PersonReferred(Body, kw_only=True, forbid_unknown_fields=True):
    name: Name
    address: Address
    telephone: Phone
    date_of_birth: date


class Referrer(Body, kw_only=True, forbid_unknown_fields=True):
    name: Name
    position: Line
    organisation: Line
    telephone: Phone
    email: Email


class ReferralForm(Body, kw_only=True, forbid_unknown_fields=True):
    """Appendix A, submitted by any organisation's officer to the scheme run by ``scheme``."""

    scheme: OrgField
    person: PersonReferred
    property_type: PropertyType
    property_type_other: Line | None = None
    tenure: Tenure
    landlord_name: Line | None = None
    reason: FreeText
    referrer: Referrer
    unsafe_to_stay: bool = False
    received_at: Moment | None = None
    """When the scheme actually received the referral (a phone call keyed in later); not in the future.
    The scheme's clocks start from it. Default: when the form is submitted."""


class CriterionUpdate(Body, kw_only=True, forbid_unknown_fields=True):
    status: Literal["met", "not_met", "pending", "not_applicable"]
    note: Note | None = None


class LandlordDecision(Body, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["given", "refused"]
    note: Note | None = None


class InspectionRequest(Body, kw_only=True, forbid_unknown_fields=True):
    note: Note | None = None


class InspectionBooking(Body, kw_only=True, forbid_unknown_fields=True):
    appointment_at: Moment


class Recommendations(Body, kw_only=True, forbid_unknown_fields=True):
    measures: Annotated[list[MeasureKey], msgspec.Meta(min_length=1, max_length=50)]
    note: Note | None = None


class WorksOrder(Body, kw_only=True, forbid_unknown_fields=True):
    """``contractor_due_at`` is the contractor's timescale, required for clocks without a level."""

    contractor: Line
    category: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{2,30}$")] = "standard"
    measures: Annotated[list[MeasureKey], msgspec.Meta(max_length=50)] | None = None
    contractor_due_at: Moment | None = None
    unsafe_during_works: bool = False


class WorksCompletion(Body, kw_only=True, forbid_unknown_fields=True):
    cost_pence: Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]


class LandlordFunding(Body, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["accepts", "declines"]


class SurveyResult(Body, kw_only=True, forbid_unknown_fields=True):
    satisfaction: Annotated[int, msgspec.Meta(ge=1, le=5)]
    felt_safer: bool | None = None
    comments: Note | None = None


class Closing(Body, kw_only=True, forbid_unknown_fields=True):
    outcome: Literal["completed", "ineligible", "withdrawn", "declined"]
    note: Note | None = None


def example_referral(scheme: str = "dartford", tenure: str = "owner_occupier", **overrides: object) -> dict:
    """An invented Appendix A referral as JSON (no real person): what an integrator's first
    request looks like, and the form the tests submit."""
    form: dict = {
        "scheme": scheme,
        "person": {
            "name": "Alex Invented",
            "address": "1 Example Road, Dartford DA1 1AA",
            "telephone": "01322 000000",
            "date_of_birth": "1990-01-02",
        },
        "property_type": "house",
        "tenure": tenure,
        "landlord_name": None if tenure in ("owner_occupier", "council_tenant") else "Example Homes",
        "reason": "Invented reason for the referral.",
        "referrer": {
            "name": "Sam Referrer",
            "position": "IDVA",
            "organisation": "Example Support",
            "telephone": "01322 111111",
            "email": "sam@example.org",
        },
    }
    return form | overrides
