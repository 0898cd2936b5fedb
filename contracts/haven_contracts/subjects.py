"""The one place NATS subject and stream names are built (DESIGN.md, "Subjects").

Grammar::

    haven.<service>.evt.<event>.v<N>.<org>             a fact about <org>'s own records
    haven.<service>.evt.<event>.v<N>.<org>.<to_org>    a message from <org> addressed to <to_org>
    haven.<service>.req.<request>.v<N>.<target_org>    a request answered by <service> (no stream)

One stream per service captures ``haven.<service>.evt.>``; requests live under ``req`` so no
stream ever stores a request or its reply.
"""

from __future__ import annotations

import re

from haven_contracts.ids import require_org_id

SERVICES: tuple[str, ...] = ("options", "sanctuary", "reciprocal", "directory")
_TOKEN_RE = re.compile(r"^[a-z][a-z0-9-]*$")


def _check_service(service: str) -> str:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")
    return service


def _check_token(kind: str, value: str) -> str:
    if not _TOKEN_RE.fullmatch(value):
        raise ValueError(f"invalid {kind} name {value!r}: lower-case letters, digits and '-' only")
    return value


def event_subject(service: str, event: str, version: int, org: str, to_org: str | None = None) -> str:
    """Subject of an event; ``to_org`` when the event is addressed to another organisation."""
    parts = ["haven", _check_service(service), "evt", _check_token("event", event), f"v{int(version)}", require_org_id(org)]
    if to_org is not None:
        parts.append(require_org_id(to_org))
    return ".".join(parts)


def event_filter(
    service: str,
    event: str = "*",
    version: int | None = None,
    org: str = "*",
    to_org: str | None = None,
    *,
    addressed: bool | None = None,
) -> str:
    """A subscription filter over events.

    ``addressed=None`` matches both own-record and addressed events (``>`` tail),
    ``False`` only own-record events, ``True`` only addressed ones (``to_org`` or ``*``).
    """
    ver = "*" if version is None else f"v{int(version)}"
    head = f"haven.{_check_service(service)}.evt.{event}.{ver}"
    if addressed is None and to_org is None:
        return f"{head}.{org}" if org != "*" else f"{head}.>"
    if addressed is False:
        return f"{head}.{org}"
    return f"{head}.{org}.{to_org or '*'}"


def request_subject(service: str, request: str, version: int, target_org: str) -> str:
    """Subject a request is sent to; answered by ``service`` for ``target_org``."""
    return f"haven.{_check_service(service)}.req.{_check_token('request', request)}.v{int(version)}.{require_org_id(target_org)}"


def request_filter(service: str, request: str, version: int) -> str:
    """Subscription filter for one request type across every target organisation."""
    return f"haven.{_check_service(service)}.req.{_check_token('request', request)}.v{int(version)}.*"


def stream_name(service: str) -> str:
    """JetStream stream of one service, e.g. ``HAVEN_OPTIONS``."""
    return f"HAVEN_{_check_service(service).upper()}"


def stream_subjects(service: str) -> list[str]:
    """Subjects the service's stream captures: its events only, never requests."""
    return [f"haven.{_check_service(service)}.evt.>"]


def consumer_name(service: str, purpose: str) -> str:
    """Durable consumer name: ``<service>-<purpose>`` (NATS durable names allow '-')."""
    return f"{_check_service(service)}-{_check_token('consumer', purpose)}"


def parse_event_subject(subject: str) -> dict[str, str | int | None]:
    """Split an event subject into its parts (for routing, tailing and dead letters)."""
    parts = subject.split(".")
    if len(parts) not in (6, 7) or parts[0] != "haven" or parts[2] != "evt" or not parts[4].startswith("v"):
        raise ValueError(f"not a Haven event subject: {subject!r}")
    return {
        "service": parts[1],
        "event": parts[3],
        "version": int(parts[4][1:]),
        "org": parts[5],
        "to_org": parts[6] if len(parts) == 7 else None,
    }
