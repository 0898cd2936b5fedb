"""Reading the HSDS list parameters the way the reference OpenAPI document defines them.

The document (``schemas/hsds-3.0/openapi.json``) types ``page`` and ``per_page`` as plain
integers and ``modified_after`` as a string, so an integrator may send ``page=0`` or an empty
``modified_after`` and still be within the standard: those are read leniently (page 1, the
default page size, no filter) rather than refused. What cannot be read at all — a
``modified_after`` that is neither a date nor a date-time, a ``format`` other than ``json``
or ``ndjson`` — is refused with a 400 naming the parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

import msgspec
from litestar import Response

from haven_runtime.errors import invalid

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
NDJSON = "application/x-ndjson"
Format = Literal["json", "ndjson"]
FORMATS: tuple[Format, ...] = ("json", "ndjson")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def modified_after(value: str) -> datetime | None:
    """``modified_after`` as an aware datetime; a date alone means midnight UTC that day.

    Empty means no filter. A time without an offset is taken as UTC, as HSDS says of
    times without one. (Parameters are plain ``str``/``int`` with empty defaults, not
    optional: Litestar reads ``null`` as "absent" for an optional one.)
    """
    if not value:
        return None
    text = value
    try:
        if _DATE.match(text):
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise invalid(
            "modified_after", "Expected an ISO 8601 date (2024-05-01) or date-time (2024-05-01T09:30:00Z)"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Listing:
    """How one list request wants its results: which page, how big, and in which format."""

    page: int
    per_page: int
    format: Format

    @property
    def ndjson(self) -> bool:
        return self.format == "ndjson"

    def window(self, rows: list[Any]) -> list[Any]:
        return rows[(self.page - 1) * self.per_page : self.page * self.per_page]


def listing(page: int, per_page: int, format: str, *, everything: bool = False) -> Listing:
    """Page numbers below 1 read as the first page; a page size below 1 (or none) as the
    default, and above :data:`MAX_PER_PAGE` as the maximum. ``everything``
    (``minimal=true``) puts every result on one page unless the client chose a page size."""
    fmt = format or "json"
    if fmt not in FORMATS:
        raise invalid("format", f"Expected one of {', '.join(FORMATS)}")
    size = DEFAULT_PER_PAGE if per_page < 1 else min(per_page, MAX_PER_PAGE)
    if everything and per_page < 1:
        size = 0  # resolved against the number of rows by ``sized``
    return Listing(page=max(1, page), per_page=size, format=fmt)


def sized(q: Listing, total: int) -> Listing:
    """Resolve a one-page-for-everything listing once the number of rows is known."""
    return q if q.per_page else Listing(page=q.page, per_page=max(1, total), format=q.format)


def ndjson_response(items: list[dict[str, Any]]) -> Response:
    """Every result, one JSON object a line, without the page envelope (HSDS ``format=ndjson``)."""
    body = b"".join(msgspec.json.encode(item) + b"\n" for item in items)
    return Response(content=body, media_type=NDJSON)
