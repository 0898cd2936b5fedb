"""The public tier: an Open Referral UK / HSDS 3.1 read API, open to anonymous GET with
``Access-Control-Allow-Origin: *``.

It never returns officers, named contacts, confidential services, confidential locations,
or any location of a refuge. Filters combine with AND; lists are paginated with the HSDS
``Page`` envelope; ``modified_after`` selects records changed on or after a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter

from haven_directory import hsds
from haven_directory.capacity import capacities_for
from haven_directory.tables import CatalogueService, DirLocation, DirOrganisation, History
from haven_directory.taxonomy import BY_CODE, TAXONOMY_ID, TERMS, taxonomy_record, term_record

#: Regexes excluded from bearer authentication: exactly the HSDS read endpoints.
PUBLIC_PATHS = [
    r"^/$",
    r"^/services(/[^/]+)?$",
    r"^/service_at_locations(/[^/]+)?$",
    r"^/organizations(/[^/]+)?$",
    r"^/taxonomies(/[^/]+)?$",
    r"^/taxonomy_terms(/[^/]+)?$",
]

Page = Annotated[int, Parameter(ge=1, le=100_000, description="Page number, from 1")]
PerPage = Annotated[int, Parameter(ge=1, le=500, description="Results per page")]


async def _public_cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


async def _orgs() -> dict[str, DirOrganisation]:
    return {o.key: o for o in await DirOrganisation.objects()}


async def public_services(
    *, search: str | None = None, taxonomy_term_id: str | None = None, taxonomy_id: str | None = None,
    organization_id: str | None = None, modified_after: datetime | None = None, include_confidential: bool = False,
) -> list[CatalogueService]:
    """Services matching every given filter (AND), sorted by name."""
    q = CatalogueService.objects()
    if not include_confidential:
        q = q.where(CatalogueService.confidential == False)  # noqa: E712
    if modified_after is not None:
        q = q.where(CatalogueService.updated_at >= _aware(modified_after))
    if organization_id is not None:
        org = await DirOrganisation.objects().where((DirOrganisation.uid == organization_id) | (DirOrganisation.key == organization_id)).first()
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


async def full_services(rows: list[CatalogueService], orgs: dict[str, DirOrganisation], *, tier: hsds.Tier, decrypt=None) -> list[dict[str, Any]]:
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
        out.append(hsds.service(r, orgs.get(r.org), tier=tier, full=True, capacities=caps.get(r.key, []), locations=mine,
                                decrypt=decrypt, history=history.get(r.key, [])))
    return out


class HSDSController(Controller):
    path = "/"
    tags = ["hsds (public)"]
    after_request = _public_cors
    security = [{}]

    @get("/", summary="About this API and its relationship with HSDS")
    async def root(self) -> dict[str, str]:
        return {"version": hsds.HSDS_VERSION, "profile": hsds.PROFILE, "openapi_url": "/schema/openapi.json"}

    @get("/services", summary="Paginated services (one-to-one fields; full=true nests related data)")
    async def services(
        self, page: Page = 1, per_page: PerPage = 50, search: str | None = None, taxonomy_term_id: str | None = None,
        taxonomy_id: str | None = None, organization_id: str | None = None, modified_after: datetime | None = None,
        full: bool = False,
    ) -> dict[str, Any]:
        rows = await public_services(search=search, taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id,
                                     organization_id=organization_id, modified_after=modified_after)
        orgs = await _orgs()
        window = rows[(page - 1) * per_page: page * per_page]
        if full:
            items = await full_services(window, orgs, tier="public")
        else:
            items = [hsds.service(r, orgs.get(r.org), tier="public", full=False) for r in window]
        result = hsds.page(rows, page, per_page)
        result["contents"] = items
        return result

    @get("/services/{service_id:str}", summary="A fully nested service")
    async def service(self, service_id: str) -> dict[str, Any]:
        row = await CatalogueService.objects().where((CatalogueService.uid == service_id) & (CatalogueService.confidential == False)).first()  # noqa: E712
        if row is None:
            raise NotFoundException("no such service")
        return (await full_services([row], await _orgs(), tier="public"))[0]

    @get("/service_at_locations", summary="Paginated services at (published) locations")
    async def service_at_locations(
        self, page: Page = 1, per_page: PerPage = 50, search: str | None = None, taxonomy_term_id: str | None = None,
        taxonomy_id: str | None = None, organization_id: str | None = None, modified_after: datetime | None = None,
    ) -> dict[str, Any]:
        rows = await public_services(search=search, taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id,
                                     organization_id=organization_id, modified_after=modified_after)
        orgs, locs = await _orgs(), await locations_by_key()
        items = []
        for r in rows:
            mine = [locs[k] for k in msgspec.json.decode(r.location_keys or "[]") if k in locs]
            for loc in hsds.visible_locations(r, mine, "public"):
                items.append(hsds.service_at_location(r, loc, orgs.get(r.org), tier="public"))
        return hsds.page(items, page, per_page)

    @get("/service_at_locations/{sal_id:str}", summary="One service at a location")
    async def service_at_location(self, sal_id: str) -> dict[str, Any]:
        orgs, locs = await _orgs(), await locations_by_key()
        for r in await public_services():
            mine = [locs[k] for k in msgspec.json.decode(r.location_keys or "[]") if k in locs]
            for loc in hsds.visible_locations(r, mine, "public"):
                item = hsds.service_at_location(r, loc, orgs.get(r.org), tier="public")
                if item["id"] == sal_id:
                    return item
        raise NotFoundException("no such service at location")

    @get("/organizations", summary="Paginated organisations")
    async def organizations(self, page: Page = 1, per_page: PerPage = 50, search: str | None = None, full: bool = False) -> dict[str, Any]:
        rows = sorted((await _orgs()).values(), key=lambda o: o.name)
        if search:
            needle = search.casefold()
            rows = [o for o in rows if needle in o.name.casefold() or needle in (o.description or "").casefold()]
        window = rows[(page - 1) * per_page: page * per_page]
        items = [await self._organization(o, full=full, full_service=False) for o in window]
        result = hsds.page(rows, page, per_page)
        result["contents"] = items
        return result

    @get("/organizations/{organization_id:str}", summary="A fully nested organisation with its services")
    async def organization(self, organization_id: str, full_service: bool = False) -> dict[str, Any]:
        org = await DirOrganisation.objects().where(DirOrganisation.uid == organization_id).first()
        if org is None:
            raise NotFoundException("no such organization")
        return await self._organization(org, full=True, full_service=full_service)

    async def _organization(self, org: DirOrganisation, *, full: bool, full_service: bool) -> dict[str, Any]:
        if not full:
            return hsds.organization(org)
        rows = await public_services(organization_id=org.uid)
        if full_service:
            services = await full_services(rows, {org.key: org}, tier="public")
        else:
            services = [hsds.service(r, org, tier="public", full=False) for r in rows]
        return hsds.organization(org, full=True, services=services)

    @get("/taxonomies", summary="Paginated taxonomies")
    async def taxonomies(self, page: Page = 1, per_page: PerPage = 50) -> dict[str, Any]:
        return hsds.page([taxonomy_record()], page, per_page)

    @get("/taxonomies/{taxonomy_id:str}", summary="One taxonomy")
    async def taxonomy(self, taxonomy_id: str) -> dict[str, Any]:
        if taxonomy_id != TAXONOMY_ID:
            raise NotFoundException("no such taxonomy")
        return taxonomy_record()

    @get("/taxonomy_terms", summary="Paginated taxonomy terms")
    async def taxonomy_terms(
        self, page: Page = 1, per_page: PerPage = 50, search: str | None = None, taxonomy_id: str | None = None,
        top_only: bool = False, parent_id: str | None = None,
    ) -> dict[str, Any]:
        terms = list(TERMS)
        if taxonomy_id is not None and taxonomy_id != TAXONOMY_ID:
            terms = []
        if top_only:
            terms = [t for t in terms if t.parent is None]
        if parent_id is not None:
            terms = [t for t in terms if t.parent and BY_CODE[t.parent].id == parent_id]
        if search:
            needle = search.casefold()
            terms = [t for t in terms if needle in t.name.casefold() or needle in t.description.casefold() or needle in t.code]
        return hsds.page([term_record(t) for t in terms], page, per_page)

    @get("/taxonomy_terms/{term_id:str}", summary="One taxonomy term")
    async def taxonomy_term(self, term_id: str) -> dict[str, Any]:
        term = next((t for t in TERMS if t.id == term_id), None)
        if term is None:
            raise NotFoundException("no such taxonomy term")
        return term_record(term)
