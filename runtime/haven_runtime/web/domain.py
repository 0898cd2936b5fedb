"""Pages that call their service's domain functions directly, not their own API over HTTP.

A page controller parses the form into the same typed body the API takes
(:func:`parse`), calls the same domain function the API controller calls with the signed-in
officer as principal (:func:`attempt`), and renders the result. Every answer a domain
function or the body's validation can give — a refusal (403/404), a step the record's state
does not allow (409) or input naming a field (400/422), raised as
:class:`~haven_runtime.errors.HavenError` — comes back as :class:`~haven_runtime.web.pages.ApiError`, so
the shared refusal page and the forms' error summaries word them exactly as they do for an
API answer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import HTTPException

from haven_runtime.errors import HavenError
from haven_runtime.identity import Principal
from haven_runtime.web.pages import ApiError

T = TypeVar("T")
_AT = re.compile(r"^(?P<message>.*?) - at `(?P<key>\$[^`]*)`$", re.S)


def principal_of(request: Request) -> Principal:
    """The signed-in officer (set by the pages' sign-in check before any handler runs)."""
    return request.scope["user"]


def refusal(exc: HavenError | HTTPException) -> ApiError:
    """A domain function's refusal as the pages' error: the one error body the API would answer with."""
    if isinstance(exc, HavenError):
        return ApiError(exc.status_code, exc.body())
    return ApiError(exc.status_code, {"detail": exc.detail, "extra": exc.extra})


@contextmanager
def refusals() -> Iterator[None]:
    """Around domain calls: a refusal becomes :class:`ApiError` (shown on the form or the refusal page)."""
    try:
        yield
    except (HavenError, HTTPException) as exc:
        raise refusal(exc) from None


def require_roles(request: Request, *roles: str) -> Principal:
    """The signed-in officer, when they hold one of ``roles`` (``admin`` always passes); a 403 page otherwise."""
    principal = principal_of(request)
    if not principal.has_any({*roles, "admin"}):
        raise ApiError(403, {"detail": f"requires one of the roles: {', '.join(sorted(roles))}"})
    return principal


async def attempt(call: Awaitable[T]) -> T:
    """Await a domain function; its refusal becomes :class:`ApiError` (shown on the form or the refusal page)."""
    try:
        return await call
    except (HavenError, HTTPException) as exc:
        raise refusal(exc) from None


def as_json(value: Any) -> Any:
    """A domain function's answer as the JSON API carries it (dates and times as ISO text, structs as dicts),
    so a template reads the same values whether a page or a client asked."""
    return msgspec.to_builtins(value)


def parse(body_type: type[T], data: dict[str, Any]) -> T:
    """The form's values as the API's body type (strings converted as the API would: ``"2"`` → 2).

    A value the body refuses is a 400 naming its field (``household.lead_name``), worded by
    :meth:`ApiError.field_errors` like the API's own validation errors.
    """
    try:
        return msgspec.convert(data, body_type, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _AT.match(text)
        key, message = (found["key"], found["message"]) if found else ("_", text)
        missing = re.match(r"^Object missing required field `(\w+)`$", message)
        if missing:
            key = f"{key}.{missing.group(1)}"
        if _typed(data, key) == "":
            message = "is required"  # a blank box, whatever type the field has
        elif message.startswith("Invalid RFC3339 encoded date"):
            message = "must be a real date"
        field = key.replace("$.", "", 1) if key != "$" else "_"
        raise ApiError(400, {"detail": text, "extra": [{"key": field, "message": message}]}) from None


def named(label: str, message: str) -> str:
    """A field's message that names the field, as the GOV.UK error summary wants: "Lead applicant's name is
    required"."""
    if message.split(" ", 1)[0] in ("is", "must", "choose"):
        return f"{label}: {message}" if message.startswith("choose") else f"{label} {message}"
    return f"{label}: {message}"


def _typed(data: Any, key: str) -> Any:
    """The value the form gave at a body path (``$.household.lead_name``); ``None`` when there is none."""
    for part in key.removeprefix("$").strip(".").split("."):
        if not part:
            continue
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def form_failure(
    exc: ApiError, fields: dict[str, str] | None = None, labels: dict[str, str] | None = None
) -> tuple[dict[str, str], int]:
    """``({form field: message}, status)`` for a form shown again; a refusal (401/403/404) or a
    failure of the service is raised on to the refusal page instead.

    ``fields`` renames body keys to the form's field ids (``household.lead_name`` → ``lead_name``);
    ``labels`` gives each field's label, so its message names the field (:func:`named`).
    A refused step (409) keeps its status; anything the officer can correct is 400.
    """
    if exc.status in (401, 403, 404) or exc.status >= 500:
        raise exc
    fields, labels = fields or {}, labels or {}
    errors: dict[str, str] = {}
    for key, message in exc.field_errors().items():
        field = fields.get(key, key)
        errors[field] = named(labels[field], message) if field in labels else message
    return errors, 409 if exc.status == 409 else 400
