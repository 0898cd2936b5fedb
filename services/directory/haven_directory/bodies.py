"""The directory's request bodies: strict (an unknown field is refused, 400) and bounded.

Shared by the confidential tier's API (:mod:`haven_directory.api`) and the officers' pages
(:mod:`haven_directory.pages`), which parse their forms into the same types.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

import msgspec

KEY = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{1,99}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)]
PhoneNo = Annotated[str, msgspec.Meta(pattern=r"^[0-9+() -]{3,50}$")]
Sex = Literal["female", "male"]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]


class OfficerIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: KEY
    name: Name
    email: Email | None = None
    phone: PhoneNo | None = None
    sex: Sex | None = None
    dv_specialism: bool = False
    job_title: Text200 | None = None
    team: Text200 | None = None


class OfficerPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    phone: PhoneNo | None | msgspec.UnsetType = msgspec.UNSET
    sex: Sex | None | msgspec.UnsetType = msgspec.UNSET
    dv_specialism: bool | msgspec.UnsetType = msgspec.UNSET
    job_title: Text200 | None | msgspec.UnsetType = msgspec.UNSET
    team: Text200 | None | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


def set_fields(data: msgspec.Struct) -> dict[str, Any]:
    return {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}


Str300 = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=4000)]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://\S+$", max_length=500)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class PhoneIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    number: Annotated[str, msgspec.Meta(pattern=r"^[0-9+() -]{3,50}$")]
    description: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class SessionIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    freq: Literal["WEEKLY", "MONTHLY"] = "WEEKLY"
    byday: (
        Annotated[str, msgspec.Meta(pattern=r"^(-?[0-9]?(MO|TU|WE|TH|FR|SA|SU))(,-?[0-9]?(MO|TU|WE|TH|FR|SA|SU))*$")]
        | None
    ) = None
    interval: Annotated[int, msgspec.Meta(ge=1, le=52)] | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    description: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class ServiceIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: KEY
    name: Str300
    description: LongText = ""
    taxonomy: list[Annotated[str, msgspec.Meta(max_length=50)]] = []
    eligibility: LongText | None = None
    application_process: LongText | None = None
    fees: LongText | None = None
    email: Email | None = None
    url: Url | None = None
    phones: list[PhoneIn] = []
    schedules: list[SessionIn] = []
    location_keys: list[KEY] = []
    area: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    confidential: bool = False


class ServicePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Str300 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    taxonomy: list[Annotated[str, msgspec.Meta(max_length=50)]] | msgspec.UnsetType = msgspec.UNSET
    eligibility: LongText | None | msgspec.UnsetType = msgspec.UNSET
    application_process: LongText | None | msgspec.UnsetType = msgspec.UNSET
    fees: LongText | None | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    url: Url | None | msgspec.UnsetType = msgspec.UNSET
    phones: list[PhoneIn] | msgspec.UnsetType = msgspec.UNSET
    schedules: list[SessionIn] | msgspec.UnsetType = msgspec.UNSET
    location_keys: list[KEY] | msgspec.UnsetType = msgspec.UNSET
    area: Annotated[str, msgspec.Meta(max_length=200)] | None | msgspec.UnsetType = msgspec.UNSET
    confidential: bool | msgspec.UnsetType = msgspec.UNSET
    status: Literal["active", "inactive", "defunct", "temporarily closed"] | msgspec.UnsetType = msgspec.UNSET


class LocationIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    key: KEY
    name: Str300
    address_1: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    city: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    postal_code: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    confidential: bool = True


class CapacityIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    unit: Literal["bed-space", "family-unit", "referral-slot", "appointment"] = "bed-space"
    available: Count
    maximum: Count | None = None
    description: Annotated[str, msgspec.Meta(max_length=300)] = ""


class OrganisationPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Str300 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    url: Url | None | msgspec.UnsetType = msgspec.UNSET
    phones: list[PhoneIn] | msgspec.UnsetType = msgspec.UNSET


class PositionChange(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    officer_key: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    effective: date | None = None
