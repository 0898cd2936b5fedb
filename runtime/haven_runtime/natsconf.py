"""Production nats-server configuration: one user per service, one per federated deployment,
one per borough integrator.

Each service user may publish only its own events (``haven.<service>.evt.>``), requests to
other services, and the JetStream API calls for its own stream and its own durable
consumers; it may subscribe only to requests addressed to it and to its *own* reply inboxes
(``_INBOX.<user>.>``: each service connects with that ``inbox_prefix``, see
:func:`inbox_prefix`), so one service cannot read the replies — possibly personal details —
sent to another; and it may answer requests it received (``allow_responses``). A borough integrator may subscribe only
to events about its borough or addressed to it, and publish nothing. The file is JSON,
which nats-server reads as configuration, so every value is quoted safely.

Passwords are random; when the ``bcrypt`` module is importable the configuration holds
bcrypt hashes, otherwise plaintext (the file is written 0600 either way). The plaintext
credentials go to a separate 0600 env file, one ``HAVEN_NATS_URL`` per user, and are reused
when the generator runs again so regeneration does not break running services.

A **deployment user** (:func:`deployment_user`) is what every service of one federated
deployment connects as. It may publish only events of
the organisations the deployment hosts, requests, and the JetStream API calls on its own
streams, its own inbound streams and its own durables (plus ``$JS.API.STREAM.NAMES``, how the
inbound streams find the other deployments' streams to source from); it may subscribe only to
requests addressed to its organisations, its own reply inboxes (``_INBOX.deployment-<name>.>``:
each of its services connects as ``deployment-<name>.<service>``, see
:func:`connection_name`), the stream-created advisory and its own durables' max-deliveries
advisories. Sourcing from another deployment's stream is done by the server inside the
account, so no deployment user needs any right on another deployment's streams.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from haven_contracts.ids import require_org_id
from haven_contracts.subjects import (
    SERVICES,
    consumer_name,
    event_filter,
    inbound_stream_name,
    require_deployment,
    stream_created_advisory,
    stream_name,
)

log = logging.getLogger("haven.natsconf")

INBOX = "_INBOX.>"


def inbox_prefix(user: str) -> str:
    """The reply-inbox prefix of NATS user ``user`` (``_INBOX.haven-options``).

    nats-py's default ``_INBOX.<nuid>`` would force every service user to be allowed
    ``_INBOX.>``, i.e. to read every other service's replies. A per-user prefix lets the
    generated permissions grant each service only its own replies.
    """
    return f"_INBOX.{user}"


@dataclass(frozen=True)
class TlsOptions:
    cert_file: str
    key_file: str
    ca_file: str | None = None
    verify_clients: bool = False
    timeout: float = 2.0

    def as_config(self) -> dict[str, object]:
        conf: dict[str, object] = {"cert_file": self.cert_file, "key_file": self.key_file, "timeout": self.timeout}
        if self.ca_file:
            conf["ca_file"] = self.ca_file
        if self.verify_clients:
            conf["verify"] = True
        return conf


@dataclass(frozen=True)
class NatsUser:
    user: str
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    allow_responses: bool = False
    deny_publish: tuple[str, ...] = ()
    kind: str = "service"
    scope: str = ""

    def as_config(self, password: str) -> dict[str, object]:
        publish: dict[str, list[str]] = {}
        if self.publish:
            publish["allow"] = list(self.publish)
        if self.deny_publish:
            publish["deny"] = list(self.deny_publish)
        perms: dict[str, object] = {"publish": publish, "subscribe": {"allow": list(self.subscribe)}}
        if self.allow_responses:
            perms["allow_responses"] = True
        return {"user": self.user, "password": password, "permissions": perms}


def service_user_name(service: str) -> str:
    return f"haven-{service}"


def deployment_user_name(deployment: str) -> str:
    return f"deployment-{require_deployment(deployment)}"


def connection_name(service: str, deployment: str | None = None) -> str:
    """The NATS connection (and inbox) name of ``service``: its own user's name in the
    all-in-one deployment, ``deployment-<name>.<service>`` in a federated one, so its replies
    arrive under the deployment user's ``_INBOX.deployment-<name>.>``."""
    return service_user_name(service) if deployment is None else f"{deployment_user_name(deployment)}.{service}"


def integrator_user_name(org: str) -> str:
    return f"integrator-{require_org_id(org)}"


def _consumer_api(stream: str, durable: str) -> list[str]:
    """What a durable pull consumer's owner publishes to run it (and dead-letter from it)."""
    return [
        f"$JS.API.CONSUMER.INFO.{stream}.{durable}",
        f"$JS.API.CONSUMER.CREATE.{stream}.{durable}",
        f"$JS.API.CONSUMER.CREATE.{stream}.{durable}.>",
        f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
        f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}",
        f"$JS.ACK.{stream}.{durable}.>",
    ]


def service_user(service: str, consumers: Iterable[tuple[str, str]] = ()) -> NatsUser:
    """Permissions of ``service``; ``consumers`` are its (stream-owning service, durable) pairs."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    own = stream_name(service)
    publish = [f"haven.{service}.evt.>"]
    publish += [f"haven.{other}.req.>" for other in SERVICES if other != service]
    publish.append("$JS.API.INFO")
    streams = [own] + sorted({stream_name(s) for s, _ in consumers} - {own})
    for stream in streams:
        # The runtime provisions every stream a service consumes from (create-or-update).
        publish += [
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.CREATE.{stream}",
            f"$JS.API.STREAM.UPDATE.{stream}",
        ]
    for from_service, durable in sorted(set(consumers)):
        stream = stream_name(from_service)
        publish += _consumer_api(stream, durable)
        publish.append(f"$JS.API.STREAM.MSG.GET.{stream}")  # a message JetStream gave up on, to dead-letter it
    subscribe = [f"haven.{service}.req.>", f"{inbox_prefix(service_user_name(service))}.>"]
    subscribe += [f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream_name(s)}.{d}" for s, d in sorted(set(consumers))]
    return NatsUser(
        user=service_user_name(service),
        publish=tuple(publish),
        subscribe=tuple(subscribe),
        allow_responses=True,
        scope=service,
    )


def deployment_user(
    deployment: str,
    orgs: Iterable[str],
    consumers: Mapping[str, Iterable[tuple[str, str]]],
    services: Iterable[str] = SERVICES,
) -> NatsUser:
    """Permissions of federated deployment ``deployment`` hosting ``orgs``; ``consumers`` as
    :func:`discover_consumers` gives them (each service's (stream-owning service, durable))."""
    name = require_deployment(deployment)
    orgs = sorted({require_org_id(o) for o in orgs})
    if not orgs:
        raise ValueError(f"deployment {name} hosts no organisation")
    services = [s for s in SERVICES if s in set(services)]
    publish: list[str] = []
    for service in services:  # events of its own organisations only: it cannot speak for another
        for org in orgs:
            publish += [event_filter(service, org=org, addressed=False), event_filter(service, org=org, addressed=True)]
    publish += [f"haven.{service}.req.>" for service in SERVICES]
    publish += ["$JS.API.INFO", "$JS.API.STREAM.NAMES"]
    subscribe = [
        f"haven.{service}.req.*.*.{org}" for service in services for org in orgs
    ]  # answers for its organisations
    subscribe += [f"{inbox_prefix(deployment_user_name(name))}.>", stream_created_advisory()]
    for service in services:
        own = stream_name(service, name)
        publish += [f"$JS.API.STREAM.INFO.{own}", f"$JS.API.STREAM.CREATE.{own}", f"$JS.API.STREAM.UPDATE.{own}"]
        durables = sorted({durable.removeprefix(f"{service}-") for _, durable in consumers.get(service, ())})
        if not durables:
            continue
        inbound = inbound_stream_name(service, name)
        publish += [
            f"$JS.API.STREAM.INFO.{inbound}",
            f"$JS.API.STREAM.CREATE.{inbound}",
            f"$JS.API.STREAM.UPDATE.{inbound}",
            f"$JS.API.STREAM.MSG.GET.{inbound}",
        ]  # a message JetStream gave up on, to dead-letter it
        for purpose in durables:
            durable = consumer_name(service, purpose, name)
            publish += _consumer_api(inbound, durable)
            subscribe.append(f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{inbound}.{durable}")
    return NatsUser(
        user=deployment_user_name(name),
        publish=tuple(publish),
        subscribe=tuple(subscribe),
        allow_responses=True,
        kind="deployment",
        scope=name,
    )


def integrator_subjects(org: str) -> tuple[str, ...]:
    """Events about ``org``'s own records, events it sends, and events addressed to it."""
    org = require_org_id(org)
    return (f"haven.*.evt.*.*.{org}", f"haven.*.evt.*.*.{org}.*", f"haven.*.evt.*.*.*.{org}")


def integrator_user(org: str) -> NatsUser:
    return NatsUser(
        user=integrator_user_name(org),
        publish=(),
        subscribe=integrator_subjects(org),
        deny_publish=(">",),
        kind="integrator",
        scope=org,
    )


def discover_consumers() -> dict[str, list[tuple[str, str]]]:
    """``{service: [(from_service, durable), …]}`` from each installed service's ``definition()``.

    A service whose definition cannot be loaded gets no consumer rights and a warning: the
    generator never widens permissions to compensate.
    """
    from haven_runtime.serve import service_definitions

    found: dict[str, list[tuple[str, str]]] = {}
    for name, ep in service_definitions().items():
        try:
            module = importlib.import_module(ep.value.split(":", 1)[0])
            definition = module.definition()
        except Exception as exc:  # noqa: BLE001 - report and continue with the others
            log.warning("cannot read %s's service definition (%s); it gets no consumer permissions", name, exc)
            found[name] = []
            continue
        found[name] = [(spec.from_service, consumer_name(name, spec.purpose)) for spec in definition.consumers]
    return found


@dataclass
class GeneratedConfig:
    config: dict[str, object]
    credentials: dict[str, str]
    users: list[NatsUser] = field(default_factory=list)

    def text(self) -> str:
        return (
            "# Generated by `haven nats-config`; nats-server reads this JSON as its configuration.\n"
            + json.dumps(self.config, indent=2)
            + "\n"
        )

    def url(self, user: str, host: str = "127.0.0.1", port: int = 4222, tls: bool = False) -> str:
        scheme = "tls" if tls else "nats"
        return f"{scheme}://{quote(user, safe='')}:{quote(self.credentials[user], safe='')}@{host}:{port}"


def _hash(password: str) -> str:
    try:
        import bcrypt  # type: ignore[import-not-found]
    except ImportError:
        return password
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=11)).decode()


def generate(
    *,
    orgs: Iterable[str],
    consumers: Mapping[str, Iterable[tuple[str, str]]] | None = None,
    services: Iterable[str] = SERVICES,
    passwords: Mapping[str, str] | None = None,
    tls: TlsOptions | None = None,
    listen: str | None = None,
    store_dir: str | None = None,
    deployments: Mapping[str, Iterable[str]] | None = None,
) -> GeneratedConfig:
    """Build the configuration; ``passwords`` reuses existing credentials by user name;
    ``deployments`` maps each federated deployment's name to the organisations it hosts."""
    consumers = consumers if consumers is not None else discover_consumers()
    users = [service_user(s, consumers.get(s, ())) for s in services]
    users += [deployment_user(name, hosted, consumers) for name, hosted in sorted((deployments or {}).items())]
    users += [integrator_user(o) for o in sorted(set(orgs))]
    passwords = dict(passwords or {})
    credentials = {u.user: passwords.get(u.user) or secrets.token_urlsafe(32) for u in users}
    config: dict[str, object] = {}
    if listen:
        config["listen"] = listen
    config["jetstream"] = {"store_dir": store_dir} if store_dir else {"enabled": True}
    config["max_payload"] = 1_048_576
    if tls:
        config["tls"] = tls.as_config()
    config["authorization"] = {"users": [u.as_config(_hash(credentials[u.user])) for u in users]}
    return GeneratedConfig(config=config, credentials=credentials, users=users)


def read_credentials(path: Path) -> dict[str, str]:
    """Parse a credentials file written by :func:`write`: ``# user=password`` comment lines."""
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.startswith("# user "):
            user, _, password = line.removeprefix("# user ").partition("=")
            out[user.strip()] = password.strip()
    return out


def write(
    generated: GeneratedConfig, config_path: Path, credentials_path: Path, *, host: str, port: int, tls: bool
) -> None:
    """Write both files with owner-only permissions."""
    lines = ["# Per-user NATS credentials generated by `haven nats-config`. Keep secret; give each"]
    lines.append("# service only its own line, as HAVEN_NATS_URL, and each integrator only theirs.")
    for user in generated.users:
        lines.append(f"# user {user.user}={generated.credentials[user.user]}")
        env = f"HAVEN_NATS_URL_{user.user.upper().replace('-', '_')}"
        lines.append(f"{env}={generated.url(user.user, host, port, tls)}")
    for path, text in ((config_path, generated.text()), (credentials_path, "\n".join(lines) + "\n")):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(path, 0o600)
