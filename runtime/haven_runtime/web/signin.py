"""Sign-in and sign-out pages shared by every service.

Browsers carry the bearer token in an ``HttpOnly``, ``SameSite=Strict`` cookie
(``haven_token``) which the bearer middleware accepts; ``SameSite=Strict`` keeps other
sites from riding on it, and ``Secure`` is set whenever the page was served over HTTPS. In development the form issues a
development token; in production the form explains that sign-in comes from the organisation's identity provider
(the development issuer cannot be enabled there).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.types import AfterRequestHookHandler

from haven_runtime.context import ServiceContext
from haven_runtime.identity import ROLES, TokenError, issue_token
from haven_runtime.web import service_links, with_security_headers
from haven_runtime.web.words import plain_text

COOKIE = "haven_token"


def page_context(ctx: ServiceContext, request: Request, **extra) -> dict:
    """What every page template needs: links between services, the caller, the service."""
    user = request.scope.get("user")
    names = {o.id: o.name for o in ctx.plugins.organisations()}
    return {
        "links": service_links(ctx.settings),
        "principal": user,
        "service": ctx.service,
        "can": pages_for(user),
        "org_name": lambda org: names.get(org, org) if org else "",
        **extra,
    }


#: Which roles can use each area of the pages (what their APIs allow); links are shown only to them.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "cases": frozenset({"options_officer", "dv_lead", "team_manager"}),
    "jwa": frozenset({"options_officer", "dv_lead", "team_manager"}),
    "monitoring": frozenset({"subgroup_member", "dv_lead", "team_manager", "auditor"}),
    "disputes": frozenset({"dv_lead", "team_manager", "subgroup_member"}),
    # every role that refers to a scheme or reads referrals: all but the sub-group and deployment roles
    "sanctuary": ROLES - {"subgroup_member", "admin", "operator"},
    "sanctuary_board": frozenset({"sanctuary_officer", "auditor"}),
    "reciprocal": frozenset({"reciprocal_coordinator", "named_lead", "auditor"}),
    "directory": frozenset(ROLES),
}


def pages_for(principal) -> dict[str, bool]:
    """``{area: True}`` for each area of the pages ``principal``'s roles can use (none when signed out)."""
    roles = set(getattr(principal, "roles", None) or ())
    return {area: bool(roles & allowed) for area, allowed in PAGE_ROLES.items()}


def sign_in_page(request: Request, *, status_code: int = 200) -> Template:
    ctx = request.app.state["haven"]
    return Template(
        "haven/signin.html",
        status_code=status_code,
        context=page_context(
            ctx,
            request,
            development=ctx.settings.development,
            organisations=ctx.plugins.organisations(),
            roles=sorted(ROLES),
            chosen=["options_officer"],
            org=None,
            sub=None,
            error=None,
        ),
    )


class SignInController(Controller):
    path = "/signin"
    include_in_schema = False
    after_request: AfterRequestHookHandler | None = with_security_headers

    @get("")
    async def form(self, request: Request) -> Template:
        return sign_in_page(request)

    @post("", status_code=303)
    async def submit(
        self,
        request: Request,
        ctx: ServiceContext,
        data: Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        if not ctx.settings.development:
            return Redirect("/signin", status_code=303)
        roles = data.get("roles", [])
        roles = [roles] if isinstance(roles, str) else list(roles)
        org = str(data.get("org", ""))
        sub = str(data.get("sub", "")).strip() or "officer-1"
        try:
            token = issue_token(sub, org, roles, settings=ctx.settings)
        except TokenError as exc:
            return Template(
                "haven/signin.html",
                status_code=400,
                context=page_context(
                    ctx,
                    request,
                    development=True,
                    organisations=ctx.plugins.organisations(),
                    roles=sorted(ROLES),
                    chosen=roles,
                    org=org,
                    sub=sub,
                    error=plain_text(f"roles: {exc}") if roles else "roles: choose at least one role",
                ),
            )
        start = "/" if ctx.service == "options" else service_links(ctx.settings)["options"] + "/"
        response = Redirect(start, status_code=303)
        # Secure whenever the officer reached us over HTTPS (directly, or via a trusted proxy's
        # X-Forwarded-Proto): the token must never travel back over plain HTTP
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="strict",
            path="/",
            max_age=ctx.settings.token_ttl_seconds,
            secure=request.url.scheme == "https",
        )
        return response


class SignOutController(Controller):
    path = "/signout"
    include_in_schema = False
    after_request: AfterRequestHookHandler | None = with_security_headers

    @post("", status_code=303)
    async def signout(self) -> Redirect:
        response = Redirect("/signin", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
