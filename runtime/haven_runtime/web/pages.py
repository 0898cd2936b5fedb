"""What every service's page controllers share: cookie sign-in, security headers, form parsing.

Pages keep form parsing and rendering only: a page controller reads the form into the same
body struct the JSON API takes (:func:`parse`), checks the same roles (:func:`require_roles`)
and calls the same domain functions the API controllers call, inside :func:`refusals`, so the
rules, validation and audit are the API's without going back through HTTP. A refusal becomes
an :class:`ApiError` whose ``{field: message}`` lets the form be shown again with what the
officer typed and the message next to the field. No page calls an API over HTTP, its own or
another service's.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, Response
from litestar.response import Redirect, Template
from litestar.types import AfterRequestHookHandler, BeforeRequestHookHandler

from haven_runtime.identity import Principal, TokenError, verify_token
from haven_runtime.web import with_security_headers
from haven_runtime.web.signin import COOKIE, page_context, sign_in_page
from haven_runtime.web.words import plain_text


def cookie_principal(request: Request) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return verify_token(token, request.app.state["haven"].settings)
    except TokenError:
        return None


async def _require_sign_in(request: Request) -> Response | None:
    """The start page sends strangers to /signin; any other page answers 401 with the sign-in form."""
    principal = cookie_principal(request)
    if principal is None:
        if request.url.path == "/":
            return Redirect("/signin", status_code=303)
        return with_security_headers(sign_in_page(request, status_code=401))
    request.scope["user"] = principal
    return None


def _headers(response: Response) -> Response:
    return with_security_headers(response)


_PLAIN = [
    (re.compile(r"^Expected `str` matching regex"), "is not in the expected format"),
    (re.compile(r"^Expected `str` of length >= 1\b"), "is required"),
    (re.compile(r"^Expected `str` of length >= (\d+)"), r"must be at least \1 characters"),
    (re.compile(r"^Expected `str` of length <= (\d+)"), r"must be at most \1 characters"),
    (re.compile(r"^Expected `int`, got"), "must be a whole number"),
    (re.compile(r"^Expected `int` >= (-?\d+)"), r"must be \1 or more"),
    (re.compile(r"^Expected `int` <= (-?\d+)"), r"must be \1 or less"),
    (re.compile(r"^Invalid enum value ''"), "choose one"),
    (re.compile(r"^Invalid enum value"), "is not one of the choices"),
    (re.compile(r"^Expected `date`"), "must be a date"),
    (re.compile(r"^Expected `datetime`"), "must be a date and time"),
    (re.compile(r"^Expected `array` of length >= 1"), "choose at least one"),
    (re.compile(r"^Object missing required field"), "is required"),
]


def plain(message: str) -> str:
    """The API's validation message in words an officer can act on."""
    message = message.split(" - at `", 1)[0]
    for pattern, replacement in _PLAIN:
        if pattern.search(message):
            return pattern.sub(replacement, message) if "\\" in replacement else replacement
    return message


class ApiError(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body

    @property
    def detail(self) -> str:
        if isinstance(self.body, dict):
            return str(self.body.get("detail", ""))
        return str(self.body)

    @property
    def message(self) -> str:
        """The API's reason in words an officer reads: codes in plain words, a refusal said as such."""
        reason = plain_text(self.detail)
        if self.status in (401, 403):
            return (
                f"You cannot see this or do this with your roles ({reason})."
                if reason
                else "You cannot see this or do this with your roles."
            )
        return reason

    def field_errors(self) -> dict[str, str]:
        """``{field: message}`` from the API's error body; unattributed messages under ``_``."""
        errors: dict[str, str] = {}
        extra = self.body.get("extra") if isinstance(self.body, dict) else None
        if isinstance(extra, list):
            for item in extra:
                if isinstance(item, dict) and item.get("message"):
                    key = str(item.get("key") or "_").removeprefix("$.")
                    errors.setdefault(key, plain_text(plain(str(item["message"]))))
        if not errors:
            detail = self.detail
            field, sep, message = detail.partition(": ")
            if sep and " " not in field and self.status not in (401, 403):
                errors[field] = plain_text(message)
            else:
                errors["_"] = self.message or f"request refused ({self.status})"
        return errors


def _refused(request: Request, exc: ApiError) -> Response:
    """An action the API refused, outside a form: its reason on a page, same status."""
    status = exc.status if exc.status < 500 else 500
    reason = exc.message if exc.status < 500 else "Something went wrong; nothing was changed."
    context = page_context(request.app.state["haven"], request, reason=reason, status=status)
    return with_security_headers(Template("haven/error.html", status_code=status, context=context))


class PageController(Controller):
    """Base for page controllers: signed-in officers only (else to /signin), no caching, no schema."""

    include_in_schema = False
    before_request: BeforeRequestHookHandler | None = _require_sign_in
    after_request: AfterRequestHookHandler | None = _headers
    exception_handlers = {ApiError: _refused}


def page(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Template:
    ctx = request.app.state["haven"]
    return Template(template, context=page_context(ctx, request, **context), status_code=status_code)


def see_other(path: str) -> Redirect:
    return Redirect(path, status_code=303)


def form_value(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if isinstance(value, list):
        value = value[-1] if value else default
    return str(value).strip()


def form_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def form_date(data: dict[str, Any], key: str) -> str:
    """A date from GOV.UK day / month / year boxes (``<key>-day`` …) as ``YYYY-MM-DD``, or the single field ``key``.

    What cannot be a date is passed on as typed (``31-2-1990``), so the API names the field.
    """
    day, month, year = (form_value(data, f"{key}-{part}") for part in ("day", "month", "year"))
    if not (day or month or year):
        return form_value(data, key)
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"
