"""Sanctuary service events (seed ``004_d4b796f614d2cfd3.txt``, Dartford's referral procedure,
and the sanctuary lines of ``001_2a45bb55c36fcb52.txt``).

Every event is a fact about one referral owned by the scheme operator ``org``. Bodies carry
only the opaque ``referral_ref`` (and the options ``case_ref`` where the referral came from
a case), organisation ids, types, timestamps and deadlines — never the person's name,
address, telephone, date of birth, tenure details or the reason for referral.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from haven_contracts.ids import Code, Codes, OrgId, Reference
from haven_contracts.messages import Event

ReferralSource = Literal["form", "options"]
EmergencyTrigger = Literal["out_of_hours_unsafe", "unsafe_to_stay", "unsafe_during_works"]
CloseOutcome = Literal["completed", "ineligible", "withdrawn", "declined"]


class _ReferralEvent(Event):
    """Common fields: the referral and when the step happened."""

    referral_ref: Reference
    at: datetime


class SanctuaryReferralReceived(_ReferralEvent):
    """A referral reached scheme ``org`` from ``referrer_org`` (by form or from an options case).

    ``clocks_start_at`` is the next opening when the referral arrived out of hours.
    """

    service = "sanctuary"
    name = "referral-received"
    version = 1

    referrer_org: OrgId
    source: ReferralSource
    case_ref: Reference | None = None
    out_of_hours: bool = False
    clocks_start_at: datetime | None = None


class SanctuaryEligibilityDecided(_ReferralEvent):
    """The scheme decided eligibility; ``unmet`` lists the keys of criteria not met."""

    service = "sanctuary"
    name = "eligibility-decided"
    version = 1

    eligible: bool
    unmet: Codes = []


class SanctuaryLandlordPermissionRequested(_ReferralEvent):
    """Permission for the works was asked of the tenant's landlord (not the scheme council)."""

    service = "sanctuary"
    name = "landlord-permission-requested"
    version = 1


class SanctuaryLandlordPermissionGiven(_ReferralEvent):
    service = "sanctuary"
    name = "landlord-permission-given"
    version = 1


class SanctuaryLandlordPermissionRefused(_ReferralEvent):
    service = "sanctuary"
    name = "landlord-permission-refused"
    version = 1


class SanctuaryInspectionRequested(_ReferralEvent):
    """The scheme asked the police / crime-prevention officer to inspect the property.
    ``police_org`` is the scheme's police partner when the scheme names one; ``due_at`` the
    nearest deadline of the scheme's inspection clocks (e.g. Greenwich's 24 hours), if any."""

    service = "sanctuary"
    name = "inspection-requested"
    version = 1

    police_org: OrgId | None = None
    due_at: datetime | None = None


class SanctuaryInspectionBooked(_ReferralEvent):
    """The crime-prevention officer's appointment at the property was made."""

    service = "sanctuary"
    name = "inspection-booked"
    version = 1

    appointment_at: datetime | None = None


class SanctuaryRecommendationsReceived(_ReferralEvent):
    """The police returned their recommendations: catalogue keys of the measures."""

    service = "sanctuary"
    name = "recommendations-received"
    version = 1

    measures: Codes = []


class SanctuaryWorksOrdered(_ReferralEvent):
    """Works were arranged with a contractor; ``due_at`` is the completion deadline."""

    service = "sanctuary"
    name = "works-ordered"
    version = 1

    category: Code = "standard"
    due_at: datetime | None = None
    measures: Codes = []


class SanctuaryWorksCompleted(_ReferralEvent):
    service = "sanctuary"
    name = "works-completed"
    version = 1


class SanctuaryFundingDecided(_ReferralEvent):
    """How the works are funded (never by the victim): ``funding`` is a funding-source key,
    ``status`` is ``decided`` or ``landlord_asked``."""

    service = "sanctuary"
    name = "funding-decided"
    version = 1

    funding: Code
    status: Code = "decided"


class SanctuaryEmergencyAccommodationRequested(_ReferralEvent):
    """Emergency temporary accommodation is needed at once (the person is unsafe to stay).

    The scheme operator ``org``'s options service turns it into an emergency accommodation
    task on a clock, open until a return-is-safe decision is recorded. ``case_ref`` is the
    options case the referral came from, when it came from one."""

    service = "sanctuary"
    name = "emergency-accommodation-requested"
    version = 1

    trigger: EmergencyTrigger
    case_ref: Reference | None = None


class SanctuarySurveySent(_ReferralEvent):
    service = "sanctuary"
    name = "survey-sent"
    version = 1


class SanctuarySurveyReturned(_ReferralEvent):
    service = "sanctuary"
    name = "survey-returned"
    version = 1

    satisfaction: int | None = None


class SanctuaryReferralClosed(_ReferralEvent):
    service = "sanctuary"
    name = "referral-closed"
    version = 1

    outcome: CloseOutcome


class _Overdue(_ReferralEvent):
    """A clock missed its deadline: ``clock`` is the scheme's clock key, ``awaiting`` the step."""

    clock: Code
    awaiting: Code
    due_at: datetime


class SanctuaryInspectionOverdue(_Overdue):
    service = "sanctuary"
    name = "inspection-overdue"
    version = 1


class SanctuaryWorksOverdue(_Overdue):
    service = "sanctuary"
    name = "works-overdue"
    version = 1


class SanctuaryClockOverdue(_Overdue):
    """Any other sanctuary clock (e.g. Lewisham's risk assessment) missed its deadline."""

    service = "sanctuary"
    name = "clock-overdue"
    version = 1
