"""Options service events: cases and the Joint Working Agreement across boroughs
(seed ``000_93a7cd5d2a8b6030.txt``). References only — never a name, address or free text."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from haven_contracts.ids import OrgId
from haven_contracts.messages import Event, Reply, Request


class MoveNotified(Event):
    """JWA advance contact: borough ``org`` (duty accepted) tells borough ``to_org`` that the
    client intends to approach it. Addressed to B's named officers by directory id."""

    service = "options"
    name = "move-notified"
    version = 1

    to_org: OrgId
    notification_ref: str
    case_ref: str
    addressed_to: list[str]
    notified_at: datetime
    information_shared: bool = False


class SanctuaryReferralRequested(Event):
    """A case's sanctuary option was chosen: borough ``org`` refers the case to the sanctuary
    scheme run by ``to_org`` (which may be ``org`` itself). References only: the scheme asks
    for the referral form's personal details with :class:`ReferralDetailsRequest`."""

    service = "options"
    name = "sanctuary-referral-requested"
    version = 1

    to_org: OrgId
    case_ref: str
    referral_ref: str
    requested_at: datetime
    unsafe_to_stay: bool = False
    out_of_hours: bool = False


class ReferralDetailsRequest(Request):
    """Ask the owning options service (``target_org``) for the personal details a referral
    needs. Answered only when the client's consent to share with ``requested_by`` is
    recorded (or a safeguarding override is), and audited by the owner; the reply goes to
    the requester's inbox and is never stored in a stream."""

    service = "options"
    name = "referral-details"
    version = 1

    case_ref: str
    referral_ref: str


class PersonDetails(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    address: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    safe_contact: str | None = None


class ReferralDetailsReply(Reply):
    case_ref: str | None = None
    person: PersonDetails | None = None
    tenure: str | None = None
    landlord_name: str | None = None
    referrer_officer: str | None = None
    referrer_contact: str | None = None


ReferralDetailsRequest.reply_type = ReferralDetailsReply
