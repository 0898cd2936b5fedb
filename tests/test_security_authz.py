"""Authorisation over every HTTP endpoint of every installed service ("Identity and
access"): "Every HTTP endpoint except health, API docs and the public directory tier
requires a token; no credentials → 401", and an officer acts only for their organisation.

Routes are enumerated from each app at run time, so endpoints added later are covered
without touching this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from haven_runtime.app import PUBLIC_PATHS
from haven_runtime.identity import ROLES, issue_token
from haven_runtime.serve import service_definitions
from haven_runtime.testing import sender_on
from haven_sanctuary.common import REFERRER_ROLES
from haven_sanctuary.forms import example_referral

SERVICES = sorted(service_definitions())
# Prometheus metrics carry no survivor data and are closed by HAVEN_METRICS_TOKEN when set.
ALWAYS_PUBLIC = [re.compile(p) for p in [*PUBLIC_PATHS, r"^/metrics$"]]
# Public by design; anything else public is a finding:
# * the directory's public HSDS tier;
# * each sanctuary scheme's published procedure (office hours, clocks, measures catalogue,
#   funding rules): "any organisation working with a person they deem suitable for sanctuary
#   measures can make a referral" (004_d4b796f614d2cfd3.txt, section 1), so referrers must
#   be able to read it without an account. It holds no record of any person.
PUBLIC_BY_DESIGN = {
    "directory": [
        re.compile(p)
        for p in (
            r"^/hsds(/|$)",
            r"^/public(/|$)",
            r"^/services(/|$)",
            r"^/organizations(/|$)",
            r"^/locations(/|$)",
            r"^/service_at_locations(/|$)",
            r"^/taxonomies(/|$)",
            r"^/taxonomy_terms(/|$)",
            r"^/$",
        )
    ],
    "sanctuary": [re.compile(r"^/schemes(/\{org:str\})?$")],
}
# Routes found public that the issue does not allow; reported, not silently accepted.
CALLER_ORG, OTHER_ORG = "bexley", "bromley"
SKIP_METHODS = {"OPTIONS", "HEAD"}


@dataclass(frozen=True)
class Endpoint:
    service: str
    method: str
    path: str  # Litestar template, e.g. /cases/{ref:str}

    def url(self, org: str = OTHER_ORG) -> str:
        def fill(match: re.Match) -> str:
            name, kind = match.group(1), match.group(2) or "str"
            if name == "org":
                return org
            return {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000", "date": "2026-01-05", "path": "x"}.get(
                kind, "NOPE-0000000000"
            )

        return re.sub(r"\{(\w+)(?::(\w+))?\}", fill, self.path)

    @property
    def has_org(self) -> bool:
        return "{org" in self.path


def endpoints(app: Litestar, service: str) -> list[Endpoint]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - SKIP_METHODS):
                found.append(Endpoint(service, method, route.path))
    return sorted(set(found), key=lambda e: (e.path, e.method))


def is_public(e: Endpoint) -> bool:
    return any(p.search(e.path) for p in ALWAYS_PUBLIC + PUBLIC_BY_DESIGN.get(e.service, []))


async def call(client, e: Endpoint, headers: dict[str, str] | None = None, org: str = OTHER_ORG):
    kwargs = {"headers": headers or {}, "follow_redirects": False}
    if e.method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    return await client.request(e.method, e.url(org), **kwargs)


@pytest.mark.parametrize("service", SERVICES)
async def test_anonymous_requests_get_401_except_the_public_allow_list(service, start_service):
    client = await start_service(service)
    unexpected = []
    checked = 0
    for e in endpoints(client.app, service):
        if e.method == "GET" and re.match(r"^/pages(/|$)", e.path):
            # officers' HTML pages are outside the bearer middleware and send strangers to sign in
            r = await call(client, e)
            if not (
                r.status_code in (401, 404)
                or (300 <= r.status_code < 400 and "/signin" in r.headers.get("location", ""))
            ):
                unexpected.append(f"{e.method} {e.path} -> {r.status_code} (expected a redirect to /signin)")
            continue
        if is_public(e):
            continue
        checked += 1
        r = await call(client, e)
        if r.status_code != 401:
            unexpected.append(f"{e.method} {e.path} -> {r.status_code}")
        for bad in ({"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YWRtaW46YWRtaW4="}):
            r = await call(client, e, bad)
            if r.status_code != 401:
                unexpected.append(f"{e.method} {e.path} with {bad['Authorization'][:6]}… -> {r.status_code}")
    assert checked or service == "directory", f"{service} exposes no protected endpoint?"
    assert not unexpected, "endpoints answering without valid credentials:\n" + "\n".join(unexpected)


@pytest.mark.parametrize("service", SERVICES)
async def test_public_endpoints_stay_public(service, start_service):
    """Health and the API description answer without a token (monitoring and integrators need them)."""
    client = await start_service(service)
    for path in ("/health/live", "/schema/openapi.json", "/-/plugins"):
        r = await client.get(path)
        assert r.status_code == 200, (path, r.status_code)


@pytest.mark.parametrize("service", SERVICES)
async def test_no_role_means_no_change(service, start_service, haven_settings):
    """A valid token carrying no role changes nothing anywhere: every state-changing call is refused."""
    client = await start_service(service)
    headers = {"Authorization": f"Bearer {issue_token('nobody', CALLER_ORG, [], settings=haven_settings)}"}
    allowed = []
    for e in endpoints(client.app, service):
        if e.method == "GET" or is_public(e):
            continue
        r = await call(client, e, headers, org=CALLER_ORG)
        if r.status_code < 300 or r.status_code >= 500:
            allowed.append(f"{e.method} {e.path} -> {r.status_code}: {r.text[:200]}")
    assert not allowed, "role-less token was not refused:\n" + "\n".join(allowed)


@pytest.mark.parametrize("service", SERVICES)
async def test_no_role_acts_for_another_organisation(service, start_service, haven_settings):
    """Every role of organisation A, on every endpoint scoped by ``{org}`` to organisation B:
    state changes are refused (403, or 404 that reveals nothing) and never succeed."""
    client = await start_service(service)
    scoped = [e for e in endpoints(client.app, service) if e.has_org and e.method != "GET" and not is_public(e)]
    allowed = []
    for role in sorted(ROLES - {"admin"}):
        headers = {"Authorization": f"Bearer {issue_token('officer-a', CALLER_ORG, [role], settings=haven_settings)}"}
        for e in scoped:
            r = await call(client, e, headers, org=OTHER_ORG)
            if r.status_code < 300 or r.status_code >= 500:
                allowed.append(f"{role}: {e.method} {e.url()} -> {r.status_code}")
    assert not allowed, "cross-organisation changes allowed:\n" + "\n".join(allowed)


@pytest.mark.parametrize("service", SERVICES)
async def test_forbidden_does_not_reveal_whether_a_record_exists(service, start_service, haven_settings):
    """For every ``{ref}`` endpoint an unknown reference and a wrong-organisation caller get
    the same kind of answer: the status never distinguishes 'exists elsewhere' from 'absent'
    by leaking a record body (2xx) or a server error (5xx)."""
    client = await start_service(service)
    headers = {
        "Authorization": "Bearer "
        f"{issue_token('officer-a', CALLER_ORG, sorted(ROLES - {'admin'}), settings=haven_settings)}"
    }
    leaks = []
    for e in endpoints(client.app, service):
        if "{ref" not in e.path or is_public(e):
            continue
        r = await call(client, e, headers, org=CALLER_ORG)
        if r.status_code < 300 or r.status_code >= 500:
            leaks.append(f"{e.method} {e.url(CALLER_ORG)} -> {r.status_code}: {r.text[:200]}")
    assert not leaks, "unknown references answered with data or an error:\n" + "\n".join(leaks)


def _harvest_refs(database_url: str, org: str) -> list[str]:
    """References of records ``org`` owns, read straight from the service's SQLite file."""
    import sqlite3

    conn = sqlite3.connect(f"file:{database_url.removeprefix('sqlite:///')}?mode=ro", uri=True)
    try:
        refs: list[str] = []
        tables = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type='table' and name not like 'haven_%' and name not like "
                "'sqlite_%'"
            )
        ]
        for table in tables:
            cols = [r[1] for r in conn.execute(f'pragma table_info("{table}")')]
            if "ref" in cols and "org" in cols:
                refs += [r[0] for r in conn.execute(f'select ref from "{table}" where org = ?', (org,))]
        return sorted(set(refs))
    finally:
        conn.close()


def _create_records(service, schema, send, headers) -> int:
    """Drive every creation endpoint (POST without path parameters) with schema-valid bodies."""
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hsettings

    created = 0
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() != "POST" or "{" in op.path:
            continue

        @hsettings(
            max_examples=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
        @given(op.as_strategy(headers=headers))
        def create(case):
            nonlocal created
            kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=headers)
            if send(kwargs).status_code in (200, 201):
                created += 1

        create()
    return created


# Services whose creation endpoints make records the caller's own organisation owns from
# generated bodies. A sanctuary referral belongs to the scheme it is made to, a reciprocal
# referral to the coordinator, a directory record to its seeded organisation: those services'
# records are created explicitly by test_every_route_every_role_both_organisations below.
GENERATED_RECORDS = ["options"]


@pytest.mark.parametrize("service", GENERATED_RECORDS)
async def test_records_of_one_organisation_are_invisible_to_another(service, start_service, haven_settings):
    """Every endpoint × every role × own / other organisation, on real records: records
    organisation A created (through the service's own API, with generated valid bodies) are
    read and changed by A, and refused to every role of organisation B — with the same status
    as for a record that does not exist, so the refusal reveals nothing."""
    import asyncio

    import schemathesis

    for other in SERVICES:
        if other != service:
            await start_service(other)
    client = await start_service(service)
    schema = schemathesis.openapi.from_dict((await client.get("/schema/openapi.json")).json())
    loop = asyncio.get_running_loop()

    send = sender_on(client, loop)

    every = sorted(ROLES - {"admin"})
    own = {"Authorization": f"Bearer {issue_token('officer-a', CALLER_ORG, every, settings=haven_settings)}"}
    await asyncio.to_thread(_create_records, service, schema, send, own)
    refs = _harvest_refs(haven_settings.database_url(service), CALLER_ORG)[:2]
    assert refs, f"no {CALLER_ORG} records could be created in {service} from generated bodies: the test proves nothing"
    ref_routes = [
        e
        for e in endpoints(client.app, service)
        if re.fullmatch(r".*\{ref(:str)?\}(/[a-z-]+)*", e.path) and e.path.count("{") == 1 and not is_public(e)
    ]
    leaks, own_reads = [], 0
    for role in every:
        other = {"Authorization": f"Bearer {issue_token('officer-b', OTHER_ORG, [role], settings=haven_settings)}"}
        for e in ref_routes:
            kwargs = {"json": {}} if e.method != "GET" else {}
            absent = await client.request(
                e.method, re.sub(r"\{ref(:str)?\}", "NOPE-0000000000", e.path), headers=other, **kwargs
            )
            for ref in refs:
                url = re.sub(r"\{ref(:str)?\}", ref, e.path)
                r = await client.request(e.method, url, headers=other, **kwargs)
                if r.status_code < 300 or r.status_code >= 500:
                    leaks.append(f"{OTHER_ORG}/{role}: {e.method} {url} -> {r.status_code} {r.text[:120]}")
                elif r.status_code != absent.status_code:
                    leaks.append(
                        f"{OTHER_ORG}/{role}: {e.method} {url} -> {r.status_code} but {absent.status_code} for an "
                        "absent record (reveals existence)"
                    )
    for e in ref_routes:
        if e.method == "GET":
            for ref in refs:
                own_reads += (await client.get(re.sub(r"\{ref(:str)?\}", ref, e.path), headers=own)).status_code == 200
    assert not leaks, f"{service}: another organisation reached {CALLER_ORG}'s records:\n" + "\n".join(leaks[:60])
    assert own_reads or not any(e.method == "GET" for e in ref_routes), (
        "the owner could read none of its own records: the test proves nothing"
    )


# -- authorisation findings, each reproduced against the real services -----------------------


def _auth(haven_settings, org: str, *roles: str, sub: str = "officer-x") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(sub, org, roles, settings=haven_settings)}"}


async def _audit_trail(client, entity: str, ref: str) -> list:
    """The audit entries of one record, read on the app's own loop."""
    import asyncio

    ctx = client.app.state["haven"]

    async def read():
        return await ctx.store.audit_writer.who_has_seen(entity, ref)

    return await asyncio.to_thread(client.blocking_portal.call, read)


async def test_an_admin_cannot_rewrite_another_organisations_directory(start_service, haven_settings):
    """A Bromley admin changes none of Bexley's officers, services or
    organisation entry (403, each refusal audited); Bexley's own seniors still can."""
    directory = await start_service("directory")
    bromley_admin = _auth(haven_settings, "bromley", "admin", sub="bromley-admin-1")
    attempts = [
        ("/officers/bexley-dv-lead", {"job_title": "rewritten"}, "officer", "bexley-dv-lead"),
        ("/catalogue/services/bexley-bobby-van", {"fees": "rewritten"}, "service", "bexley-bobby-van"),
        ("/catalogue/organisations/bexley", {"description": "rewritten"}, "organisation", "bexley"),
    ]
    for url, body, entity, key in attempts:
        r = await directory.patch(url, json=body, headers=bromley_admin)
        assert r.status_code == 403, (url, r.status_code, r.text)
        refused = [e for e in await _audit_trail(directory, entity, key) if e.action == "update_refused"]
        assert [(e.actor, e.actor_org, e.entity_org) for e in refused] == [("bromley-admin-1", "bromley", "bexley")], (
            url
        )
    r = await directory.put(
        "/catalogue/services/bexley-bobby-van/capacity", json={"available": 0}, headers=bromley_admin
    )
    assert r.status_code == 403
    for url, body, _, _ in attempts:
        for role in ("admin", "dv_lead", "team_manager"):
            r = await directory.patch(url, json=body, headers=_auth(haven_settings, "bexley", role))
            assert r.status_code == 200, (role, url, r.text)
    r = await directory.patch(
        "/officers/bexley-dv-lead", json={"job_title": "x"}, headers=_auth(haven_settings, "bexley", "options_officer")
    )
    assert r.status_code == 403


async def test_retention_erase_and_the_audit_trail_are_scoped_to_the_callers_organisation(
    start_service, haven_settings
):
    """An admin reads its own organisation's entries only;
    the ``operator`` reads the deployment's. Dead letters and retention are covered in
    ``test_failure_bus.py`` and each service's ``test_retention.py``."""
    directory = await start_service("directory")
    for org in ("bexley", "bromley"):
        r = await directory.get(
            "/orgs/bromley/positions/dv_lead",
            params={"purpose": "contact"},
            headers=_auth(haven_settings, org, "dv_lead", sub=f"{org}-reader"),
        )
        assert r.status_code == 200, r.text
    query = {"entity": "position", "ref": "bromley:dv_lead"}
    lewisham = await directory.get("/-/audit", params=query, headers=_auth(haven_settings, "lewisham", "admin"))
    assert lewisham.status_code == 200 and lewisham.json() == []
    bexley = await directory.get("/-/audit", params=query, headers=_auth(haven_settings, "bexley", "admin"))
    assert [e["actor"] for e in bexley.json()] == ["bexley-reader"]
    operator = await directory.get("/-/audit", params=query, headers=_auth(haven_settings, "lewisham", "operator"))
    assert [e["actor"] for e in operator.json()] == ["bexley-reader", "bromley-reader"]


# -- every route × both organisations × every role -----------------------
#
# Each service's OpenAPI lists its routes; every route must have an entry here saying which
# roles may get a 2xx from it and for whom. Each route is then called with a one-role token
# of the owning organisation and of another organisation, for every role (and with none), on
# the owner's real records where the route names one. A 2xx the entry does not allow is an
# unauthorised success and fails the test; so does a route with no entry, or an entry whose
# route is gone.

ALL = frozenset(ROLES)
ANY = ALL | {None}  # any valid token, even one carrying no role
OFFICERS = frozenset({"options_officer", "dv_lead", "team_manager", "admin"})
SENIORS = frozenset({"dv_lead", "team_manager", "admin"})
AUDIT = frozenset({"auditor", "admin", "operator"})
DEPLOYMENT = frozenset({"admin", "operator"})  # admin for its own organisation, operator for all
COORDINATOR = frozenset({"reciprocal_coordinator", "admin"})
SANCTUARY = frozenset({"sanctuary_officer", "admin"})
POLICE = SANCTUARY | {"police_cpo"}
REFERRERS = frozenset(REFERRER_ROLES) | {"admin"}


@dataclass(frozen=True)
class Rule:
    """Who may succeed on a route. ``scope``:

    * ``public`` — anyone, without a token (health, API description, the public directory);
    * ``caller`` — any organisation: the answer is about the caller's own organisation (its
      lists, its retention run, its audit entries) or is partner information shared with
      every partner (the confidential directory, scheme membership);
    * ``owner`` — only the organisation that owns the record (or the ``{org}``/``{scheme}``)
      in the path.
    """

    roles: frozenset
    scope: str

    def allows(self, role: str | None, org: str, owner: str) -> bool:
        if self.scope == "public":
            return True
        return role in self.roles and (self.scope == "caller" or org == owner)


def public() -> Rule:
    return Rule(ANY, "public")


def caller(*roles) -> Rule:
    return Rule(_roles(roles), "caller")


def owner(*roles) -> Rule:
    return Rule(_roles(roles), "owner")


def _roles(items) -> frozenset:
    out: set = set()
    for item in items:
        out |= {item} if isinstance(item, str) or item is None else set(item)
    return frozenset(out)


def _same(rule: Rule, *routes: str) -> dict[tuple[str, str], Rule]:
    return {tuple(r.split(" ", 1)): rule for r in routes}


COMMON = {
    **_same(public(), "GET /health/live", "GET /health/ready", "GET /-/plugins"),
    **_same(caller(AUDIT), "GET /-/audit", "GET /-/dead-letters"),
}
MATRIX: dict[str, dict[tuple[str, str], Rule]] = {
    "directory": {
        **_same(
            public(),
            "GET /",
            "GET /hsds/openapi.json",
            "GET /organizations",
            "GET /organizations/{organization_id}",
            "GET /services",
            "GET /services/{service_id}",
            "GET /service_at_locations",
            "GET /service_at_locations/{sal_id}",
            "GET /taxonomies",
            "GET /taxonomies/{taxonomy_id}",
            "GET /taxonomy_terms",
            "GET /taxonomy_terms/{term_id}",
        ),
        # the confidential tier is open to every partner organisation's officers
        **_same(
            caller(ANY),
            "GET /orgs/{org}/positions/{position}",
            "GET /orgs/{org}/positions/{position}/history",
            "GET /officers",
            "GET /officers/{key}",
            "GET /officers/{key}/history",
            "GET /catalogue/services",
            "GET /catalogue/services/{ident}",
            "GET /catalogue/services/{ident}/history",
            "GET /catalogue/forums",
        ),
        # additions are made for the caller's own organisation
        **_same(caller(SENIORS), "POST /officers", "POST /catalogue/services", "POST /catalogue/locations"),
        **_same(
            owner(SENIORS),
            "PUT /orgs/{org}/positions/{position}",
            "DELETE /orgs/{org}/positions/{position}/{officer_key}",
            "PATCH /officers/{key}",
            "PATCH /catalogue/services/{ident}",
            "PATCH /catalogue/organisations/{key}",
        ),
        **_same(owner(SENIORS, "reciprocal_coordinator", "integrator"), "PUT /catalogue/services/{ident}/capacity"),
    },
    "options": {
        **_same(
            caller(OFFICERS),
            "GET /cases",
            "POST /cases",
            "GET /jwa/inbox",
            "GET /jwa/information-requests",
            "POST /jwa/information-requests",
            "GET /jwa/notifications",
            "POST /jwa/notifications",
            "POST /jwa/disputes",
            "GET /emergency-accommodation",
        ),
        **_same(caller(OFFICERS, "subgroup_member"), "GET /jwa/disputes"),
        **_same(caller(ANY), "GET /dash/risk-factors"),
        **_same(caller("subgroup_member", "dv_lead", "team_manager", "auditor", "admin"), "GET /monitoring/jwa"),
        **_same(caller(DEPLOYMENT), "POST /admin/retention/erase"),
        **_same(
            owner(OFFICERS),
            "GET /cases/{ref}",
            "POST /cases/{ref}/close",
            "POST /cases/{ref}/interview",
            "PUT /cases/{ref}/address",
            "POST /cases/{ref}/duties/relief",
            "POST /cases/{ref}/local-connection-referral",
            "GET /cases/{ref}/temporary-accommodation",
            "POST /cases/{ref}/temporary-accommodation",
            "POST /cases/{ref}/temporary-accommodation/{booking}/extend",
            "POST /cases/{ref}/temporary-accommodation/{booking}/end",
            "GET /cases/{ref}/risk-assessments",
            "POST /cases/{ref}/risk-assessments",
            "POST /cases/{ref}/marac-referral",
            "GET /cases/{ref}/advice",
            "GET /cases/{ref}/options",
            "POST /cases/{ref}/options/offer",
            "POST /cases/{ref}/options/{option_id}/decision",
            "GET /cases/{ref}/sheets",
            "POST /cases/{ref}/sheets",
            "GET /cases/{ref}/sheets/{version}",
            "GET /cases/{ref}/consents",
            "POST /cases/{ref}/consents",
            "POST /cases/{ref}/safeguarding-overrides",
            "POST /cases/{ref}/consents/{consent_ref}/withdraw",
            "GET /jwa/inbox/{ref}",
            "POST /jwa/inbox/{ref}/acknowledge",
            "GET /jwa/information-requests/{ref}",
            "POST /jwa/information-requests/{ref}/respond",
            "POST /jwa/information-requests/{ref}/identify",
            "GET /cases/{ref}/arrears-decision",
            "POST /cases/{ref}/arrears-decision",
            "GET /cases/{ref}/duty-accepted",
            "POST /cases/{ref}/duty-accepted",
            "GET /cases/{ref}/interview/match",
            "POST /cases/{ref}/interview/match",
            "POST /cases/{ref}/options/{option_id}/referral-completed",
            "GET /emergency-accommodation/{ref}",
            "POST /emergency-accommodation/{ref}/arranged",
            "POST /emergency-accommodation/{ref}/return-safe",
            "GET /cases/{ref}/referrals",
            "POST /cases/{ref}/referrals/{referral_ref}/completed",
        ),
        **_same(caller("dv_lead", "team_manager", "auditor", "admin"), "GET /monitoring/interviewer-requests"),
        **_same(
            owner(OFFICERS, "subgroup_member"),
            "POST /jwa/disputes/{ref}/escalate",
            "POST /jwa/disputes/{ref}/resolve",
            "POST /jwa/disputes/{ref}/tabled",
        ),
    },
    "sanctuary": {
        # a scheme's published procedure (see PUBLIC_BY_DESIGN)
        **_same(public(), "GET /schemes", "GET /schemes/{org}"),
        **_same(caller(REFERRERS), "POST /referrals", "GET /referrals/submitted"),
        **_same(caller(SANCTUARY, "auditor"), "GET /referrals"),
        **_same(caller(SANCTUARY, "auditor", "team_manager"), "GET /reports/funding"),
        **_same(caller(DEPLOYMENT), "POST /admin/retention/erase"),
        # the status view carries no personal data: the scheme and the referrer see it
        **_same(owner(ANY), "GET /referrals/{ref}/status"),
        **_same(owner(SANCTUARY, "auditor"), "GET /referrals/{ref}/history"),
        **_same(
            owner(POLICE),
            "GET /referrals/{ref}/inspection/visit",
            "POST /referrals/{ref}/inspection/booking",
            "POST /referrals/{ref}/inspection/recommendations",
        ),
        **_same(
            owner(SANCTUARY),
            "GET /referrals/{ref}",
            "POST /referrals/{ref}/close",
            "POST /referrals/{ref}/details/fetch",
            "POST /referrals/{ref}/eligibility/decide",
            "POST /referrals/{ref}/landlord-permission",
            "GET /referrals/{ref}/criteria",
            "PUT /referrals/{ref}/criteria/{key}",
            "POST /referrals/{ref}/inspection/request",
            "POST /referrals/{ref}/works",
            "POST /referrals/{ref}/works/complete",
            "POST /referrals/{ref}/funding/landlord",
            "POST /referrals/{ref}/survey",
        ),
    },
    "reciprocal": {
        # which reciprocals run here and who has signed them is shared with every partner;
        # the lists answer with the caller's own referrals, properties, conflicts, invitations
        **_same(
            caller(ANY),
            "GET /schemes",
            "GET /schemes/{scheme}/partners",
            "GET /schemes/{scheme}/panel-invitations",
            "GET /referrals",
            "GET /properties",
            "GET /conflicts",
            "GET /incoming-referrals",
        ),
        **_same(caller(ALL), "POST /properties", "POST /conflicts"),
        **_same(caller(DEPLOYMENT), "POST /admin/retention/erase"),
        **_same(
            owner(COORDINATOR),
            "POST /schemes/{scheme}/partners",
            "POST /schemes/{scheme}/partners/{org}/named-leads",
            "POST /schemes/{scheme}/partners/{org}/named-leads/{officer_id}/end",
            "POST /schemes/{scheme}/partners/{org}/panel-invitations",
            "POST /referrals",
            "GET /referrals/stuck",
            "GET /matching/proposals",
            "POST /matching/run",
            "POST /matching/proposals/{ref}/confirm",
            "POST /matching/proposals/{ref}/reject",
            "POST /incoming-referrals/{ref}/take-up",
        ),
        # the coordinator, or the partner itself, keeps the areas where the partner holds stock
        **_same(
            owner(ALL),
            "GET /schemes/{scheme}/partners/{org}/stock-areas",
            "PUT /schemes/{scheme}/partners/{org}/stock-areas",
        ),
        **_same(
            owner(COORDINATOR, "auditor"),
            "GET /schemes/{scheme}/ledger",
            "GET /schemes/{scheme}/ledger/history",
            "GET /schemes/{scheme}/ledger/quarters/{label}",
            "GET /schemes/{scheme}/ledger/previous-tenancies",
            "GET /schemes/{scheme}/report",
        ),
        # a referral's coordinator and involved partners act on it; an uninvolved organisation never does
        **_same(
            owner(ALL),
            "GET /referrals/{ref}",
            "GET /referrals/{ref}/identity",
            "POST /referrals/{ref}/accept",
            "POST /referrals/{ref}/offer",
            "POST /referrals/{ref}/decline",
            "POST /referrals/{ref}/duty-of-care",
            "POST /referrals/{ref}/move",
            "POST /referrals/{ref}/previous-tenancy-ended",
            "POST /referrals/{ref}/signoff-request",
            "POST /referrals/{ref}/signoff",
            "POST /referrals/{ref}/support",
            "POST /referrals/{ref}/withdraw",
            "POST /properties/{ref}/withdraw",
            "POST /conflicts/{ref}/escalate",
            "POST /conflicts/{ref}/notes",
            "GET /conflicts/{ref}",
            "POST /conflicts/{ref}/resolve",
        ),
    },
}
OWNERS = {
    "options": "bexley",
    "sanctuary": "dartford",
    "directory": "bexley",
    "reciprocal": "cambridgeshire-da-services",
}
# the sanctuary referral is made by bexley (which sees its status), so "another organisation" is bromley
OTHERS = {"options": "bromley", "sanctuary": "bromley", "directory": "bromley", "reciprocal": "bexley"}


async def _seed(service: str, client, haven_settings) -> dict[str, str]:
    """Real records of the owning organisation, created through the API; path values by name."""
    own = OWNERS[service]
    values = {
        "org": own,
        "scheme": own,
        "position": "dv_lead",
        "key": "bexley-dv-lead",
        "ident": "bexley-bobby-van",
        "officer_key": "bexley-dv-lead",
        "label": "2026-Q4",
        "version": "1",
    }
    if service == "options":
        person = {"name": "Jo Invented-Example", "date_of_birth": "1990-02-03", "address": "12 Nowhere Lane, Testville"}
        r = await client.post(
            "/cases",
            json={"person": person, "channel": "reception", "tenure": "council_secure"},
            headers=_auth(haven_settings, own, "options_officer"),
        )
        assert r.status_code == 201, r.text
        values["ref"] = r.json()["ref"]
    if service == "sanctuary":
        form = example_referral(scheme=own)
        r = await client.post("/referrals", json=form, headers=_auth(haven_settings, "bexley", "options_officer"))
        assert r.status_code == 201, r.text
        values["ref"] = r.json()["ref"]
        r = await client.post(
            f"/referrals/{values['ref']}/inspection/request",
            json={},
            headers=_auth(haven_settings, own, "sanctuary_officer"),
        )
        assert r.status_code == 200, r.text
    if service == "reciprocal":
        coordinator = _auth(haven_settings, own, "reciprocal_coordinator")
        r = await client.post(
            f"/schemes/{own}/partners",
            headers=coordinator,
            json={
                "org": "fenland",
                "signed_on": "2026-10-01",
                "partner_signatory": "Director of Housing, fenland",
                "coordinator_signatory": "Service Manager, Cambridgeshire Specialist DA Services",
            },
        )
        assert r.status_code == 201, r.text
        r = await client.post(
            "/referrals",
            headers=coordinator,
            json={
                "referring_partner": "fenland",
                "remit_explained_on": "2026-10-20",
                "abuse_category": "domestic_violence",
                "tenancy": "social",
                "current_area": "fenland",
                "bedrooms": 2,
                "unsafe_areas": ["fenland"],
                "preferred_areas": ["cambridge"],
                "household": {
                    "lead_name": "Jo Invented-Example",
                    "contact": "07700 900123",
                    "current_address": "1 Example Road, Fenland",
                },
            },
        )
        assert r.status_code == 201, r.text
        values["ref"] = r.json()["referral_ref"]
    return values


def _fill(path: str, values: dict[str, str]) -> str:
    if path.startswith("/catalogue/organisations/"):
        values = values | {"key": values["org"]}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "NOPE-0000000000"), path)


QUERY = {
    "purpose": "casework",
    "entity": "case",
    "ref": "NOPE-0000000000",
    "from": "2026-01-01T00:00:00Z",
    "to": "2026-12-31T00:00:00Z",
}


@pytest.mark.parametrize("service", SERVICES)
async def test_every_route_every_role_both_organisations(service, start_service, haven_settings):
    client = await start_service(service)
    schema = (await client.get("/schema/openapi.json")).json()
    routes = sorted(
        (m.upper(), p)
        for p, item in schema["paths"].items()
        for m in item
        if m in ("get", "post", "put", "patch", "delete")
    )
    matrix = COMMON | MATRIX.get(service, {})
    missing = [r for r in routes if r not in matrix]
    stale = [r for r in matrix if r not in routes]
    values = await _seed(service, client, haven_settings)
    own, other = OWNERS[service], OTHERS[service]
    unauthorised, successes = [], 0
    for method, path in routes:
        rule = matrix.get((method, path), Rule(frozenset(), "owner"))
        url = _fill(path, values)
        for org in (own, other):
            for role in [None, *sorted(ROLES)]:
                headers = _auth(haven_settings, org, *([role] if role else []), sub=f"{org}-{role}")
                kwargs = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
                r = await client.request(
                    method, url, params=QUERY if method == "GET" else None, headers=headers, **kwargs
                )
                if r.status_code < 300:
                    successes += 1
                    if not rule.allows(role, org, own):
                        unauthorised.append(f"{org}/{role}: {method} {url} -> {r.status_code} {r.text[:100]}")
    assert not missing, f"{service}: routes with no entry in the authorisation matrix:\n" + "\n".join(
        f"{m} {p}" for m, p in missing
    )
    assert not stale, f"{service}: matrix entries for routes that no longer exist: {stale}"
    assert not unauthorised, f"{service}: {len(unauthorised)} unauthorised successes:\n" + "\n".join(unauthorised)
    assert successes, "nothing succeeded for anyone: the test proves nothing"
