"""HTTP answers shared by the reciprocal domain modules.

Illegal transitions are 409 with the reason; bad input is 422 naming the field; a caller
who may not see a record gets 403 whether or not it exists (DESIGN.md, identity).
Raised inside a unit of work, each rolls the whole change back.
"""

from __future__ import annotations

from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException


def illegal(reason: str) -> HTTPException:
    return HTTPException(status_code=409, detail=reason)


def invalid(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"{field}: {message}")


def forbidden() -> PermissionDeniedException:
    return PermissionDeniedException("not permitted")


def not_found(what: str) -> NotFoundException:
    return NotFoundException(f"no such {what}")
