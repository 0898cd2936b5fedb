"""Reciprocal hooks: what an organisation's plugin adds to the reciprocal service.

Sources: ``002_c1c7b199d9a53274.txt`` (the Cambridgeshire Housing Reciprocal memorandum:
a coordinating specialist DA service, partner local authorities and registered providers
with named leads, supporting partners, the VAWG strands of its footnote, escalation to
chief executives / directors) and ``003_8738e4ccc4c4272a.txt`` principle 8 (a landlord
seeks a reciprocal when a transfer away from the area can't come from its own stock).

The memorandum names no partners ("This MoU is between: Cambridgeshire Specialist DA
Services [and] [LA/RP.....]"), so a scheme lists *candidates*; whether and when each one
signed is data recorded in the service.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from haven_contracts.clocks import ServiceLevel
from haven_contracts.ids import OrgId
from haven_contracts.plugin import hookspec

PartnerKind = Literal["local_authority", "registered_provider"]


class PartnerCandidate(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation that may sign the memorandum. ``area`` is the local-authority area
    it houses in (a local authority's own id; for a registered provider, its main area)."""

    org: OrgId
    kind: PartnerKind
    area: OrgId | None = None
    source: str = ""


class SupportingPartner(msgspec.Struct, frozen=True, kw_only=True):
    """A supporting partner named by the memorandum (not a signatory)."""

    name: str
    role: str = "supporting partner"
    source: str = ""


class Area(msgspec.Struct, frozen=True, kw_only=True):
    """A local-authority area households move between; ``id`` is the authority's org id."""

    id: OrgId
    name: str


class AbuseCategory(msgspec.Struct, frozen=True, kw_only=True):
    """A strand of violence against women and girls the scheme accepts referrals for."""

    code: str
    label: str
    source: str = ""


class ReciprocalScheme(msgspec.Struct, frozen=True, kw_only=True):
    """One housing reciprocal, coordinated by ``coordinator``.

    ``stuck_levels`` maps a referral stage (``received``, ``awaiting_referring_signoff``,
    ``accepted``, ``proposed``, ``awaiting_receiving_signoff``, ``offered``,
    ``offer_accepted``, ``moved``) to how long a referral may stay there before the
    coordinator is warned. ``conflict_escalation`` is how long named leads work a
    conflict before it escalates to the chief executives / directors;
    ``previous_tenancy_end`` is the clock on the referring partner's task to end the
    previous tenancy after a move. Core defaults (documented in the service README) apply
    to any stage the plugin leaves out.
    """

    name: str
    coordinator: OrgId
    partner_candidates: tuple[PartnerCandidate, ...]
    areas: tuple[Area, ...]
    supporting_partners: tuple[SupportingPartner, ...] = ()
    abuse_categories: tuple[AbuseCategory, ...] = ()
    stuck_levels: dict[str, ServiceLevel] = {}
    conflict_escalation: ServiceLevel | None = None
    previous_tenancy_end: ServiceLevel | None = None
    escalation_to: str = "Chief Executives/Directors"
    source: str = ""


class PartnerProfile(msgspec.Struct, frozen=True, kw_only=True):
    """How one landlord takes part in reciprocals.

    ``like_for_like`` — transfers are normally on a like-for-like (same size) basis;
    ``reciprocal_when_own_stock_cannot`` — the landlord seeks a reciprocal only when a
    transfer away from the area cannot come from its own stock; ``stock_areas`` — areas
    where it can offer properties (empty: not stated, any scheme area).
    """

    org: OrgId
    kind: PartnerKind
    stock_areas: tuple[OrgId, ...] = ()
    like_for_like: bool = True
    reciprocal_when_own_stock_cannot: bool = True
    escalation_to: str = "Chief Executive"
    source: str = ""


@hookspec(firstresult=True)
def haven_reciprocal_scheme(org: str) -> ReciprocalScheme | None:
    """The housing reciprocal coordinated by ``org``, or ``None`` if ``org`` coordinates none.

    Called by the reciprocal service at start-up for every organisation served; the
    partner candidates it returns are loaded as *unsigned* partners of the scheme.

    Example::

        @hookimpl
        def haven_reciprocal_scheme(org):
            if org != "cambridgeshire-da-services":
                return None
            return ReciprocalScheme(
                name="Cambridgeshire Housing Reciprocal",
                coordinator="cambridgeshire-da-services",
                partner_candidates=(PartnerCandidate(org="fenland", kind="local_authority", area="fenland"),),
                areas=(Area(id="fenland", name="Fenland"),),
                supporting_partners=(SupportingPartner(name="Standing Together"),),
                abuse_categories=(AbuseCategory(code="domestic_violence", label="Domestic violence"),),
                stuck_levels={"accepted": ServiceLevel(amount=60, unit="working_days")},
            )
    """


@hookspec(firstresult=True)
def haven_reciprocal_partner_profile(org: str) -> PartnerProfile | None:
    """How landlord ``org`` takes part in housing reciprocals, or ``None`` for core defaults.

    Called when a partner signs a memorandum and when it offers a property (a property in
    an area outside ``stock_areas`` is refused with 422 when ``stock_areas`` is set).

    Example::

        @hookimpl
        def haven_reciprocal_partner_profile(org):
            return PartnerProfile(org=org, kind="registered_provider", like_for_like=True,
                                  reciprocal_when_own_stock_cannot=True,
                                  source="003_8738e4ccc4c4272a.txt principle 8")
    """
