"""The confidential tier: refuge addresses, officers' direct contacts and named leads are
served only to authenticated officers of partner organisations, every read is audited with
its purpose, and nothing an anonymous client can reach leads to a refuge's location.

Seed ``000_93a7cd5d2a8b6030.txt``: "a list of named officers with DV leads and team
managers"; ``003_8738e4ccc4c4272a.txt`` principle 3: "The victim will be assured of
confidentiality"; principle 6 liaison with "a women's refuge". The refuge below is invented.
"""

from __future__ import annotations

import re

import pytest

from haven_directory.api.hsds import PUBLIC_PATHS

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)

REFUGE_ADDRESS = "17 Invented Close"
REFUGE_POSTCODE = "ZZ9 9ZZ"


async def _add_refuge(c, token):
    manager = token("dartford", "team_manager", sub="dartford-tm")
    r = await c.post(
        "/catalogue/locations",
        json={
            "key": "dartford-refuge-house",
            "name": "Kent refuge house (invented)",
            "address_1": REFUGE_ADDRESS,
            "city": "Dartford",
            "postal_code": REFUGE_POSTCODE,
        },
        headers=manager,
    )
    assert r.status_code == 201, r.text
    # a public refuge service (vacancies published) whose location must stay hidden…
    r = await c.post(
        "/catalogue/services",
        json={
            "key": "kent-refuge-places",
            "name": "Refuge places in Kent (invented)",
            "taxonomy": ["refuge"],
            "location_keys": ["dartford-refuge-house"],
            "phones": [{"number": "0808 2000247"}],
        },
        headers=manager,
    )
    assert r.status_code == 201, r.text
    # …and a confidential service listed only for officers
    r = await c.post(
        "/catalogue/services",
        json={
            "key": "dartford-safe-house",
            "name": "Dartford Safe House Project (invented)",
            "taxonomy": ["refuge"],
            "location_keys": ["dartford-refuge-house"],
            "confidential": True,
        },
        headers=manager,
    )
    assert r.status_code == 201, r.text
    r = await c.put(
        "/catalogue/services/kent-refuge-places/capacity", json={"available": 2, "maximum": 6}, headers=manager
    )
    assert r.status_code == 200, r.text


async def _crawl(c) -> str:
    """Every anonymous response of every public endpoint, all pages, full views, every id."""
    seen: list[str] = []
    visited: set[tuple[str, str]] = set()
    for url in ("/", "/taxonomies", "/taxonomy_terms"):
        seen.append((await c.get(url)).text)
    for url, params in (
        ("/services", {"full": "true"}),
        ("/services", {}),
        ("/service_at_locations", {}),
        ("/organizations", {"full": "true"}),
        ("/organizations", {}),
    ):
        page = 1
        while True:
            r = await c.get(url, params={**params, "page": page, "per_page": 50})
            assert r.status_code == 200
            seen.append(r.text)
            body = r.json()
            for item in body["contents"]:
                if (url, item["id"]) in visited:
                    continue
                visited.add((url, item["id"]))
                detail = await c.get(f"{url}/{item['id']}", params={"full_service": "true"})
                assert detail.status_code == 200
                seen.append(detail.text)
            if body["last_page"]:
                break
            page += 1
    return "\n".join(seen)


@pytest.mark.rule("ag013.confidentiality")
async def test_an_anonymous_client_cannot_reach_any_confidential_field(start_service, token):
    c = await start_service("directory")
    await _add_refuge(c, token)
    officers = (await c.get("/officers", params={"purpose": "contact"}, headers=token("bexley", "dv_lead"))).json()
    assert len(officers) > 20
    secrets = {REFUGE_ADDRESS, REFUGE_POSTCODE, "Kent refuge house", "Dartford Safe House", "dartford-refuge-house"}
    for o in officers:
        secrets |= {o["key"], o["name"]} | {v for v in (o["email"], o["phone"]) if v}

    public = await _crawl(c)
    leaked = sorted(s for s in secrets if s.lower() in public.lower())
    assert leaked == []
    # the public refuge service is listed, with its vacancies, but no location at all
    assert "Refuge places in Kent" in public and '"available":2' in public
    places = (await c.get("/services", params={"search": "Refuge places in Kent", "full": "true"})).json()["contents"][
        0
    ]
    assert places["service_at_locations"] == []
    assert (await c.get("/catalogue/services/kent-refuge-places")).status_code == 401

    # every other route refuses anonymous callers; the runtime's own public routes leak nothing
    for route in c.app.routes:
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        if "GET" not in route.methods or any(re.search(p, path) for p in PUBLIC_PATHS):
            continue
        r = await c.get(path)
        owners = {getattr(h.fn, "__module__", "") for h in route.route_handlers}
        if any(o.startswith("haven_directory") for o in owners):
            assert r.status_code == 401, (route.path, r.status_code)
        else:  # the runtime's own routes (health, metrics, plugin list) must not leak either
            assert not [s for s in secrets if s.lower() in r.text.lower()], route.path


@pytest.mark.rule("ag013.confidentiality")
@BACKENDS
async def test_officers_of_partners_see_the_refuge_address_and_every_read_is_audited(start_service, token, on_app):
    c = await start_service("directory")
    await _add_refuge(c, token)
    reader = token("bromley", "options_officer", sub="bromley-officer-7")
    r = await c.get("/catalogue/services/dartford-safe-house", params={"purpose": "referral"}, headers=reader)
    assert r.status_code == 200, r.text
    address = r.json()["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"]) == (REFUGE_ADDRESS, REFUGE_POSTCODE)

    ctx = c.app.state["haven"]
    seen = await on_app(c, lambda: ctx.store.audit_writer.who_has_seen("service", "dartford-safe-house"))
    assert [(e.actor, e.actor_org, e.purpose) for e in seen if e.action == "read"] == [
        ("bromley-officer-7", "bromley", "referral")
    ]

    # no purpose, no read
    r = await c.get("/catalogue/services/dartford-safe-house", headers=reader)
    assert r.status_code == 400 and "purpose" in r.text
    # an organisation Haven has no partnership with is refused, without learning whether it exists
    outsider = token("not-a-partner", "dv_lead")
    for url in (
        "/catalogue/services/dartford-safe-house",
        "/catalogue/services/no-such-service",
        "/officers/bexley-dv-lead",
    ):
        r = await c.get(url, params={"purpose": "contact"}, headers=outsider)
        assert r.status_code == 403, url
    r = await c.get("/orgs/bexley/positions/dv_lead", params={"purpose": "contact"}, headers=outsider)
    assert r.status_code == 403


@pytest.mark.rule("ag013.confidentiality")
@BACKENDS
async def test_refuge_addresses_are_encrypted_at_rest(start_service, token, on_app):
    c = await start_service("directory")
    await _add_refuge(c, token)
    from haven_directory.tables import DirLocation

    row = await on_app(c, lambda: DirLocation.objects().where(DirLocation.key == "dartford-refuge-house").first())
    assert REFUGE_ADDRESS not in row.address_1 and row.address_1.startswith("v1:")
    assert REFUGE_POSTCODE not in (row.postal_code or "")
