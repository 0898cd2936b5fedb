"""Officers' web pages: the shared layout, stylesheet, sign-in and safety controls.

Each service serves the pages for its own work from its own ``templates/`` folder, extending
``haven/base.html`` from here, so every page shares the GOV.UK Design System's styles and
components (the pattern council officers already know; vendored under ``static/govuk`` by
``assets-src/build.sh``, nothing fetched at run time), the navigation between services and
the "Exit this page" control. Pages are server-rendered forms that work without JavaScript;
scripts only enhance them.

Safety rules every page follows (issue: officers' web pages):
* no personal data in page titles or URLs (records are addressed by opaque references);
* ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer`` so nothing lingers in
  the browser's cache or leaks in a Referer header;
* a visible quick-exit control that replaces the current history entry.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from litestar import Response
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from haven_contracts.subjects import SERVICES
from haven_runtime.web.words import plain, when

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self' http://127.0.0.1:* http://localhost:*",
}


#: What every response carries, JSON or HTML, success or error: nothing personal may linger in
#: a shared computer's cache or be sniffed into another type.
EVERY_RESPONSE = {key: SECURITY_HEADERS[key] for key in ("Cache-Control", "Referrer-Policy", "X-Content-Type-Options")}
#: Paths whose responses may be cached (the shared stylesheet and script; no personal data).
CACHEABLE = ("/static/",)


def _encoded(headers: dict[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())


_EVERY_RESPONSE_RAW = _encoded(EVERY_RESPONSE)
_CACHEABLE_RAW = tuple(h for h in _EVERY_RESPONSE_RAW if h[0] != b"cache-control")
_HTML_RAW = _encoded(SECURITY_HEADERS)


async def security_headers_hook(message, scope) -> None:
    """``before_send`` hook of every app: the security headers on every response.

    Set at the app rather than per handler, so JSON answers carrying personal data, the
    printable options sheet, error pages and responses that handlers build themselves all
    get them. HTML additionally gets the content security policy and frame refusal. A
    handler's own value of a header wins. Works on the raw header list with the headers
    encoded once: it runs on every response.
    """
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or ())
    present = {name.lower() for name, _ in headers}
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html"):
        wanted = _HTML_RAW
    elif scope.get("path", "").startswith(CACHEABLE):
        wanted = _CACHEABLE_RAW
    else:
        wanted = _EVERY_RESPONSE_RAW
    headers.extend(h for h in wanted if h[0] not in present)
    message["headers"] = headers


def template_config(*service_template_dirs: Path) -> TemplateConfig:
    """Templates of a service first, then the shared layout, then the GOV.UK Frontend macros.

    The GOV.UK Design System's components come from ``govuk-frontend-jinja`` under the
    ``govuk_frontend_jinja/`` prefix, matching the vendored ``static/govuk`` assets' version.
    Every template has the ``plain`` and ``when`` filters and globals (:mod:`haven_runtime.web.words`).
    """
    loader = ChoiceLoader(
        [
            FileSystemLoader([*service_template_dirs, TEMPLATES]),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    environment = Environment(loader=loader, autoescape=True)
    # Plain words for every coded value a page prints (enum values, role ids, booleans): once, here
    environment.filters["plain"] = plain
    environment.globals["plain"] = plain
    # Dates and times in UK time, the same way on every page
    environment.filters["when"] = when
    environment.globals["when"] = when
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def static_router():
    return create_static_files_router(path="/static", directories=[STATIC], name="static", include_in_schema=False)


def service_links(settings) -> dict[str, str]:
    """Base URLs of the four services, for navigation between them."""
    return {name: f"http://{settings.host}:{settings.port(name)}" for name in SERVICES}


def with_security_headers(response: Response) -> Response:
    """Set the page headers on a page response (:func:`security_headers_hook` also guarantees them on every
    response)."""
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response
