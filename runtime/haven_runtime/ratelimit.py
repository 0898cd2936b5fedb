"""Rate limits on authentication failures and on list endpoints.

Two sliding windows per process:

* **authentication failures**, keyed by client address: after ``auth_failures`` bad or
  missing tokens within a minute the client's further bad tokens get 429 until the window
  clears. A valid token is never refused by this limit (many officers share one address
  behind a council's NAT).
* **list endpoints**, keyed by the signed-in officer (organisation and subject): a ``GET``
  whose path does not end in a record parameter (``/cases``, ``/cases/{ref}/consents``)
  is limited to ``list_requests`` a minute, so one account cannot page through a borough's
  caseload at machine speed.

Limits come from ``HAVEN_RATE_LIMIT_AUTH_FAILURES`` and ``HAVEN_RATE_LIMIT_LIST``
(requests per minute; 0 disables). Replicas each count their own traffic; put a shared
limiter at the proxy as well when running several. The client address is the socket peer,
or what a proxy listed in ``HAVEN_TRUSTED_PROXIES`` forwarded (``haven_runtime.forwarded``).
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import NoReturn

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.types import ASGIApp, Receive, Scope, Send

WINDOW_SECONDS = 60.0
MAX_KEYS = 50_000
_TRAILING_PARAM = re.compile(r"\{[^}]+\}/?$")


@dataclass
class SlidingWindow:
    """At most ``limit`` hits per ``window`` seconds per key; ``limit`` 0 means unlimited."""

    limit: int
    window: float = WINDOW_SECONDS
    _hits: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict)

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            if len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        self._hits.move_to_end(key)
        return hits

    def blocked(self, key: str, now: float | None = None) -> bool:
        if not self.limit:
            return False
        return len(self._recent(key, time.monotonic() if now is None else now)) >= self.limit

    def hit(self, key: str, now: float | None = None) -> bool:
        """Record a hit; False when it exceeds the limit (the hit is still counted)."""
        if not self.limit:
            return True
        now = time.monotonic() if now is None else now
        hits = self._recent(key, now)
        hits.append(now)
        return len(hits) <= self.limit

    def retry_after(self, key: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        if not hits:
            return 0
        return max(1, math.ceil(hits[0] + self.window - now))


@dataclass
class RateLimits:
    auth_failures: SlidingWindow
    lists: SlidingWindow

    @classmethod
    def from_settings(cls, settings) -> "RateLimits":
        return cls(
            auth_failures=SlidingWindow(getattr(settings, "rate_limit_auth_failures", 0)),
            lists=SlidingWindow(getattr(settings, "rate_limit_list", 0)),
        )


STATE_KEY = "haven_rate_limits"


def limits_of(connection: ASGIConnection) -> RateLimits | None:
    return connection.app.state.get(STATE_KEY)


def client_key(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def too_many(window: SlidingWindow, key: str, what: str) -> TooManyRequestsException:
    wait = window.retry_after(key)
    return TooManyRequestsException(
        detail=f"too many {what}; try again in {wait} s", headers={"Retry-After": str(wait)}
    )


def refuse_authentication(connection: ASGIConnection, reason: str) -> NoReturn:
    """A missing or invalid token: 401, or 429 once this client has failed too often.

    Only failures are counted, and only failures are refused: a valid token always passes.
    Officers behind one council NAT share an address, so one client sending stale tokens
    must not lock every colleague out."""
    limits = limits_of(connection)
    key = client_key(connection.scope)
    if limits and not limits.auth_failures.hit(key):
        raise too_many(limits.auth_failures, key, "failed sign-ins")
    raise NotAuthorizedException(reason)


def is_list_route(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    if handler is None or scope.get("method") != "GET":
        return False
    paths = getattr(handler, "paths", None) or {scope.get("path_template") or scope.get("path", "")}
    return not any(_TRAILING_PARAM.search(p) for p in paths)


class ListRateLimitMiddleware:
    """Counts list requests of each signed-in officer; 429 with ``Retry-After`` above the limit.

    Litestar builds one instance per route, so whether a handler lists is decided once per
    handler and remembered (it ran a regular expression on every request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._lists: dict[tuple[int, str], bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["app"].state.get(STATE_KEY) is not None:
            route = (id(scope.get("route_handler")), str(scope.get("method", "")))
            listing = self._lists.get(route)
            if listing is None:
                listing = self._lists[route] = is_list_route(scope)
            user = scope.get("user")
            if listing and hasattr(user, "org") and hasattr(user, "sub"):
                limits = scope["app"].state[STATE_KEY]
                key = f"{user.org}:{user.sub}"
                if not limits.lists.hit(key):
                    raise too_many(limits.lists, key, "list requests")
        await self.app(scope, receive, send)


# -- malformed bodies ---------------------------------------------------------------------

_BODY_PARSING = ("/litestar/_kwargs/", "/litestar/connection/", "/litestar/serialization/", "/msgspec/")


def _raised_while_reading_body(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if any(part in tb.tb_frame.f_code.co_filename for part in _BODY_PARSING):
            return True
        tb = tb.tb_next
    return False


def malformed_body_handlers(internal_error):
    """Exception handlers turning Litestar 2.25's unhandled body errors into 400.

    A body that is not UTF-8 raises ``UnicodeDecodeError`` and one nested thousands deep
    raises ``RecursionError`` inside the framework's body parsing, which Litestar answers
    with 500. Raised anywhere else, they are still server errors (``internal_error``).
    """
    from litestar import Request, Response

    from haven_runtime.errors import error_response, invalid

    def handler(request: Request, exc: Exception) -> Response:
        if not _raised_while_reading_body(exc):
            return internal_error(request, exc)
        reason = "not valid UTF-8" if isinstance(exc, UnicodeDecodeError) else "nested too deeply"
        return error_response(request, invalid("body", f"request body is {reason}"))

    return {UnicodeDecodeError: handler, RecursionError: handler}
