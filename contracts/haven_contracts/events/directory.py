"""Directory service events and requests (seed ``000_93a7cd5d2a8b6030.txt``: borough A contacts
borough B "using a list of named officers with DV leads and team managers")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from haven_contracts.ids import MAX_ITEMS, Code, OfficerId, OrgId, Reference, Text
from haven_contracts.messages import Event, Reply, Request

Position = Literal[
    "dv_lead",
    "team_manager",
    "housing_options_officer",
    "sanctuary_project_officer",
    "reciprocal_named_lead",
    "homelessness_subgroup_member",
    "dv_officer",
    "idva",
    "dv_coordinator",
    "crime_prevention_officer",
    "anti_social_behaviour_officer",
    "reciprocal_coordinator",
    "marac_coordinator",
    "dv_specialist_on_duty",
]
"""Positions officers hold in the directory — distinct from sign-in roles.

``dv_specialist_on_duty``: a DV specialist present today (assigned when their shift starts,
ended when they leave), so interview routing knows whether "neither of the specialists are
present" (``001_2a45bb55c36fcb52.txt``, Bexley)."""


class RoleHolder(msgspec.Struct, frozen=True, kw_only=True):
    """An officer holding a position. ``officer_id`` is the directory's id; the name and work
    contact are public organisational contacts (never survivor data) and are returned only
    in request replies, never in events."""

    officer_id: OfficerId
    position: Position
    name: Text
    email: Text | None = None
    phone: Text | None = None
    sex: Code | None = None
    dv_specialism: bool = False
    job_title: Text | None = None


class RoleHolderLookup(Request):
    """Who holds ``positions`` at ``target_org`` now (or ``on`` a date)."""

    service = "directory"
    name = "role-holders"
    version = 1

    positions: Annotated[list[Position], msgspec.Meta(max_length=MAX_ITEMS)]
    on: datetime | None = None


class RoleHolderReply(Reply):
    org: OrgId | None = None
    holders: Annotated[list[RoleHolder], msgspec.Meta(max_length=MAX_ITEMS)] = []


RoleHolderLookup.reply_type = RoleHolderReply


class RoleHolderChanged(Event):
    """A position at ``org`` has a new holder (or none). Carries ids only."""

    service = "directory"
    name = "role-holder-changed"
    version = 1

    position: Position
    officer_id: OfficerId | None
    previous_officer_id: OfficerId | None = None
    effective_from: datetime


class ServiceCapacityUpdated(Event):
    """A service's capacity changed (HSDS 3.1 ``service_capacity``), e.g. refuge vacancies.

    Carries the directory's opaque service and capacity ids, the unit and the numbers only:
    never a service name, address or anything that could locate a refuge.
    """

    service = "directory"
    name = "service-capacity-updated"
    version = 1

    service_id: Reference
    capacity_id: Reference
    unit: Code
    available: int
    maximum: int | None = None
    updated: datetime


class RoleHoldersPublished(Event):
    """Who holds each position at ``org`` now: directory ids only, no names or contacts.

    The owning deployment's directory publishes it whenever the holders change (and once
    after seeding); other deployments keep the latest as their read model of ``org``, so
    addressing a notification to ``org``'s DV lead and team manager needs no round trip to
    another deployment."""

    service = "directory"
    name = "role-holders-published"
    version = 1

    holders: dict[str, list[str]] = {}
    published_at: datetime


class PublicListingPublished(Event):
    """``org``'s public Open Referral (HSDS) listing changed: ``services`` public services now.

    The owning deployment's directory publishes it after seeding and whenever a public
    service of ``org`` is added or corrected. No listing travels in the event (a service's
    name and description are free text): a hub deployment that aggregates every
    organisation's public directory asks the owner for it with :class:`PublicListingRequest`.
    Confidential entries are never in a listing."""

    service = "directory"
    name = "public-listing-published"
    version = 1

    services: int = 0
    published_at: datetime


class PublicListingReply(Reply):
    """The public tier of ``org``'s directory, as the owner's ``GET /services?full=true``
    renders it: HSDS 3.1 ``organization`` and ``service`` objects, never a confidential one."""

    org: OrgId | None = None
    organization: dict[str, Any] | None = None
    services: Annotated[list[dict[str, Any]], msgspec.Meta(max_length=MAX_ITEMS)] = []


class PublicListingRequest(Request):
    """Ask the deployment hosting ``target_org`` for its public listing (answered to the
    asker's inbox, never stored in a stream)."""

    service = "directory"
    name = "public-listing"
    version = 1


PublicListingRequest.reply_type = PublicListingReply


class ServiceContact(msgspec.Struct, frozen=True, kw_only=True):
    """How a client reaches a service or agency: its public name, telephone numbers and opening hours
    in words. Public organisational contacts only (never a confidential service or a refuge)."""

    key: Code
    name: Text
    phones: Annotated[list[Text], msgspec.Meta(max_length=MAX_ITEMS)] = []
    hours: Annotated[list[Text], msgspec.Meta(max_length=MAX_ITEMS)] = []


class ServiceContactsLookup(Request):
    """The public contacts of the services or organisations with directory ``keys`` (seed
    ``000_93a7cd5d2a8b6030.txt``: "boroughs will provide links to appropriate support agencies for the applicant")."""

    service = "directory"
    name = "service-contacts"
    version = 1

    keys: Annotated[list[Code], msgspec.Meta(max_length=MAX_ITEMS)]


class ServiceContactsReply(Reply):
    contacts: Annotated[list[ServiceContact], msgspec.Meta(max_length=MAX_ITEMS)] = []


ServiceContactsLookup.reply_type = ServiceContactsReply
