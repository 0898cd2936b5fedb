"""Identity: signed bearer tokens with ``sub``, ``org`` and ``roles``; guards; the dev issuer.

Tokens are HS256 JWTs with a ``kid`` header naming the key that signed them, so keys can
rotate: the first key in ``HAVEN_TOKEN_KEYS`` signs, every listed key verifies. Tokens
expire (``exp``) and name their issuer. The development issuer (``haven token``) refuses
to run when ``HAVEN_ENV=production``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Literal, get_args

import jwt
import msgspec
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from haven_contracts.ids import is_org_id
from haven_runtime.settings import Settings, get_settings

Role = Literal[
    "options_officer",
    "dv_lead",
    "team_manager",
    "sanctuary_officer",
    "police_cpo",
    "reciprocal_coordinator",
    "named_lead",
    "subgroup_member",
    "integrator",
    "auditor",
    "admin",
    "operator",
]
ROLES: frozenset[str] = frozenset(get_args(Role))
SENIOR_ROLES: frozenset[str] = frozenset({"dv_lead", "team_manager", "admin"})
# ``admin`` administers its own organisation only; ``operator`` runs the deployment (dead
# letters, retention, the deployment-wide audit trail) and is the only role that sees or acts
# across organisations.
DEPLOYMENT_ROLE = "operator"
ALGORITHM = "HS256"


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """Who is calling: officer or client id, their organisation and their roles."""

    sub: str
    org: str
    roles: frozenset[str]

    @property
    def senior(self) -> bool:
        return bool(self.roles & SENIOR_ROLES)

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))

    @property
    def deployment_wide(self) -> bool:
        """An ``operator`` acts for the whole deployment; everyone else for their organisation."""
        return DEPLOYMENT_ROLE in self.roles


class TokenError(ValueError):
    pass


def issue_token(
    sub: str,
    org: str,
    roles: Iterable[str],
    *,
    settings: Settings | None = None,
    ttl_seconds: int | None = None,
    key: tuple[str, str] | None = None,
) -> str:
    """Sign a token. Validates the organisation id and every role."""
    settings = settings or get_settings()
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise TokenError(f"unknown role(s): {', '.join(unknown)}; expected {', '.join(sorted(ROLES))}")
    if not is_org_id(org):
        raise TokenError(f"invalid organisation id {org!r}")
    if settings.hosted_orgs is not None and org not in settings.hosted_orgs:
        raise TokenError(f"organisation {org} is not hosted by deployment {settings.deployment}")
    kid, secret = key or settings.signing_key()
    now = int(time.time())
    claims = {
        "sub": sub,
        "org": org,
        "roles": roles,
        "iat": now,
        "nbf": now - 5,
        "exp": now + (ttl_seconds or settings.token_ttl_seconds),
        "iss": settings.token_issuer,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM, headers={"kid": kid})


#: Tokens verified recently, so an officer's next request skips the JWT decode and HMAC
#: (≈ 40 % of an authenticated request's CPU). The key holds the token itself,
#: the verification keys and the issuer, so a rotated-out key or another issuer never
#: matches; the validity window is checked again on every hit.
_VERIFIED: dict[tuple, tuple[Principal, float, float]] = {}
_VERIFIED_MAX = 4096


def verify_token(token: str, settings: Settings | None = None, *, now: float | None = None) -> Principal:
    """The token's principal, or :class:`TokenError`. The validity window is checked against
    ``now`` (epoch seconds, default the current time) — one clock for the cache and the
    signature check, so tests move it instead of waiting."""
    settings = settings or get_settings()
    at = time.time() if now is None else now
    # what verification_keys() derives the keys from, not the derived dict: no allocation per request
    cache_key = (token, settings.token_keys, settings.development, settings.token_issuer, settings.hosted_orgs)
    hit = _VERIFIED.get(cache_key)
    if hit is not None:
        principal, not_before, expires = hit
        if not_before <= at < expires:
            return principal
        del _VERIFIED[cache_key]
    principal, not_before, expires = _verify(token, settings)
    if at >= expires:
        raise TokenError("Signature has expired")
    if at < not_before:
        raise TokenError("The token is not yet valid (nbf)")
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.pop(next(iter(_VERIFIED)))  # oldest first
    _VERIFIED[cache_key] = (principal, not_before, expires)
    return principal


def _verify(token: str, settings: Settings) -> tuple[Principal, float, float]:
    """Full verification: (principal, not-before, expiry) or :class:`TokenError`."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenError(f"malformed token: {exc}") from None
    keys = settings.verification_keys()
    secret = keys.get(header.get("kid", ""))
    if secret is None:
        raise TokenError("token signed with an unknown key")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=settings.token_issuer,
            # the window is checked by verify_token against its clock
            options={"require": ["exp", "iat", "sub", "iss"], "verify_exp": False, "verify_nbf": False},
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from None
    org, roles = claims.get("org"), claims.get("roles")
    if not isinstance(org, str) or not is_org_id(org):
        raise TokenError("token has no valid org claim")
    if not isinstance(roles, list) or not all(r in ROLES for r in roles):
        raise TokenError("token has invalid roles")
    if settings.hosted_orgs is not None and org not in settings.hosted_orgs:
        raise TokenError(f"organisation {org} is not hosted by deployment {settings.deployment}")
    principal = Principal(sub=str(claims["sub"]), org=org, roles=frozenset(roles))
    return principal, float(claims.get("nbf", float("-inf"))), float(claims["exp"])


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Every request outside the excluded (public) paths needs a valid bearer token → else 401."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        from haven_runtime.ratelimit import refuse_authentication

        # the raw header list, not ``connection.headers`` (which decodes every header): this
        # runs on every authenticated request
        header = next((v for k, v in connection.scope["headers"] if k.lower() == b"authorization"), b"").decode(
            "latin-1"
        )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            cookie = connection.cookies.get("haven_token")
            if not cookie:
                refuse_authentication(connection, "a bearer token is required")
            token = cookie
        state = connection.app.state
        settings = state["haven"].settings if "haven" in state else None
        try:
            principal = verify_token(token.strip(), settings)
        except TokenError as exc:
            refuse_authentication(connection, f"invalid token: {exc}")
        return AuthenticationResult(user=principal, auth=token)


def principal_of(connection: ASGIConnection) -> Principal:
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthorizedException("a bearer token is required")
    return user


def requires_roles(*roles: str):
    """Guard: the caller holds at least one of ``roles`` (``admin`` always passes)."""
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown roles in guard: {unknown}")
    wanted = frozenset(roles) | {"admin"}

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        # async: Litestar runs a sync guard in a worker thread, a thread hop per request
        if not principal_of(connection).has_any(wanted):
            raise PermissionDeniedException(f"requires one of the roles: {', '.join(sorted(roles))}")

    guard.__name__ = f"requires_roles({', '.join(roles)})"
    return guard


async def own_org_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard for routes with an ``{org}`` path parameter: callers act only for their own organisation."""
    org = connection.path_params.get("org")
    if org is not None and org != principal_of(connection).org:
        raise PermissionDeniedException("you may act only for your own organisation")


def require_same_org(principal: Principal, org: str) -> None:
    """Raise 403 when ``principal`` is not of ``org`` (say nothing about whether a record exists)."""
    if principal.org != org:
        raise PermissionDeniedException("not permitted")


def org_scope(principal: Principal) -> str | None:
    """The organisation a deployment-level action is limited to: the caller's own, or
    ``None`` (every hosted organisation) for an ``operator``."""
    return None if principal.deployment_wide else principal.org


def require_senior(principal: Principal) -> None:
    if not principal.senior:
        raise PermissionDeniedException("requires a senior role: dv_lead, team_manager or admin")
