"""Which catalogue services a directory query selects, and their full Open Referral (HSDS)
rendering with capacities, locations and correction history: what the HSDS API answers, the
officers' search shows and a hub receives as an organisation's public listing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.plugin.taxonomy import TAXONOMY_ID, TERMS
from haven_directory import hsds
from haven_directory.capacity import capacities_for
from haven_directory.tables import CatalogueService, DirLocation, DirOrganisation, History


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


async def orgs_by_key() -> dict[str, DirOrganisation]:
    return {o.key: o for o in await DirOrganisation.objects()}


async def public_services(
    *,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: datetime | None = None,
    include_confidential: bool = False,
) -> list[CatalogueService]:
    """Services matching every given filter (AND), sorted by name."""
    q = CatalogueService.objects()
    if not include_confidential:
        q = q.where(CatalogueService.confidential == False)  # noqa: E712
    if modified_after is not None:
        q = q.where(CatalogueService.updated_at >= _aware(modified_after))
    if organization_id is not None:
        org = (
            await DirOrganisation.objects()
            .where((DirOrganisation.uid == organization_id) | (DirOrganisation.key == organization_id))
            .first()
        )
        if org is None:
            return []
        q = q.where(CatalogueService.org == org.key)
    rows = await q.order_by(CatalogueService.name)
    if taxonomy_term_id is not None:
        codes = {t.code for t in TERMS if t.id == taxonomy_term_id or t.code == taxonomy_term_id}
        rows = [r for r in rows if codes & set(msgspec.json.decode(r.taxonomy or "[]"))]
    if taxonomy_id is not None:
        rows = [r for r in rows if taxonomy_id == TAXONOMY_ID and msgspec.json.decode(r.taxonomy or "[]")]
    if search:
        needle = search.casefold()
        rows = [r for r in rows if needle in r.name.casefold() or needle in (r.description or "").casefold()]
    return rows


async def locations_by_key() -> dict[str, DirLocation]:
    return {loc.key: loc for loc in await DirLocation.objects()}


async def full_services(
    rows: list[CatalogueService], orgs: dict[str, DirOrganisation], *, tier: hsds.Tier, decrypt=None
) -> list[dict[str, Any]]:
    caps = await capacities_for([r.key for r in rows])
    locs = await locations_by_key()
    history: dict[str, list[dict]] = {}
    if rows:
        q = History.select().where((History.entity == "service") & History.entity_key.is_in([r.key for r in rows]))
        if tier == "public":
            q = q.where(History.confidential == False)  # noqa: E712
        for h in await q.order_by(History.id):
            history.setdefault(h["entity_key"], []).append(h)
    out = []
    for r in rows:
        mine = [locs[k] for k in msgspec.json.decode(r.location_keys or "[]") if k in locs]
        out.append(
            hsds.service(
                r,
                orgs.get(r.org),
                tier=tier,
                full=True,
                capacities=caps.get(r.key, []),
                locations=mine,
                decrypt=decrypt,
                history=history.get(r.key, []),
            )
        )
    return out
