"""Every organisation's public Open Referral (HSDS) directory, served by a hub deployment.

Each deployment's directory owns its hosted organisations' records ("Deployments
on one bus"). After seeding, and whenever a public service of a hosted organisation is added
or corrected, it publishes ``PublicListingPublished`` (a count and a time: a listing's names
and descriptions are free text, which no event carries). A deployment run with
``HAVEN_DIRECTORY_HUB=true`` reads those events from every deployment and asks each owner for
the listing (``PublicListingRequest``, answered to the hub's inbox); the owner answers with
its *public* tier exactly as its own ``GET /services?full=true`` renders it, so a confidential
service, a confidential location or a refuge's location never leaves its owner. The hub keeps
the latest listing per organisation and adds it to its own public ``/services`` and
``/organizations``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.events.directory import PublicListingPublished, PublicListingReply, PublicListingRequest
from haven_contracts.messages import Envelope
from haven_contracts.subjects import event_filter
from haven_directory.tables import CatalogueService, DirOrganisation, FederatedListing, PublishedListing
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.store import UnitOfWork


async def public_listing(org: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """``org``'s HSDS organisation and full public services, as its public tier shows them."""
    from haven_directory import hsds
    from haven_directory.service_listing import full_services, public_services

    row = await DirOrganisation.objects().where(DirOrganisation.key == org).first()
    if row is None:
        return None, []
    services = await full_services(await public_services(organization_id=row.uid), {row.key: row}, tier="public")
    return hsds.organization(row), services


async def publish_listing(uow: UnitOfWork, org: str, now: datetime | None = None) -> bool:
    """Emit ``org``'s ``PublicListingPublished`` in ``uow`` when its public services changed
    since the last one (by id and modification time); True if emitted."""
    now = now or datetime.now(UTC)
    rows = (
        await CatalogueService.select(CatalogueService.uid, CatalogueService.updated_at)
        .where(
            (CatalogueService.org == org) & (CatalogueService.confidential == False)  # noqa: E712
        )
        .order_by(CatalogueService.uid)
    )
    digest = hashlib.sha256(msgspec.json.encode([[r["uid"], r["updated_at"].isoformat()] for r in rows])).hexdigest()
    last = await PublishedListing.objects().where(PublishedListing.org == org).first()
    if last is not None and last.digest == digest:
        return False
    if last is None:
        await PublishedListing.insert(PublishedListing(org=org, digest=digest, published_at=now))
    else:
        last.digest, last.published_at = digest, now
        await last.save([PublishedListing.digest, PublishedListing.published_at])
    await uow.emit(PublicListingPublished(org=org, services=len(rows), published_at=now), ref=org)
    return True


async def answer_public_listing(ctx: ServiceContext, req: PublicListingRequest) -> PublicListingReply:
    """Request/reply: the public tier of a hosted organisation (public data: anyone may ask)."""
    if not ctx.deployment.hosts(req.target_org):
        return PublicListingReply(ok=False, error="unknown_org", message=f"{req.target_org} is not hosted here")
    organization, services = await public_listing(req.target_org)
    if organization is None:
        return PublicListingReply(ok=False, error="unknown_org", message=f"no directory entry for {req.target_org}")
    return PublicListingReply(org=req.target_org, organization=organization, services=services)


async def receive_listing(
    ctx: ServiceContext, event: PublicListingPublished, envelope: Envelope, uow: UnitOfWork
) -> None:
    """Consumer (hub only): fetch and keep another deployment's organisation's public listing.
    A failed fetch raises, so the event is retried with back-off and then dead-lettered."""
    if not ctx.settings.directory_hub or ctx.deployment.hosts(event.org):
        return
    kept = await FederatedListing.objects().where(FederatedListing.org == event.org).first()
    if kept is not None and _aware(kept.received_at) >= _aware(event.published_at):
        return  # an older publication arriving late
    reply = await ctx.request(
        PublicListingRequest(
            target_org=event.org, requested_by=sorted(ctx.deployment.orgs)[0], purpose="public directory hub"
        )
    )
    if not isinstance(reply, PublicListingReply) or not reply.ok:
        raise LookupError(
            f"{event.org}'s listing: {getattr(reply, 'error', None)} {getattr(reply, 'message', '') or ''}".strip()
        )
    values: dict[str, Any] = {
        "organization": msgspec.json.encode(reply.organization).decode(),
        "services": msgspec.json.encode(reply.services).decode(),
        "received_at": event.published_at,
    }
    if kept is None:
        await FederatedListing.insert(FederatedListing(org=event.org, **values))
    else:
        await FederatedListing.update(**values).where(FederatedListing.org == event.org)


CONSUMER = ConsumerSpec(
    purpose="public-listings",
    from_service="directory",
    # every version: one this build does not read is dead-lettered, not unseen
    filter_subject=event_filter("directory", PublicListingPublished.name, addressed=False),
    handler=receive_listing,
)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def federated_services(
    *,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: datetime | None = None,
) -> list[dict[str, Any]]:
    """Kept listings' services matching every given filter (AND), as the public ``/services``
    filters its own (an organisation by its HSDS id or its key)."""
    from haven_directory.taxonomy import TAXONOMY_ID

    out: list[dict[str, Any]] = []
    for row in await FederatedListing.select(FederatedListing.org, FederatedListing.services):
        value = row["services"]
        for item in msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value or []):
            terms = [a.get("taxonomy_term_id") for a in item.get("attributes") or []]
            codes = [(a.get("taxonomy_term") or {}).get("code") for a in item.get("attributes") or []]
            if organization_id is not None and organization_id not in (item.get("organization_id"), row["org"]):
                continue
            if modified_after is not None and datetime.fromisoformat(item["last_modified"]) < _aware(modified_after):
                continue
            if taxonomy_term_id is not None and taxonomy_term_id not in terms + codes:
                continue
            if taxonomy_id is not None and not (taxonomy_id == TAXONOMY_ID and terms):
                continue
            if search and search.casefold() not in f"{item.get('name', '')}\n{item.get('description', '')}".casefold():
                continue
            out.append(item)
    return out


async def federated_organizations(search: str | None = None) -> list[dict[str, Any]]:
    """Kept listings' organisations, each with its public services (full records) under
    ``services``, matching ``search`` as the public ``/organizations`` matches its own."""
    out = []
    for row in await FederatedListing.select(FederatedListing.organization, FederatedListing.services):
        organization, services = (
            msgspec.json.decode(v) if isinstance(v, (str, bytes)) else v for v in (row["organization"], row["services"])
        )
        if not organization:
            continue
        if (
            search
            and search.casefold()
            not in f"{organization.get('name', '')}\n{organization.get('description', '')}".casefold()
        ):
            continue
        out.append({**organization, "services": list(services or [])})
    return out


def federated_organization_view(item: dict[str, Any], *, full: bool, full_service: bool) -> dict[str, Any]:
    """A kept organisation in the shape the list asked for (its services only when ``full``)."""
    record = {k: v for k, v in item.items() if k != "services"}
    if full:
        record["services"] = [federated_view(s, minimal=False, full=full_service) for s in item["services"]]
    return record


def federated_view(item: dict[str, Any], *, minimal: bool, full: bool) -> dict[str, Any]:
    """A kept (full) service record in the shape the list asked for."""
    if minimal:
        return {k: item[k] for k in ("id", "name", "status", "last_modified") if k in item}
    return dict(item) if full else {k: v for k, v in item.items() if not isinstance(v, (list, dict))}
