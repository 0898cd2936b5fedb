"""The one place NATS subject and stream names are built.

Grammar::

    haven.<service>.evt.<event>.v<N>.<org>             a fact about <org>'s own records
    haven.<service>.evt.<event>.v<N>.<org>.<to_org>    a message from <org> addressed to <to_org>
    haven.<service>.req.<request>.v<N>.<target_org>    a request answered by <service> (no stream)

The all-in-one deployment has one stream per service capturing ``haven.<service>.evt.>``.
A deployment hosting chosen organisations has one
stream per service capturing what its organisations publish, an inbound stream per service
sourcing what is addressed to them (and the broadcasts it consumes) from every deployment's
stream, and consumer, queue-group and stream names that carry the deployment's name.
Requests live under ``req`` so no stream ever stores a request or its reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypedDict

from haven_contracts.ids import is_org_id, require_org_id

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
    parts = [
        "haven",
        _check_service(service),
        "evt",
        _check_token("event", event),
        f"v{int(version)}",
        require_org_id(org),
    ]
    if to_org is not None:
        parts.append(require_org_id(to_org))
    return ".".join(parts)


def message_type(service: str, name: str, version: int) -> str:
    """A message's type (CloudEvents ``type``, the bus's ``haven-type`` header):
    ``haven.<service>.<name>.v<N>``."""
    return f"haven.{_check_service(service)}.{_check_token('message', name)}.v{int(version)}"


def event_address(service: str, event: str, version: int, *, addressed: bool) -> str:
    """An event's subject with its organisations as ``{org}`` / ``{to_org}`` parameters (the
    AsyncAPI channel address)."""
    head = f"haven.{_check_service(service)}.evt.{_check_token('event', event)}.v{int(version)}.{{org}}"
    return f"{head}.{{to_org}}" if addressed else head


def request_address(service: str, request: str, version: int) -> str:
    """A request's subject with its target organisation as the ``{target_org}`` parameter."""
    return f"haven.{_check_service(service)}.req.{_check_token('request', request)}.v{int(version)}.{{target_org}}"


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
    return (
        f"haven.{_check_service(service)}.req.{_check_token('request', request)}.v{int(version)}."
        f"{require_org_id(target_org)}"
    )


def request_filter(service: str, request: str, version: int, target_org: str = "*") -> str:
    """Subscription filter for one request type, for one target organisation or (``*``) every one."""
    org = target_org if target_org == "*" else require_org_id(target_org)
    return f"haven.{_check_service(service)}.req.{_check_token('request', request)}.v{int(version)}.{org}"


def require_deployment(deployment: str) -> str:
    """A deployment name is a slug like an organisation id (``bexley``, ``southwark-dartford``),
    so it can sit inside stream, consumer and queue names without a separator clash."""
    if not is_org_id(deployment):
        raise ValueError(f"invalid deployment name {deployment!r}: expected a lower-case slug like 'bexley'")
    return deployment


def stream_name(service: str, deployment: str | None = None) -> str:
    """Stream of one service: ``HAVEN_OPTIONS`` (all-in-one) or ``HAVEN_OPTIONS_<DEPLOYMENT>``."""
    base = f"HAVEN_{_check_service(service).upper()}"
    return base if deployment is None else f"{base}_{require_deployment(deployment).upper()}"


def inbound_stream_name(service: str, deployment: str) -> str:
    """A deployment's inbound stream for one consuming service: ``HAVEN_IN_OPTIONS_<DEPLOYMENT>``.
    It captures no subjects itself; it sources from every deployment's streams."""
    return f"HAVEN_IN_{_check_service(service).upper()}_{require_deployment(deployment).upper()}"


def is_service_stream(service: str, name: str) -> bool:
    """True for ``service``'s stream of any deployment (never an inbound stream)."""
    base = stream_name(service)
    if name == base:
        return True
    suffix = name[len(base) + 1 :]
    return name.startswith(base + "_") and is_org_id(suffix.lower()) and suffix == suffix.upper()


def stream_subjects(service: str, orgs: Iterable[str] | None = None) -> list[str]:
    """Subjects a service's stream captures: its events only, never requests.

    ``orgs`` None: every organisation (all-in-one). Otherwise what the hosted organisations
    publish: their own facts and what they address to others."""
    _check_service(service)
    if orgs is None:
        return [f"haven.{service}.evt.>"]
    out: list[str] = []
    for org in sorted(set(orgs)):
        out += [event_filter(service, org=org, addressed=False), event_filter(service, org=org, addressed=True)]
    return out


def inbound_filters(filter_subject: str, orgs: Iterable[str]) -> list[str]:
    """What a deployment hosting ``orgs`` sources for a consumer filtering ``filter_subject``.

    An addressed filter (``…<org>.<to_org>``) whose recipient is a wildcard is narrowed to
    each hosted organisation, so a deployment receives only what is addressed to it; a
    filter over own-record facts (``…<org>``) is a broadcast and stays as it is."""
    parts = filter_subject.split(".")
    if (
        len(parts) not in (6, 7)
        or parts[0] != "haven"
        or parts[2] != "evt"
        or ">" in parts[:5]
        or (">" in parts and parts[-1] != ">")
    ):
        raise ValueError(f"not an event filter: {filter_subject!r}")
    if parts[5] == ">":  # own-record facts of every organisation, and what is addressed to ours
        head = parts[:5]
        return [".".join([*head, "*"]), *inbound_filters(".".join([*head, "*", "*"]), orgs)]
    if len(parts) == 6:
        return [filter_subject]
    if parts[6] != "*":
        return [filter_subject] if parts[6] in set(orgs) else []
    return [".".join([*parts[:6], require_org_id(org)]) for org in sorted(set(orgs))]


def stream_created_advisory() -> str:
    """JetStream's advisory subject for a new stream: a deployment joining the bus."""
    return "$JS.EVENT.ADVISORY.STREAM.CREATED.*"


def consumer_name(service: str, purpose: str, deployment: str | None = None) -> str:
    """Durable consumer name: ``<service>-<purpose>``, or ``<deployment>_<service>-<purpose>``
    for a named deployment ('_' never occurs in a slug, so the parts stay apart)."""
    name = f"{_check_service(service)}-{_check_token('consumer', purpose)}"
    return name if deployment is None else f"{require_deployment(deployment)}_{name}"


def responder_queue(service: str, deployment: str | None = None) -> str:
    """Queue group shared by one deployment's replicas of ``service`` answering requests."""
    name = f"{_check_service(service)}-responders"
    return name if deployment is None else f"{require_deployment(deployment)}_{name}"


class EventSubject(TypedDict):
    """The parts of an event subject: who stated which event, about (and to) whom."""

    service: str
    event: str
    version: int
    org: str
    to_org: str | None


def parse_event_subject(subject: str) -> EventSubject:
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
