"""Schemes, partners, signatures and named leads (seed ``002_c1c7b199d9a53274.txt``).

"This MoU is between: Cambridgeshire Specialist DA Services [and] [LA/RP.....]" — a
scheme comes from the coordinator's plugin (``haven_reciprocal_scheme``) with its partner
*candidates*; signing (date and signatories) is recorded here. Each partner is
responsible for "Identifying named leads ... and informing Cambridgeshire Specialist DA
Services of any changes in staffing": a change ends one named-lead holding and opens
another, so who was named lead on any date stays answerable.

Roles: the *coordinator* is a ``reciprocal_coordinator`` of the scheme's coordinating
organisation; a partner's *named lead* holds ``named_lead`` at that partner and a current
named-lead holding recorded here (``admin`` of the same organisation also passes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from haven_contracts.clocks import ServiceLevel
from haven_contracts.events.reciprocal import PanelInvited, PanelKind
from haven_contracts.plugin.reciprocal import ReciprocalScheme
from haven_reciprocal.tables import NamedLead, PanelInvitation, Partner, Referral
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, forbidden, unprocessable
from haven_runtime.identity import Principal

CORE = "core default (no plugin level)"
DEFAULT_STUCK_LEVELS: dict[str, ServiceLevel] = {
    "received": ServiceLevel(amount=2, unit="working_days", source=CORE),
    "awaiting_referring_signoff": ServiceLevel(amount=5, unit="working_days", source=CORE),
    "referring_signed_off": ServiceLevel(amount=2, unit="working_days", source=CORE),
    "accepted": ServiceLevel(amount=60, unit="working_days", source=CORE),
    "proposed": ServiceLevel(amount=2, unit="working_days", source=CORE),
    "awaiting_receiving_signoff": ServiceLevel(amount=5, unit="working_days", source=CORE),
    "offered": ServiceLevel(amount=5, unit="working_days", source=CORE),
    "offer_accepted": ServiceLevel(amount=20, unit="working_days", source=CORE),
    "moved": ServiceLevel(amount=20, unit="working_days", source=CORE),
}
DEFAULT_CONFLICT_ESCALATION = ServiceLevel(amount=5, unit="working_days", source=CORE)
DEFAULT_PREVIOUS_TENANCY_END = ServiceLevel(amount=20, unit="working_days", source=CORE)


def schemes(ctx: ServiceContext) -> dict[str, ReciprocalScheme]:
    """Every scheme the loaded plugins define, by coordinating organisation."""
    cached = ctx.extras.get("reciprocal_schemes")
    if isinstance(cached, dict):
        return cached
    built: dict[str, ReciprocalScheme] = {}
    for organisation in ctx.plugins.organisations():
        scheme = ctx.plugins.call(organisation.id, "haven_reciprocal_scheme")
        if scheme is not None and scheme.coordinator == organisation.id:
            built[organisation.id] = scheme
    ctx.extras["reciprocal_schemes"] = built
    return built


def scheme_of(ctx: ServiceContext, coordinator: str) -> ReciprocalScheme:
    scheme = schemes(ctx).get(coordinator)
    if scheme is None:
        raise unprocessable("scheme", f"{coordinator} coordinates no housing reciprocal")
    return scheme


def stuck_level(scheme: ReciprocalScheme, stage: str) -> ServiceLevel | None:
    return scheme.stuck_levels.get(stage) or DEFAULT_STUCK_LEVELS.get(stage)


async def load_partners(ctx: ServiceContext) -> None:
    """Start-up: record every scheme's partner candidates (idempotent; signatures kept).

    Replicas start together: the insert leaves an existing (scheme, org) row alone in the
    same statement, so two of them seeding at once cannot collide on the unique key."""
    for scheme in schemes(ctx).values():
        for candidate in scheme.partner_candidates:
            async with ctx.store.transaction():
                row = Partner(scheme=scheme.coordinator, org=candidate.org, kind=candidate.kind, area=candidate.area)
                await Partner.insert(row).on_conflict(action="DO NOTHING")


# -- roles ----------------------------------------------------------------------------------
def is_coordinator(principal: Principal, scheme: str) -> bool:
    return principal.org == scheme and principal.has_any({"reciprocal_coordinator", "admin"})


def require_coordinator(ctx: ServiceContext, principal: Principal) -> ReciprocalScheme:
    """The scheme the caller coordinates, or 403."""
    if not principal.has_any({"reciprocal_coordinator", "admin"}) or principal.org not in schemes(ctx):
        raise forbidden()
    return schemes(ctx)[principal.org]


async def is_named_lead(principal: Principal, scheme: str, org: str) -> bool:
    if principal.org != org:
        return False
    if "admin" in principal.roles:
        return True
    if "named_lead" not in principal.roles:
        return False
    return await NamedLead.exists().where(
        (NamedLead.scheme == scheme)
        & (NamedLead.org == org)
        & (NamedLead.officer_id == principal.sub)
        & NamedLead.end.is_null()
    )


async def require_named_lead(principal: Principal, scheme: str, org: str) -> None:
    if not await is_named_lead(principal, scheme, org):
        raise forbidden()


async def partner(scheme: str, org: str) -> Partner | None:
    return await Partner.objects().where((Partner.scheme == scheme) & (Partner.org == org)).first()


async def require_signed(scheme: str, org: str, field: str) -> Partner:
    row = await partner(scheme, org)
    if row is None or row.status != "signed":
        raise unprocessable(field, f"{org} has not signed the {scheme} reciprocal memorandum")
    return row


async def signed_schemes(org: str) -> list[str]:
    rows = await Partner.select(Partner.scheme).where((Partner.org == org) & (Partner.status == "signed"))
    return sorted(r["scheme"] for r in rows)


async def roster(ctx: ServiceContext, scheme: str) -> list[dict]:
    """Partners of a scheme (candidates and signatories), each with its named-lead holdings."""
    scheme_of(ctx, scheme)
    rows = await Partner.select().where(Partner.scheme == scheme).order_by(Partner.org)
    leads = (
        await NamedLead.select(
            NamedLead.org, NamedLead.officer_id, NamedLead.name, NamedLead.email, NamedLead.start, NamedLead.end
        )
        .where(NamedLead.scheme == scheme)
        .order_by(NamedLead.start)
    )
    for row in rows:
        row.pop("id", None)
        row["named_leads"] = [lead for lead in leads if lead["org"] == row["org"]]
    return rows


async def invitations(ctx: ServiceContext, principal: Principal, scheme: str) -> list[dict]:
    """Panel invitations: the coordinator sees all of its scheme's, a partner its own."""
    scheme_of(ctx, scheme)
    q = PanelInvitation.select(
        PanelInvitation.partner,
        PanelInvitation.panel,
        PanelInvitation.meeting_on,
        PanelInvitation.arc,
        PanelInvitation.invited_at,
    ).where(PanelInvitation.scheme == scheme)
    if not is_coordinator(principal, scheme):
        q = q.where(PanelInvitation.partner == principal.org)
    return await q.order_by(PanelInvitation.meeting_on)


# -- changes ------------------------------------------------------------------------------------
async def sign(
    ctx: ServiceContext,
    principal: Principal,
    org: str,
    kind: str | None,
    area: str | None,
    signed_on: date,
    partner_signatory: str,
    coordinator_signatory: str,
) -> Partner:
    """Record that ``org`` signed the coordinator's memorandum (MoU §5)."""
    scheme = require_coordinator(ctx, principal)
    if org == scheme.coordinator:
        raise unprocessable("org", "the coordinator is not a partner of its own scheme")
    known_areas = {a.id for a in scheme.areas}
    async with ctx.store.transaction() as uow:
        row = await partner(scheme.coordinator, org)
        if row is None:
            profile = ctx.plugins.call(org, "haven_reciprocal_partner_profile")
            kind = kind or (profile.kind if profile else None)
            if kind is None:
                raise unprocessable("kind", "required for an organisation that is not a listed candidate")
            row = Partner(scheme=scheme.coordinator, org=org, kind=kind, area=area)
        if row.status == "signed":
            raise conflict(f"{org} has already signed (on {row.signed_on})")
        if area is not None:
            if area not in known_areas:
                raise unprocessable("area", f"unknown area {area!r} in {scheme.name}")
            row.area = area
        row.status, row.signed_on = "signed", signed_on
        row.partner_signatory, row.coordinator_signatory = partner_signatory, coordinator_signatory
        row.recorded_by, row.recorded_at = principal.sub, datetime.now(UTC)
        await row.save()
        await uow.audit(
            principal, "sign", "reciprocal_partner", org, entity_org=scheme.coordinator, purpose="memorandum signed"
        )
    return row


async def can_manage_leads(principal: Principal, scheme: str, org: str) -> bool:
    if is_coordinator(principal, scheme):
        return True
    return principal.org == org and principal.has_any({"named_lead", "team_manager", "dv_lead", "admin"})


async def add_named_lead(
    ctx: ServiceContext,
    principal: Principal,
    scheme: str,
    org: str,
    officer_id: str,
    name: str,
    email: str | None,
    replaces: str | None,
) -> NamedLead:
    if not await can_manage_leads(principal, scheme, org):
        raise forbidden()
    await require_signed(scheme, org, "org")
    now = datetime.now(UTC)
    async with ctx.store.transaction() as uow:
        current = (NamedLead.scheme == scheme) & (NamedLead.org == org) & NamedLead.end.is_null()
        if await NamedLead.exists().where(current & (NamedLead.officer_id == officer_id)):
            raise conflict(f"{officer_id} is already a named lead of {org}")
        if replaces is not None:
            old = await NamedLead.objects().where(current & (NamedLead.officer_id == replaces)).first()
            if old is None:
                raise unprocessable("replaces", f"{replaces} is not a current named lead of {org}")
            old.end = now
            await old.save()
        row = NamedLead(
            scheme=scheme, org=org, officer_id=officer_id, name=name, email=email, start=now, recorded_by=principal.sub
        )
        await NamedLead.insert(row)
        await uow.audit(
            principal,
            "add_named_lead",
            "reciprocal_partner",
            org,
            entity_org=scheme,
            purpose="change of staffing",
            detail={"officer_id": officer_id, "replaces": replaces},
        )
    return row


async def end_named_lead(ctx: ServiceContext, principal: Principal, scheme: str, org: str, officer_id: str) -> None:
    if not await can_manage_leads(principal, scheme, org):
        raise forbidden()
    async with ctx.store.transaction() as uow:
        row = (
            await NamedLead.objects()
            .where(
                (NamedLead.scheme == scheme)
                & (NamedLead.org == org)
                & (NamedLead.officer_id == officer_id)
                & NamedLead.end.is_null()
            )
            .first()
        )
        if row is None:
            raise conflict(f"{officer_id} is not a current named lead of {org}")
        row.end = datetime.now(UTC)
        await row.save()
        await uow.audit(
            principal, "end_named_lead", "reciprocal_partner", org, entity_org=scheme, purpose="change of staffing"
        )


async def invite_to_panel(
    ctx: ServiceContext,
    principal: Principal,
    scheme: str,
    org: str,
    panel: PanelKind,
    meeting_on: date,
    arc: str | None,
) -> PanelInvitation:
    """A partner invites the coordinator to a multi-agency panel or meeting: partners are
    responsible for "Inviting Cambridgeshire Specialist DA Services or supporting partner
    representatives to multi-agency panels/meetings as relevant" (MoU §3)."""
    if principal.org != org or not principal.has_any({"named_lead", "team_manager", "dv_lead", "admin"}):
        raise forbidden()
    await require_signed(scheme, org, "org")
    if arc is not None and not await Referral.exists().where(
        (Referral.arc == arc)
        & (Referral.scheme == scheme)
        & ((Referral.referring_partner == org) | (Referral.receiving_partner == org))
    ):
        raise unprocessable("arc", "no referral with this ARC involving your organisation")
    now = datetime.now(UTC)
    row = PanelInvitation(
        scheme=scheme,
        partner=org,
        panel=panel,
        meeting_on=meeting_on,
        arc=arc,
        invited_at=now,
        invited_by=principal.sub,
    )
    async with ctx.store.transaction() as uow:
        await PanelInvitation.insert(row)
        await uow.emit(
            PanelInvited(
                org=org, scheme=scheme, to_org=scheme, panel=panel, meeting_on=meeting_on, arc=arc, invited_at=now
            ),
            ref=arc,
        )
        await uow.audit(
            principal, "invite", "reciprocal_partner", org, entity_org=scheme, purpose=f"{panel} invitation"
        )
    return row


# -- stock areas --------------------------------------------------------------------------------
async def record_stock_areas(
    ctx: ServiceContext, principal: Principal, scheme_id: str, org: str, areas: list[str]
) -> Partner:
    """Record the scheme areas where signed partner ``org`` holds stock it can offer (audited).

    Seed ``002_c1c7b199d9a53274.txt`` §1: the reciprocal is "between local authorities and
    registered providers"; a registered provider — or a local authority with stock outside its
    district — holds homes in several of the scheme's areas and may offer a property in each.
    The coordinator or the partner's own leads record it; it overrides the plugin's default.
    """
    scheme = scheme_of(ctx, scheme_id)
    if not await can_manage_leads(principal, scheme.coordinator, org):
        raise forbidden()
    row = await require_signed(scheme.coordinator, org, "org")
    known = {a.id for a in scheme.areas}
    unknown = [a for a in areas if a not in known]
    if unknown:
        raise unprocessable("areas", f"not areas of {scheme.name}: {', '.join(unknown)}")
    chosen = sorted(set(areas))
    async with ctx.store.transaction() as uow:
        row.stock_areas = msgspec.json.encode(chosen).decode()
        await row.save([Partner.stock_areas])
        await uow.audit(
            principal,
            "update",
            "reciprocal_partner",
            org,
            entity_org=scheme.coordinator,
            purpose="stock areas",
            detail={"stock_areas": chosen},
        )
    return row


def stock_areas_of(ctx: ServiceContext, row: Partner | dict) -> tuple[str, ...]:
    """Where ``row``'s partner (a row, or a row as selected) may offer properties: the recorded
    areas, else its plugin profile's ``stock_areas``; empty means not stated (any area of the scheme)."""
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    recorded = get("stock_areas")
    recorded = msgspec.json.decode(recorded) if isinstance(recorded, (str, bytes)) else list(recorded or [])
    if recorded:
        return tuple(recorded)
    profile = ctx.plugins.call(get("org"), "haven_reciprocal_partner_profile")
    return tuple(profile.stock_areas) if profile is not None else ()
