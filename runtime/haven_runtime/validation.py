"""Input rules every service shares: what a JSON body may be, and when a past fact may be dated.

One place for each rule, so a request schema added next year gets them without opting in:

* **JSON bodies are JSON.** A body read as JSON must say so (``application/json`` or a
  ``+json`` type); anything else gets 415. Without this a JSON document sent as
  ``text/plain`` or form-encoded — which a browser on another site can send without a CORS
  preflight — was decoded and stored. The officers' pages post their own forms to their
  own page routes, which read form bodies and are not affected.
* **No control characters in text.** Every string in a JSON body (values and keys, at any
  depth) is checked once, as it is decoded, before any schema sees it. A NUL byte made
  PostgreSQL fail (500) and was stored and published on SQLite; other control characters
  corrupt letters, logs and CSV exports. Tab, line feed and carriage return stay allowed:
  free-text fields (reasons, notes) legitimately carry line breaks pasted from documents.
  The answer is 400 naming the field, in the one error shape (``haven_runtime.errors``), so
  the pages show it next to the field.
* **Past facts are not dated in the future.** A date of birth, the moment a client
  approached, the day an incident happened: :func:`not_in_future` is the one rule, with the
  service's clock (``ServiceContext.now``) passed in so tests can fix it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Request

from haven_runtime.calendar import LONDON
from haven_runtime.errors import HavenError, Invalid, invalid, unprocessable

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: How far ahead of the server's clock a submitted moment may be (an officer's device clock drifts).
CLOCK_SKEW = timedelta(minutes=5)


class UnsupportedMediaType(HavenError):
    status_code = 415

    def __init__(self, message: str) -> None:
        super().__init__(f"content-type: {message}", field="content-type", message=message)


def is_json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def field_error(field: str, message: str, *, status_code: int = 400) -> Invalid:
    """A 400 (or 422) naming ``field`` (dotted path), in the one error shape (``haven_runtime.errors``)."""
    return invalid(field, message) if status_code == 400 else unprocessable(field, message)


def find_control_character(value: Any) -> tuple[str, str] | None:
    """``(field path, character)`` of the first control character in a decoded JSON value.

    Walks iteratively: a body nested thousands deep must get its 400, not a RecursionError."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            found = CONTROL_CHARACTERS.search(item)
            if found:
                return path or "body", found.group()
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                found = CONTROL_CHARACTERS.search(key) if isinstance(key, str) else None
                if found:
                    return path or "body", found.group()
                stack.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None


def refuse_control_characters(value: Any) -> Any:
    hit = find_control_character(value)
    if hit:
        field, char = hit
        raise field_error(
            field, f"contains a control character (U+{ord(char):04X}); only tab and line breaks are allowed"
        )
    return value


class HavenRequest(Request):
    """The request class of every Haven app: JSON bodies are checked as they are decoded.

    Litestar reads every ``JSONBody``/``Body()`` argument through :meth:`json`, so this is
    the single point every request schema passes through.
    """

    async def json(self) -> Any:
        if not is_json_media_type(self.headers.get("content-type", "")):
            raise UnsupportedMediaType("the request body must be JSON sent as Content-Type: application/json")
        return refuse_control_characters(await super().json())


def not_in_future(field: str, value: date | datetime | None, *, now: datetime) -> None:
    """Refuse (422 naming ``field``) a date or moment of a past fact that lies in the future.

    A date is compared with today in England (Europe/London), so a date of birth entered
    just after midnight is not refused; a moment may run ``CLOCK_SKEW`` ahead of ``now``.
    """
    if value is None:
        return
    if isinstance(value, datetime):
        future = (value if value.tzinfo else value.replace(tzinfo=LONDON)) > now + CLOCK_SKEW
    else:
        future = value > now.astimezone(LONDON).date()
    if future:
        raise field_error(field, "must not be in the future", status_code=422)


def recorded_at(field: str, at: datetime | None, *, now: datetime, not_before: datetime | None, since: str) -> datetime:
    """When a past fact happened, as an officer records it — phoned in before it was keyed,
    or recorded late: ``at`` (default ``now``) in UTC. A 422 names ``field`` when it has no
    timezone, lies in the future, or comes before ``not_before`` (``since`` says what that was:
    "the referral was made")."""
    if at is None:
        return now.astimezone(UTC)
    if at.tzinfo is None:
        raise unprocessable(field, "needs a timezone, e.g. 2026-11-27T16:50:00+00:00")
    at = at.astimezone(UTC)
    if at > now:
        raise unprocessable(field, "cannot be in the future")
    if not_before is not None and at < not_before:
        raise unprocessable(field, f"cannot be before {since}")
    return at
