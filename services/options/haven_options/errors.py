"""HTTP errors the domain modules raise: a 409 for an illegal transition, a 4xx naming the field."""

from __future__ import annotations

from litestar.exceptions import HTTPException, PermissionDeniedException


class Conflict(HTTPException):
    """An illegal transition (e.g. acknowledging twice, booking on a closed case): nothing changed."""

    status_code = 409


def conflict(reason: str) -> Conflict:
    return Conflict(detail=reason)


def bad_field(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"{field}: {message}", extra=[{"key": field, "message": message, "source": "body"}])


def forbidden() -> PermissionDeniedException:
    """403 without saying whether the record exists."""
    return PermissionDeniedException("not permitted")
