"""The one error hierarchy of every service, the one body every 4xx answers with, and the one
mapping of an error to the bus's dead letters.

Domain modules raise these (never a web framework's exceptions), so the same refusal means
the same thing whether it reaches a client over HTTP or a bus handler:

=====================  ======  ==========================================================
class                  status  meaning
=====================  ======  ==========================================================
:class:`Invalid`       400     the request cannot be read as its schema says (a missing,
                               wrongly typed or unknown field, a control character)
:class:`Unprocessable` 422     it can be read, but a rule refuses a field's value (a date in
                               the future, an option not in the borough's catalogue, a
                               partner that has not signed)
:class:`NotFound`      404     no such record (or one the caller may not know exists)
:class:`Forbidden`     403     the caller's roles or organisation do not allow it
:class:`Conflict`      409     the record's current state does not allow the step (deciding
                               twice, ordering works before the inspection): nothing changed
:class:`Unavailable`   503     something the answer depends on is down; retry later
:class:`TooLarge`      413     a field or the body is over its stated limit
=====================  ======  ==========================================================

Why two statuses for a refused field: 400 is what the framework answers for a body that
does not fit its schema, and 422 is what every service has answered, and its tests and
officers' pages rely on, for a value that fits the schema but a domain rule refuses. Both
are :class:`Invalid` (``except Invalid`` catches both) and both name the field. A refusal
because of the record's *state* is always 409, never 422: the value sent was fine, the
record was not ready for it.

Every 4xx body has one shape (:func:`error_body`)::

    {"status_code": 422, "detail": "to_org: must be another organisation",
     "extra": [{"key": "to_org", "message": "must be another organisation"}]}

``extra`` names the field wherever there is one — the framework's own validation errors
included, whose ``key`` would otherwise be ``data`` for a missing or unknown body field —
and is empty where there is none (a 403, a 409 about the record's state).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap


class HavenError(Exception):
    """A refusal a client (or a bus handler's sender) can act on; ``detail`` says why.

    ``field`` (a dotted path such as ``person.date_of_birth``) names the input at fault;
    ``retryable`` says whether the same request or message could succeed later unchanged."""

    status_code: int = 400
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.message = message if message is not None else detail
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return error_body(
            self.status_code, self.detail, [{"key": self.field, "message": self.message}] if self.field else []
        )


class Invalid(HavenError):
    """400: the input does not fit its schema; ``field`` says which input."""

    status_code = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field, message=message)


class Unprocessable(Invalid):
    """422: the input fits its schema but a rule refuses the value of ``field``."""

    status_code = 422


class NotFound(HavenError):
    status_code = 404


class Forbidden(HavenError):
    status_code = 403


class Conflict(HavenError):
    """409: the step is not allowed in the record's current state; nothing changed."""

    status_code = 409


class Unavailable(HavenError):
    """503 with ``Retry-After``: a dependency (another organisation, the directory, a
    configuration) is not there now; the transaction did not commit."""

    status_code = 503
    retryable = True

    def __init__(self, reason: str, *, retry_after: int = 5) -> None:
        super().__init__(reason, headers={"Retry-After": str(retry_after)})


class TooLarge(HavenError):
    """413: ``field`` (``body`` for the whole request) is over ``limit``."""

    status_code = 413

    def __init__(self, field: str, limit: int, unit: str = "bytes") -> None:
        message = f"larger than the limit of {limit} {unit}"
        super().__init__(f"{field}: {message}", field=field, message=message)
        self.limit = limit


def invalid(field: str, message: str) -> Invalid:
    return Invalid(field, message)


def unprocessable(field: str, message: str) -> Unprocessable:
    return Unprocessable(field, message)


def not_found(what: str, *, field: str | None = None) -> NotFound:
    """404 ``no such <what>``; ``field`` when the missing record was named by an input field."""
    detail = f"no such {what}"
    return NotFound(f"{field}: {detail}" if field else detail, field=field, message=detail)


def forbidden(reason: str = "not permitted") -> Forbidden:
    return Forbidden(reason)


def conflict(reason: str, *, field: str | None = None) -> Conflict:
    """409 with the reason; ``field`` when one input collides (a key that already exists)."""
    return Conflict(f"{field}: {reason}" if field else reason, field=field, message=reason)


def unavailable(reason: str) -> Unavailable:
    return Unavailable(reason)


def too_large(field: str, limit: int, unit: str = "bytes") -> TooLarge:
    return TooLarge(field, limit, unit)


# -- the bus --------------------------------------------------------------------------------


class PermanentError(Exception):
    """Raised by a bus handler for a message that can never be applied (straight to dead letter)."""


def as_permanent(exc: BaseException) -> PermanentError | None:
    """The dead-letter reason for a handler failure that retrying cannot cure, else ``None``.

    A :class:`HavenError` that is not ``retryable`` (invalid, not found, forbidden, conflict,
    too large) would fail the same way on every redelivery, so it is dead-lettered at once with
    its status and detail; :class:`Unavailable` and any other exception are retried."""
    if isinstance(exc, PermanentError):
        return exc
    if isinstance(exc, HavenError) and not exc.retryable:
        return PermanentError(f"{exc.status_code} {exc.detail}")
    return None


# -- the HTTP edge --------------------------------------------------------------------------


class ErrorItem(msgspec.Struct, kw_only=True):
    """One input at fault: its dotted ``key`` (``body`` for the whole request) and why."""

    key: str
    message: str


class ErrorBody(msgspec.Struct, kw_only=True):
    """The one body of every 4xx and 5xx answer; published in every service's OpenAPI
    document as the schema of each error status (:mod:`haven_runtime.openapi`)."""

    status_code: int
    detail: str
    extra: list[ErrorItem]


def error_body(status_code: int, detail: str, extra: list[dict[str, str]]) -> dict[str, Any]:
    """The body as a plain mapping, built through :class:`ErrorBody` so it cannot drift from the published schema."""
    items = [ErrorItem(key=str(e["key"]), message=str(e["message"])) for e in extra]
    return msgspec.to_builtins(ErrorBody(status_code=status_code, detail=detail, extra=items))


_NAMED_FIELD = re.compile(r"^Object (?:missing required|contains unknown) field `([^`]+)`")
_MISSING_PARAMETER = re.compile(r"^Missing required (\w+) parameter '([^']+)'")
_WHOLE_BODY = ("data", "body", "$", "")


def _field_of(item: Mapping[str, Any]) -> str:
    """The dotted field a framework validation message is about.

    The framework reports a missing or unknown field against the object that lacks or holds
    it (``key: data`` for the body itself) and names the field only inside the message."""
    key = str(item.get("key") or "").removeprefix("$.").removeprefix("data.")
    named = _NAMED_FIELD.match(str(item.get("message", "")))
    if named:
        return named.group(1) if key in _WHOLE_BODY else f"{key}.{named.group(1)}"
    return "body" if key in _WHOLE_BODY else key


def _framework_body(exc: HTTPException) -> dict[str, Any]:
    """A framework exception in the one shape, its field named."""
    status, detail = exc.status_code, str(exc.detail)
    items = exc.extra if isinstance(exc.extra, list) else [exc.extra] if isinstance(exc.extra, dict) else []
    extra = [{"key": _field_of(i), "message": str(i.get("message") or detail)} for i in items if isinstance(i, Mapping)]
    if not extra and (missing := _MISSING_PARAMETER.match(detail)):
        extra = [{"key": missing.group(2), "message": f"required {missing.group(1)} parameter is missing"}]
    elif not extra and detail.startswith("JSON is malformed"):
        extra = [{"key": "body", "message": detail}]
    if extra and status < 500:
        detail = f"{extra[0]['key']}: {extra[0]['message']}"
    return error_body(status, detail, extra)


def error_response(request: Request, exc: Exception, *, headers: Mapping[str, str] | None = None) -> Response:
    """The one exception handler: a :class:`HavenError` or a framework exception, one body."""
    if isinstance(exc, HTTPException) and exc.status_code == 413 and not exc.extra:  # the framework's body limit
        limit = request.app.request_max_body_size
        exc = too_large("body", limit if isinstance(limit, int) else 0)
    if isinstance(exc, HavenError):
        body, own = exc.body(), exc.headers
    elif isinstance(exc, HTTPException):
        body, own = _framework_body(exc), dict(exc.headers or {})
    else:  # registered only for the two above
        raise exc
    return Response(body, status_code=body["status_code"], headers={**own, **(headers or {})})


def exception_handlers(*, headers: Mapping[str, str] | None = None) -> ExceptionHandlersMap:
    """``exception_handlers`` for an app (``create_app``) or a controller that adds ``headers``
    to every error (the directory's public tier adds its CORS header)."""

    def handle(request: Request, exc: Exception) -> Response:
        return error_response(request, exc, headers=headers)

    return {HavenError: handle, HTTPException: handle}
