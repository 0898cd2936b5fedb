"""Rate limiting on authentication and on list endpoints."""

from __future__ import annotations

from haven_runtime.ratelimit import SlidingWindow, is_list_route
from haven_runtime.testing import make_settings


def test_sliding_window_counts_per_key_and_forgets_after_the_window():
    w = SlidingWindow(limit=3, window=60)
    assert all(w.hit("a", now=t) for t in (0, 1, 2))
    assert not w.hit("a", now=3) and w.blocked("a", now=3)
    assert w.hit("b", now=3)
    assert w.retry_after("a", now=3) == 57
    assert not w.blocked("a", now=63.5)
    assert SlidingWindow(limit=0).hit("a") and not SlidingWindow(limit=0).blocked("a")


def test_list_routes_are_gets_not_ending_in_a_record_parameter():
    class H:
        def __init__(self, path):
            self.paths = {path}

    assert is_list_route({"method": "GET", "route_handler": H("/cases")})
    assert is_list_route({"method": "GET", "route_handler": H("/cases/{ref:str}/consents")})
    assert not is_list_route({"method": "GET", "route_handler": H("/cases/{ref:str}")})
    assert not is_list_route({"method": "POST", "route_handler": H("/cases")})


def test_limits_are_on_outside_test_mode_by_default(tmp_path):
    s = make_settings(tmp_path, "nats://x:1", HAVEN_ENV="development")
    assert (s.rate_limit_auth_failures, s.rate_limit_list) == (20, 120)


async def test_repeated_authentication_failures_get_429_but_a_good_token_still_passes(
    start_service, token, tmp_path, nats_server
):
    settings = make_settings(tmp_path / "rl", nats_server.url, HAVEN_RATE_LIMIT_AUTH_FAILURES="5")
    directory = await start_service("directory", settings=settings)
    path = "/orgs/bromley/positions/dv_lead?purpose=contact"
    statuses = [
        (await directory.get(path, headers={"Authorization": f"Bearer forged-{i}"})).status_code for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    blocked = await directory.get(path, headers={"Authorization": "Bearer forged-again"})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    good = await directory.get(path, headers=token("bromley", "dv_lead"))
    assert good.status_code == 200, "officers sharing the address are not locked out"
    assert (await directory.get("/health/live")).status_code == 200, "public endpoints stay reachable"


async def test_list_endpoints_are_limited_per_officer(start_service, token, tmp_path, nats_server):
    settings = make_settings(tmp_path / "rl", nats_server.url, HAVEN_RATE_LIMIT_LIST="4")
    options = await start_service("options", settings=settings)
    alice, bob = token("bromley", "dv_lead", sub="alice"), token("bromley", "dv_lead", sub="bob")
    statuses = [(await options.get("/jwa/inbox", headers=alice)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert (await options.get("/jwa/inbox", headers=bob)).status_code == 200, "each officer has their own allowance"
