"""The public tier: an Open Referral UK / HSDS 3.1 read API, open to anonymous GET with
``Access-Control-Allow-Origin: *`` on every answer, errors included (a browser client must be
able to read a 400 or 404 too).

It never returns officers, named contacts, confidential services, confidential locations,
or any location of a refuge. Filters combine with AND; lists are paginated with the HSDS
``Page`` envelope, or streamed whole with ``format=ndjson``; ``modified_after`` selects
records changed on or after a date or time. Parameters are read as the reference OpenAPI
document types them (``haven_directory.query``), and the document this API answers to —
Haven's profile of it — is served at ``/hsds/openapi.json`` (``haven_directory.profile``).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.types import AfterRequestHookHandler

from haven_contracts.plugin.taxonomy import BY_CODE, TAXONOMY_ID, TERMS
from haven_directory import hsds, listings, query
from haven_directory.hsds_schemas import (
    ApiInfo,
    HsdsOrganization,
    HsdsOrganizationListItem,
    HsdsPage,
    HsdsService,
    HsdsServiceAtLocationListItem,
    HsdsServiceListItem,
    HsdsTaxonomy,
    HsdsTaxonomyTerm,
    OpenApiDocument,
)
from haven_directory.profile import PROFILE_PATH, hsds_profile
from haven_directory.query import Listing
from haven_directory.service_listing import full_services, locations_by_key, orgs_by_key, public_services
from haven_directory.tables import CatalogueService, DirLocation, DirOrganisation
from haven_directory.taxonomy import taxonomy_record, term_record
from haven_runtime.errors import exception_handlers, invalid, not_found

#: Regexes excluded from bearer authentication: exactly the HSDS read endpoints.
PUBLIC_PATHS = [
    r"^/$",
    r"^/hsds/openapi\.json$",
    r"^/services(/[^/]+)?$",
    r"^/service_at_locations(/[^/]+)?$",
    r"^/organizations(/[^/]+)?$",
    r"^/taxonomies(/[^/]+)?$",
    r"^/taxonomy_terms(/[^/]+)?$",
]

CORS = {"Access-Control-Allow-Origin": "*"}
#: Why ``postcode`` and ``proximity`` are refused rather than ignored: ignoring them would
#: answer "services near you" with every service; no location or service area the public
#: tier publishes carries coordinates or postcodes (the seeds publish none).
NOT_GEOCODED = "not supported by this directory: none of the locations or service areas it publishes is geocoded"


async def _public_cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


async def _answer(rows: list[Any], q: Listing, render) -> Any:
    """One page of ``rows`` rendered in the ``Page`` envelope, or all of them as NDJSON."""
    if q.ndjson:
        return query.ndjson_response(await render(rows))
    result = hsds.page(rows, q.page, q.per_page)
    result["contents"] = await render(q.window(rows))
    return result


def _minimal(row: CatalogueService) -> dict[str, Any]:
    """``minimal=true``: the id and modification time HSDS asks for, plus the name and status
    its service list schema requires of every item."""
    return {"id": row.uid, "name": row.name, "status": row.status, "last_modified": hsds.iso(row.updated_at)}


class HSDSController(Controller):
    path = "/"
    tags = ["hsds (public)"]
    after_request: AfterRequestHookHandler | None = _public_cors
    exception_handlers = exception_handlers(headers=CORS)  # the one error body, readable cross-origin
    security = [{}]

    @get("/", summary="About this API and its relationship with HSDS")
    async def root(self, request: Request) -> ApiInfo:
        return ApiInfo(version=hsds.HSDS_VERSION, profile=hsds.PROFILE, openapi_url=_absolute(request, PROFILE_PATH))

    @get(PROFILE_PATH, summary="The OpenAPI document of this HSDS API (Haven's profile of the reference document)")
    async def openapi(self, request: Request) -> OpenApiDocument:
        return OpenApiDocument(hsds_profile(_absolute(request, "/")))

    @get("/services", summary="Paginated services (one-to-one fields; full=true nests related data)")
    async def services(
        self,
        page: int = 0,
        per_page: int = 0,
        format: str = "",
        search: str | None = None,
        taxonomy_term_id: str | None = None,
        taxonomy_id: str | None = None,
        organization_id: str | None = None,
        modified_after: str = "",
        minimal: bool = False,
        full: bool = False,
    ) -> HsdsPage[HsdsServiceListItem]:
        q = query.listing(page, per_page, format, everything=minimal)
        filters: dict[str, Any] = {
            "search": search,
            "taxonomy_term_id": taxonomy_term_id,
            "taxonomy_id": taxonomy_id,
            "organization_id": organization_id,
            "modified_after": query.modified_after(modified_after),
        }
        # a hub deployment also lists other deployments' organisations' public services
        rows: list[Any] = [*await public_services(**filters), *await listings.federated_services(**filters)]
        rows.sort(key=lambda r: r["name"] if isinstance(r, dict) else r.name)
        orgs = await orgs_by_key()

        async def render_local(window: list[CatalogueService]) -> list[dict[str, Any]]:
            if minimal:
                return [_minimal(r) for r in window]
            if full:
                return await full_services(window, orgs, tier="public")
            return [hsds.service(r, orgs.get(r.org), tier="public", full=False) for r in window]

        async def render(window: list[Any]) -> list[dict[str, Any]]:
            local = iter(await render_local([r for r in window if not isinstance(r, dict)]))
            return [
                listings.federated_view(r, minimal=minimal, full=full) if isinstance(r, dict) else next(local)
                for r in window
            ]

        return await _answer(rows, query.sized(q, len(rows)), render)

    @get("/services/{service_id:str}", summary="A fully nested service")
    async def service(self, service_id: str) -> HsdsService:
        row = (
            await CatalogueService.objects()
            .where((CatalogueService.uid == service_id) & (CatalogueService.confidential == False))
            .first()
        )  # noqa: E712
        if row is None:
            kept = [s for s in await listings.federated_services() if s.get("id") == service_id]
            if kept:
                return HsdsService(kept[0])
            raise not_found("service")
        return HsdsService((await full_services([row], await orgs_by_key(), tier="public"))[0])

    @get("/service_at_locations", summary="Paginated services at (published) locations")
    async def service_at_locations(
        self,
        page: int = 0,
        per_page: int = 0,
        format: str = "",
        search: str | None = None,
        taxonomy_term_id: str | None = None,
        taxonomy_id: str | None = None,
        organization_id: str | None = None,
        modified_after: str = "",
        full: bool = False,
        postcode: str | None = None,
        proximity: str | None = None,
    ) -> HsdsPage[HsdsServiceAtLocationListItem]:
        q = query.listing(page, per_page, format)
        for name, value in (("postcode", postcode), ("proximity", proximity)):
            if value is not None:
                raise invalid(name, NOT_GEOCODED)
        rows = await public_services(
            search=search,
            taxonomy_term_id=taxonomy_term_id,
            taxonomy_id=taxonomy_id,
            organization_id=organization_id,
            modified_after=query.modified_after(modified_after),
        )
        orgs, pairs = await orgs_by_key(), await _published_pairs(rows)

        async def render(window: list[tuple[CatalogueService, DirLocation]]) -> list[dict[str, Any]]:
            items = [hsds.service_at_location(r, loc, orgs.get(r.org), tier="public") for r, loc in window]
            if full:
                nested = {
                    s["id"]: s
                    for s in await full_services(list({r.key: r for r, _ in window}.values()), orgs, tier="public")
                }
                for item in items:
                    item["service"] = nested[item["service_id"]]
            return items

        return await _answer(pairs, q, render)

    @get("/service_at_locations/{sal_id:str}", summary="One service at a location")
    async def service_at_location(self, sal_id: str) -> HsdsService:
        orgs = await orgs_by_key()
        for r, loc in await _published_pairs(await public_services()):
            item = hsds.service_at_location(r, loc, orgs.get(r.org), tier="public")
            if item["id"] == sal_id:
                # The reference document gives this operation the (compiled) *service* schema,
                # which requires ``name`` and ``status``: carrying the service's keeps the
                # answer valid against it as well as against ``service_at_location``.
                return HsdsService({**item, "name": r.name, "status": r.status})
        raise not_found("service at location")

    @get("/organizations", summary="Paginated organisations")
    async def organizations(
        self,
        page: int = 0,
        per_page: int = 0,
        format: str = "",
        search: str | None = None,
        full: bool = False,
        full_service: bool = False,
    ) -> HsdsPage[HsdsOrganizationListItem]:
        q = query.listing(page, per_page, format)
        rows: list[Any] = list((await orgs_by_key()).values())
        if search:
            needle = search.casefold()
            rows = [o for o in rows if needle in o.name.casefold() or needle in (o.description or "").casefold()]
        rows += await listings.federated_organizations(search)  # a hub's copies of other deployments' organisations
        rows.sort(key=lambda o: o["name"] if isinstance(o, dict) else o.name)

        async def render(window: list[Any]) -> list[dict[str, Any]]:
            return [
                listings.federated_organization_view(o, full=full, full_service=full_service)
                if isinstance(o, dict)
                else await self._organization(o, full=full, full_service=full_service)
                for o in window
            ]

        return await _answer(rows, q, render)

    @get("/organizations/{organization_id:str}", summary="A fully nested organisation with its services")
    async def organization(self, organization_id: str, full_service: bool = False) -> HsdsOrganization:
        org = await DirOrganisation.objects().where(DirOrganisation.uid == organization_id).first()
        if org is None:
            kept = [o for o in await listings.federated_organizations() if o.get("id") == organization_id]
            if kept:
                return HsdsOrganization(
                    listings.federated_organization_view(kept[0], full=True, full_service=full_service)
                )
            raise not_found("organization")
        return HsdsOrganization(await self._organization(org, full=True, full_service=full_service))

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
    async def taxonomies(
        self,
        page: int = 0,
        per_page: int = 0,
        format: str = "",
        search: str | None = None,
    ) -> HsdsPage[HsdsTaxonomy]:
        q = query.listing(page, per_page, format)
        records = [taxonomy_record()]
        if search:
            needle = search.casefold()
            records = [t for t in records if needle in t["name"].casefold() or needle in t["description"].casefold()]
        return await _answer(records, q, _as_is)

    @get("/taxonomies/{taxonomy_id:str}", summary="One taxonomy")
    async def taxonomy(self, taxonomy_id: str) -> HsdsTaxonomy:
        if taxonomy_id != TAXONOMY_ID:
            raise not_found("taxonomy")
        return HsdsTaxonomy(taxonomy_record())

    @get("/taxonomy_terms", summary="Paginated taxonomy terms")
    async def taxonomy_terms(
        self,
        page: int = 0,
        per_page: int = 0,
        format: str = "",
        search: str | None = None,
        taxonomy_id: str | None = None,
        top_only: bool = False,
        parent_id: str | None = None,
    ) -> HsdsPage[HsdsTaxonomyTerm]:
        q = query.listing(page, per_page, format)
        terms = list(TERMS)
        if taxonomy_id is not None and taxonomy_id != TAXONOMY_ID:
            terms = []
        if top_only:
            terms = [t for t in terms if t.parent is None]
        if parent_id is not None:
            terms = [t for t in terms if t.parent and BY_CODE[t.parent].id == parent_id]
        if search:
            needle = search.casefold()
            terms = [
                t
                for t in terms
                if needle in t.name.casefold() or needle in t.description.casefold() or needle in t.code
            ]
        return await _answer([term_record(t) for t in terms], q, _as_is)

    @get("/taxonomy_terms/{term_id:str}", summary="One taxonomy term")
    async def taxonomy_term(self, term_id: str) -> HsdsTaxonomyTerm:
        term = next((t for t in TERMS if t.id == term_id), None)
        if term is None:
            raise not_found("taxonomy term")
        return HsdsTaxonomyTerm(term_record(term))


async def _as_is(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return items


def _absolute(request: Request, path: str) -> str:
    """An absolute URL on this server (HSDS gives ``openapi_url`` ``format: uri``)."""
    return str(request.base_url).rstrip("/") + path


async def _published_pairs(rows: list[CatalogueService]) -> list[tuple[CatalogueService, DirLocation]]:
    """Every (service, location) the public tier may show, in service order."""
    locs = await locations_by_key()
    pairs: list[tuple[CatalogueService, DirLocation]] = []
    for r in rows:
        mine = [locs[k] for k in msgspec.json.decode(r.location_keys or "[]") if k in locs]
        pairs.extend((r, loc) for loc in hsds.visible_locations(r, mine, "public"))
    return pairs
