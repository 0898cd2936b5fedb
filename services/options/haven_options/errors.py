"""HTTP errors the domain modules raise: a 409 for an illegal transition, a 4xx naming the
field, and an audited 403 for a refused read or write."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from litestar.exceptions import HTTPException

from haven_runtime.audit import refuse

if TYPE_CHECKING:
    from haven_runtime.identity import Principal
    from haven_runtime.store import Store


class Conflict(HTTPException):
    """An illegal transition (e.g. acknowledging twice, booking on a closed case): nothing changed."""

    status_code = 409


def conflict(reason: str) -> Conflict:
    return Conflict(detail=reason)


def bad_field(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"{field}: {message}", extra=[{"key": field, "message": message, "source": "body"}])


async def refused(store: "Store", principal: "Principal", action: str, entity: str, ref: str, *, reason: str,
                  entity_org: str = "", purpose: str = "", status_code: int = 403, told: str | None = None) -> NoReturn:
    """403 (or the 404 a route already answers) without saying whether the record exists; who
    tried, what and why is audited (``entity_org`` is the owner when the record exists, so its
    auditors see the attempt)."""
    await refuse(store, principal, action, entity, ref, reason=reason, entity_org=entity_org, purpose=purpose,
                 status_code=status_code, told=told)
