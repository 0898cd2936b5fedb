"""Base types for bus messages and the CloudEvents-style envelope that travels in headers.

An event body is a msgspec struct that carries only opaque references, organisation ids,
types, timestamps and deadlines. Its envelope — ``id``, ``source``,
``type``, ``time``, ``subject`` — travels as ``ce-*`` NATS headers, so integrators can
route without decoding bodies, and the id doubles as ``Nats-Msg-Id`` for de-duplication.

Schema evolution: bus types tolerate unknown fields (msgspec ignores them by default) and
every field added after v1 must have a default, so old payloads keep decoding.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar, dataclass_transform

import msgspec

from haven_contracts.ids import EVENT_ID_PATTERN, Code, OrgId, Text, new_event_id
from haven_contracts.subjects import event_subject, message_type, request_subject

SPEC_VERSION = "1.0"
HEADER_PREFIX = "ce-"
MSG_ID_HEADER = "Nats-Msg-Id"


class _MessageMeta(msgspec.StructMeta):
    """Makes every bus message keyword-only and frozen without repeating it on each class,
    so a subclass may declare required fields after optional ones."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> "_MessageMeta":
        kwargs.setdefault("kw_only", True)
        kwargs.setdefault("frozen", True)
        return super().__new__(mcls, name, bases, namespace, **kwargs)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(msgspec.field,))
class _Message(msgspec.Struct, metaclass=_MessageMeta, kw_only=True, frozen=True):
    """Base of events, requests and replies; the decorator tells type checkers what the
    metaclass does at run time (each subclass's fields are keyword-only and frozen)."""


_EVENT_TYPES: dict[tuple[str, str, int], type["Event"]] = {}
_REQUEST_TYPES: dict[tuple[str, str, int], type["Request"]] = {}


class Event(_Message):
    """A fact one service states about one organisation's records.

    Subclasses set the class variables ``service``, ``name`` and ``version`` and add fields.
    ``org`` is the organisation the fact belongs to. An event addressed to another
    organisation declares ``to_org`` as a field; it becomes the last subject token.
    """

    service: ClassVar[str]
    name: ClassVar[str]
    version: ClassVar[int] = 1

    org: OrgId

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            key = (cls.service, cls.name, cls.version)
            if key in _EVENT_TYPES and _EVENT_TYPES[key].__qualname__ != cls.__qualname__:
                raise TypeError(f"event {key} is declared twice")
            _EVENT_TYPES[key] = cls

    @property
    def subject(self) -> str:
        return event_subject(self.service, self.name, self.version, self.org, getattr(self, "to_org", None))

    @classmethod
    def type_name(cls) -> str:
        """CloudEvents ``type``: ``haven.<service>.<name>.v<N>``."""
        return message_type(cls.service, cls.name, cls.version)


class Request(_Message):
    """A question to the service that owns the answer; replies go to the caller's inbox only.

    ``target_org`` names the organisation whose records are asked about; ``requested_by``
    names the asking organisation, and ``purpose`` why (recorded by the owner's audit).
    """

    service: ClassVar[str]
    name: ClassVar[str]
    version: ClassVar[int] = 1
    reply_type: ClassVar[type["Reply"]]

    target_org: OrgId
    requested_by: OrgId
    purpose: Text = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            _REQUEST_TYPES[(cls.service, cls.name, cls.version)] = cls

    @property
    def subject(self) -> str:
        return request_subject(self.service, self.name, self.version, self.target_org)


class Reply(_Message):
    """Base of every reply: ``ok`` false carries an ``error`` code and message instead of data."""

    ok: bool = True
    error: Code | None = None
    message: Text | None = None


class Envelope(msgspec.Struct, kw_only=True, frozen=True):
    """CloudEvents-style attributes of one published event."""

    id: str
    source: str
    type: str
    time: datetime
    subject: str | None = None
    specversion: str = SPEC_VERSION

    def to_headers(self) -> dict[str, str]:
        headers = {
            f"{HEADER_PREFIX}id": self.id,
            f"{HEADER_PREFIX}source": self.source,
            f"{HEADER_PREFIX}type": self.type,
            f"{HEADER_PREFIX}time": self.time.astimezone(UTC).isoformat(),
            f"{HEADER_PREFIX}specversion": self.specversion,
            MSG_ID_HEADER: self.id,
        }
        if self.subject:
            headers[f"{HEADER_PREFIX}subject"] = self.subject
        return headers

    @classmethod
    def from_headers(cls, headers: dict[str, str] | None) -> "Envelope":
        """Rebuild the envelope; raises ``ValueError`` naming a missing or malformed header.

        Headers come from whoever published, so each is checked against
        :data:`ENVELOPE_HEADERS` before use: an over-long ``ce-id`` once failed the inbox
        insert and then the dead-letter insert on PostgreSQL, and the message vanished."""
        headers = headers or {}
        missing = [h for h in ("id", "source", "type", "time") if f"{HEADER_PREFIX}{h}" not in headers]
        if missing:
            raise ValueError(f"missing envelope header(s): {', '.join(HEADER_PREFIX + m for m in missing)}")
        for name, rule in ENVELOPE_HEADERS.items():
            value = headers.get(f"{HEADER_PREFIX}{name}")
            if value is not None and not rule.fullmatch(value):
                shown = value if len(value) <= 40 else f"{value[:40]}… ({len(value)} characters)"
                raise ValueError(f"malformed envelope header {HEADER_PREFIX}{name}: {shown!r}")
        try:
            time = datetime.fromisoformat(headers[f"{HEADER_PREFIX}time"])
        except ValueError:
            raise ValueError(f"malformed envelope header {HEADER_PREFIX}time: not an ISO 8601 time") from None
        return cls(
            id=headers[f"{HEADER_PREFIX}id"],
            source=headers[f"{HEADER_PREFIX}source"],
            type=headers[f"{HEADER_PREFIX}type"],
            time=time,
            subject=headers.get(f"{HEADER_PREFIX}subject"),
            specversion=headers.get(f"{HEADER_PREFIX}specversion", SPEC_VERSION),
        )


ENVELOPE_HEADERS: dict[str, re.Pattern[str]] = {
    "id": re.compile(EVENT_ID_PATTERN),
    "source": re.compile(r"[!-~]{1,100}"),
    "type": re.compile(r"haven\.[a-z]+\.[a-z][a-z0-9-]{0,80}\.v[0-9]{1,4}"),
    "time": re.compile(r"[0-9][0-9A-Za-z:.+ -]{0,63}"),
    "subject": re.compile(r"[!-~]{1,100}"),
    "specversion": re.compile(r"[0-9][0-9.]{0,9}"),
}
"""What each ``ce-*`` header may hold (a full match): the id is a ULID, the others printable
ASCII of bounded length, so every value fits the inbox and dead-letter columns it is stored in."""


def envelope_for(
    event: Event, *, subject: str | None = None, event_id: str | None = None, time: datetime | None = None
) -> Envelope:
    """A new envelope for ``event``; ``subject`` is the opaque record reference it concerns."""
    return Envelope(
        id=event_id or new_event_id(),
        source=f"haven/{event.service}",
        type=event.type_name(),
        time=time or datetime.now(UTC),
        subject=subject,
    )


def encode(message: msgspec.Struct) -> bytes:
    return msgspec.json.encode(message)


def decode_event(type_name: str, payload: bytes) -> Event:
    """Decode a payload by its CloudEvents type; raises ``LookupError`` / ``msgspec.ValidationError``."""
    cls = event_type(type_name)
    return msgspec.json.decode(payload, type=cls)


def event_type(type_name: str) -> type[Event]:
    try:
        _, service, name, ver = type_name.split(".")
        return _EVENT_TYPES[(service, name, int(ver.lstrip("v")))]
    except (ValueError, KeyError):
        raise LookupError(f"unknown event type {type_name!r}") from None


def event_types() -> list[type[Event]]:
    """Every registered event type, sorted by type name (for AsyncAPI and tailing)."""
    import haven_contracts.events  # noqa: F401  (registers the per-service modules)

    return sorted(_EVENT_TYPES.values(), key=lambda c: c.type_name())


def request_types() -> list[type[Request]]:
    import haven_contracts.events  # noqa: F401

    return sorted(_REQUEST_TYPES.values(), key=lambda c: (c.service, c.name, c.version))
