"""The options service's request bodies: strict (an unknown field is refused, 400; the OpenAPI
document says ``additionalProperties: false``), bounded, and small.

Shared by the JSON API (:mod:`haven_options.api`) and the officers' pages, which parse their
forms into the same types (:func:`haven_runtime.web.domain.parse`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from haven_contracts.ids import ORG_ID_PATTERN
from haven_contracts.plugin.options import ApproachChannel, Tenure
from haven_options.arrears import Decision as ArrearsChoice
from haven_options.consent import Purpose
from haven_options.dash import Answer
from haven_options.interviewer import Match, ReasonNotMet

OrgField = Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN, min_length=2, max_length=63)]
RefField = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]+-[0-9A-Z]{6,20}$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Count = Annotated[int, msgspec.Meta(ge=0, le=30)]


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class PersonIn(Strict):
    name: Short
    date_of_birth: date | None = None
    address: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    safe_contact: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    landlord_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class OpenCase(Strict):
    person: PersonIn
    channel: ApproachChannel
    tenure: Tenure = "unknown"
    approached_at: datetime | None = None
    out_of_hours: bool = False
    adults: Annotated[int, msgspec.Meta(ge=1, le=30)] = 1
    children: Count = 0
    pregnant: bool = False
    perpetrator_at_property: bool | None = None
    homelessness: Literal["none", "threatened", "homeless"] = "none"
    unable_to_return_home: bool = False
    rent_arrears: bool = False
    substance_misuse: bool = False
    mortgaged: bool = False
    landlord_org: OrgField | None = None
    duty_accepted: bool = False
    from_org: OrgField | None = None
    last_marac_referral_on: date | None = None


class InterviewHeldIn(Strict):
    held_at: datetime | None = None


class DutyAcceptedIn(Strict):
    """When the duty was accepted (default now; not in the future, not before the approach)."""

    accepted_at: datetime | None = None


class InterviewerMatchIn(Strict):
    """AG/013 principle 2: the offer of an interviewer of the same sex / cultural background, the client's
    answer (``requested``, empty when declined), who interviewed and what they matched (``provided``)."""

    interviewed_by: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]
    offered: Annotated[list[Match], msgspec.Meta(max_length=2)] = []
    requested: Annotated[list[Match], msgspec.Meta(max_length=2)] = []
    provided: Annotated[list[Match], msgspec.Meta(max_length=2)] = []
    reason_not_met: ReasonNotMet | None = None


class ArrearsDecisionIn(Strict):
    """AG/013 principle 8: "how, or if, the arrears are apportioned following any transfer"."""

    decision: ArrearsChoice


class ReferralCompletedIn(Strict):
    """When the chosen option's referral was completed (default now; not in the future)."""

    completed_at: datetime | None = None


class ArrangedIn(Strict):
    """When the emergency accommodation was arranged (default now; not in the future)."""

    arranged_at: datetime | None = None


class ReturnSafeIn(Strict):
    """The decision that it is safe for the person to return home (default now; not in the future)."""

    decided_at: datetime | None = None
    reason: Text | None = None


class CompletedIn(Strict):
    """When the referral was completed (default now; not in the future)."""

    completed_at: datetime | None = None


class CloseCase(Strict):
    outcome: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z_]{1,39}$")] = "closed"


class DashIn(Strict):
    answers: Annotated[list[Answer], msgspec.Meta(min_length=24, max_length=24)]
    assessed_on: date | None = None
    incident_on: date | None = None
    professional_judgement: bool = False
    judgement_reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    incident_dates: Annotated[list[date], msgspec.Meta(max_length=200)] = []


class OfferIn(Strict):
    option_ids: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=1, max_length=80)]], msgspec.Meta(min_length=1, max_length=50)
    ]


class DecisionIn(Strict):
    """The client's decision; choosing a transfer or a reciprocal move also says what the
    household needs: the bedrooms (like for like) and the areas where it is unsafe."""

    decision: Literal["chosen", "refused"]
    bedrooms: Annotated[int, msgspec.Meta(ge=0, le=10)] | None = None
    unsafe_areas: Annotated[list[OrgField], msgspec.Meta(max_length=50)] = []


class SheetIn(Strict):
    officer_name: Short | None = None
    officer_contact: Short | None = None


class ConsentIn(Strict):
    purpose: Purpose
    recipient: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9._-]{1,99}$")]


class OverrideIn(ConsentIn):
    reason: Text


class LocalConnectionIn(Strict):
    to_org: OrgField
    household_at_risk_there: bool


class TaIn(Strict):
    night_of: date | None = None
    from_org: OrgField | None = None


class TaExtendIn(Strict):
    until: date
    reason: Text


class TaEndIn(Strict):
    """When the household left the booked accommodation (default now; not in the future)."""

    ended_at: datetime | None = None


class NotifyMove(Strict):
    case_ref: RefField
    to_org: OrgField
    share_information: bool = False
    notified_at: datetime | None = None
    """When the contact was made by telephone, if before it is keyed in (not in the future)."""


class InfoRequestIn(Strict):
    case_ref: RefField
    to_org: OrgField
    their_case_ref: RefField | None = None
    requested_at: datetime | None = None
    """When the request was made by telephone or e-mail, if before it is keyed in (not in the future)."""


class InfoResponseIn(Strict):
    share: bool
    case_ref: RefField | None = None


class DisputeIn(Strict):
    other_org: OrgField
    case_ref: RefField
    summary: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class DisputeTabledIn(Strict):
    """The DV sub-group meeting (a date in the past) at which the dispute was tabled."""

    meeting_on: date


class AddressIn(Strict):
    """Tag the case's address; optionally replace it or record a former address shared with the perpetrator."""

    address_kind: Literal["current", "refuge", "safe", "former_shared", "other"]
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    former_address: Annotated[str, msgspec.Meta(max_length=500)] | None = None
