"""The public tier follows Open Referral UK / HSDS 3.1: every endpoint's response validates
against the official HSDS JSON schemas (vendored in ``haven_directory/schemas``), lists are
paginated, filters combine with AND, and anonymous GETs get ``Access-Control-Allow-Origin: *``.

Seed content: Dartford's Appendix B contacts (``004_d4b796f614d2cfd3.txt``) and the SE London
boroughs' agencies (``001_2a45bb55c36fcb52.txt``), e.g. "Open 24 hours 7 days a week".
"""

from __future__ import annotations

import msgspec
import pytest

from haven_contracts.plugin.taxonomy import BY_CODE
from haven_directory.schemas import record_validator, response_validator

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)


def _errors(path: str, body) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in response_validator(path).iter_errors(body)]


async def _all_pages(client, url: str, **params) -> list[dict]:
    items, page = [], 1
    while True:
        r = await client.get(url, params={**params, "page": page, "per_page": 7})
        assert r.status_code == 200, r.text
        body = r.json()
        assert _errors(url, body) == []
        items.extend(body["contents"])
        if body["last_page"]:
            return items
        page += 1


@BACKENDS
async def test_every_hsds_endpoint_validates_against_the_official_schemas(start_service):
    c = await start_service("directory")
    root = await c.get("/")
    assert root.status_code == 200 and _errors("/", root.json()) == [] and root.json()["version"] == "3.1"

    services = await _all_pages(c, "/services")
    assert len(services) > 20
    full = await _all_pages(c, "/services", full="true")
    assert {s["id"] for s in full} == {s["id"] for s in services}
    for s in services:
        r = await c.get(f"/services/{s['id']}")
        assert r.status_code == 200 and _errors("/services/{id}", r.json()) == [], s["name"]

    orgs = await _all_pages(c, "/organizations")
    for o in orgs:
        r = await c.get(f"/organizations/{o['id']}", params={"full_service": "true"})
        assert r.status_code == 200 and _errors("/organizations/{id}", r.json()) == [], o["name"]

    sals = await _all_pages(c, "/service_at_locations")
    assert sals
    for sal in sals:
        r = await c.get(f"/service_at_locations/{sal['id']}")
        assert r.status_code == 200
        # the reference OpenAPI gives /service_at_locations/{id} the compiled service_at_location shape
        assert [e.message for e in record_validator("hsds-3.1/service_at_location.json").iter_errors(r.json())] == []

    taxonomies = (await c.get("/taxonomies")).json()
    assert _errors("/taxonomies", taxonomies) == []
    tax_id = taxonomies["contents"][0]["id"]
    assert _errors("/taxonomies/{id}", (await c.get(f"/taxonomies/{tax_id}")).json()) == []
    terms = await _all_pages(c, "/taxonomy_terms")
    assert {t["code"] for t in terms} >= {
        "refuge",
        "idva",
        "floating-support",
        "legal-advice",
        "sanctuary",
        "substance-misuse",
        "helpline",
    }
    assert _errors("/taxonomy_terms/{id}", (await c.get(f"/taxonomy_terms/{terms[0]['id']}")).json()) == []


async def test_the_schema_check_can_fail():
    """A service without ``name``, with a non-UUID id or an unknown status is rejected."""
    bad = {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [{"id": "not-a-uuid", "status": "open"}],
    }
    messages = " ".join(_errors("/services", bad))
    assert "'name' is a required property" in messages
    assert "not-a-uuid" in messages and "'open' is not one of" in messages
    assert list(record_validator("hsds-3.1/service_capacity.json").iter_errors({"id": "x"}))


@pytest.mark.rule("dartford.office-hours", "dartford.useful-contacts", "bexley.legal-clinic")
async def test_seeded_contacts_and_schedules(start_service):
    """``004_d4b796f614d2cfd3.txt`` Appendix B: "24 hour National Violence Domestic Violence Helpline
    Tel: 0808 2000247"; Dartford's service is open "8:45am and 5:15pm Monday to Thursday, and 8:45am
    to 4:45pm on Friday"; ``001_2a45bb55c36fcb52.txt``: Bexley's "legal clinic on Wednesday afternoons"."""
    c = await start_service("directory")
    helpline = (
        await c.get("/services", params={"search": "National Domestic Violence Helpline", "full": "true"})
    ).json()["contents"][0]
    assert helpline["phones"][0]["number"] == "0808 2000247"
    assert helpline["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    dartford = (
        await c.get("/services", params={"search": "Housing Options and Private Sector", "full": "true"})
    ).json()["contents"][0]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in dartford["schedules"]] == [
        ("MO,TU,WE,TH", "08:45", "17:15"),
        ("FR", "08:45", "16:45"),
    ]
    clinic = (await c.get("/services", params={"search": "legal clinic", "full": "true"})).json()["contents"][0]
    assert clinic["schedules"][0]["byday"] == "WE" and "afternoon" in clinic["schedules"][0]["description"].lower()


@BACKENDS
async def test_filters_combine_with_and_and_pagination_is_consistent(start_service, token):
    c = await start_service("directory")
    helpline = BY_CODE["helpline"].id
    by_term = await _all_pages(c, "/services", taxonomy_term_id=helpline)
    assert by_term and all(
        BY_CODE["helpline"].id in [a["taxonomy_term_id"] for a in s.get("attributes", [])]
        for s in [(await c.get(f"/services/{x['id']}")).json() for x in by_term]
    )
    refuge_org = next(o for o in await _all_pages(c, "/organizations", search="Refuge") if o["name"] == "Refuge")
    both = await _all_pages(c, "/services", taxonomy_term_id=helpline, organization_id=refuge_org["id"])
    assert [s["name"] for s in both] == ["24 hour National Domestic Violence Helpline"]
    assert (
        await _all_pages(c, "/services", taxonomy_term_id=BY_CODE["sanctuary"].id, organization_id=refuge_org["id"])
        == []
    )
    everything = await _all_pages(c, "/services")
    assert len({s["id"] for s in everything}) == len(everything)

    # modified_after: only what changed since then
    cutoff = (await c.get("/services", params={"per_page": 1})).json()["contents"][0]["last_modified"]
    later = await _all_pages(c, "/services", modified_after="2999-01-01T00:00:00Z")
    assert later == []
    assert len(await _all_pages(c, "/services", modified_after=cutoff)) >= 1
    r = await c.patch(
        "/catalogue/services/bexley-legal-clinic",
        json={"description": "Legal representatives, Wednesday afternoons."},
        headers=token("bexley", "team_manager"),
    )
    assert r.status_code == 200, r.text
    changed = await _all_pages(c, "/services", modified_after=r.json()["last_modified"])
    assert [s["name"] for s in changed] == ["Legal clinic"]
    # the correction is published as HSDS provenance, naming the organisation, not the officer
    clinic = (await c.get(f"/services/{changed[0]['id']}")).json()
    assert [(m["field_name"], m["replacement_value"], m["updated_by"]) for m in clinic["metadata"]] == [
        ("description", "Legal representatives, Wednesday afternoons.", "bexley")
    ]
    assert (await c.get("/services", params={"modified_after": "yesterday"})).status_code == 400


async def test_cors_only_on_the_public_tier(start_service, token):
    c = await start_service("directory")
    r = await c.get("/services", headers={"Origin": "https://example.org"})
    assert r.headers.get("access-control-allow-origin") == "*"
    for error in ("/services/no-such-id", "/services?page=x", "/taxonomy_terms/0"):
        r = await c.get(error, headers={"Origin": "https://example.org"})
        assert r.status_code in (400, 404) and r.headers.get("access-control-allow-origin") == "*", error
    r = await c.get(
        "/officers",
        params={"purpose": "contact"},
        headers={"Origin": "https://example.org", **token("bexley", "dv_lead")},
    )
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers


async def test_parameters_are_read_as_the_reference_document_types_them(start_service):
    """``page``/``per_page`` are plain integers and ``modified_after`` a string in the reference
    OpenAPI: ``page=0``, ``per_page=0`` and an empty ``modified_after`` are answered, not
    refused; a date alone is a ``modified_after``; ``GET /`` names the document absolutely."""
    c = await start_service("directory")
    root = (await c.get("/")).json()
    assert root["openapi_url"] == "http://testserver.local/hsds/openapi.json"
    profile = (await c.get("/hsds/openapi.json")).json()
    assert (
        profile["servers"] == [{"url": "http://testserver.local"}] and "/service_at_locations/{id}" in profile["paths"]
    )

    first = (await c.get("/services", params={"page": 0, "per_page": 0, "modified_after": ""})).json()
    assert (first["page_number"], first["first_page"]) == (1, True) and first["size"] == min(50, first["total_items"])
    assert (await c.get("/services", params={"page": -3, "per_page": 100_000})).json()["size"] == first["total_items"]
    assert (await c.get("/services", params={"modified_after": "2000-01-01"})).json()["total_items"] == first[
        "total_items"
    ]
    assert (await c.get("/services", params={"modified_after": "2999-12-31"})).json()["total_items"] == 0
    assert (await c.get("/services", params={"modified_after": "2000-01-01T00:00:00"})).json()["total_items"] == first[
        "total_items"
    ]
    bad = await c.get("/services", params={"modified_after": "2024-13-45"})
    assert bad.status_code == 400 and bad.json()["extra"][0]["key"] == "modified_after"
    bad = await c.get("/taxonomies", params={"format": "xml"})
    assert bad.status_code == 400 and bad.json()["extra"][0]["key"] == "format"


async def test_ndjson_and_minimal(start_service):
    """``format=ndjson`` streams every result without pagination; ``minimal=true`` returns
    every service on one page with its id and modification time (and the name and status
    the service list schema requires)."""
    c = await start_service("directory")
    paged = await _all_pages(c, "/services")
    r = await c.get("/services", params={"format": "ndjson", "per_page": 2})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = [msgspec.json.decode(line) for line in r.text.splitlines()]
    assert lines == paged
    full = [
        msgspec.json.decode(line)
        for line in (await c.get("/services", params={"format": "ndjson", "full": "true"})).text.splitlines()
    ]
    assert [s["id"] for s in full] == [s["id"] for s in paged] and all("schedules" in s for s in full)
    terms = (await c.get("/taxonomy_terms", params={"format": "ndjson"})).text.splitlines()
    assert len(terms) == len(BY_CODE)

    minimal = (await c.get("/services", params={"minimal": "true"})).json()
    assert _errors("/services", minimal) == []
    assert minimal["total_pages"] == 1 and minimal["size"] == len(paged)
    assert [set(s) for s in minimal["contents"]] == [{"id", "name", "status", "last_modified"}] * len(paged)


async def test_postcode_and_proximity_are_refused_not_ignored(start_service):
    """Nothing the public tier publishes is geocoded (the seeds give no addresses), so a
    postcode or proximity search is refused with a 400 naming the parameter, rather than
    answering "near you" with every service."""
    c = await start_service("directory")
    for params in ({"postcode": "DA1 1DR"}, {"postcode": "DA1 1DR", "proximity": "5000"}, {"proximity": "100"}):
        r = await c.get("/service_at_locations", params=params)
        assert r.status_code == 400 and r.headers["access-control-allow-origin"] == "*"
        assert r.json()["extra"][0]["key"] in params and "geocoded" in r.json()["extra"][0]["message"]
    sal = (await c.get("/service_at_locations", params={"full": "true"})).json()
    assert sal["contents"] and all("schedules" in item["service"] for item in sal["contents"])
    one = (await c.get(f"/service_at_locations/{sal['contents'][0]['id']}")).json()
    # the reference document gives this operation the service schema: name and status are carried
    assert one["name"] == sal["contents"][0]["service"]["name"] and one["status"] == "active"
    assert [e.message for e in response_validator("/services/{id}").iter_errors(one)] == []
