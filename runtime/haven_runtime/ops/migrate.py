"""``haven migrate``: apply each service's pending migrations, and provision its stream.

The same :func:`haven_runtime.schema.apply_migrations` a service runs at start-up, as a
one-off job (compose's ``migrate`` service, a Kubernetes job) so that the schema changes
before any replica of the new release serves, and so that a failing migration stops the
deployment with one message instead of crash-looping every replica. Start-up still applies
anything pending (under the same lock), so ``haven up`` needs no separate step.

With ``HAVEN_NATS_URL`` set it also creates or updates every service's JetStream stream
with ``--stream-replicas`` (``HAVEN_STREAM_REPLICAS``, default 1; compose sets 3) replicas:
replication is the operator's choice, and the services keep an existing stream's count.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from urllib.parse import urlparse

from haven_runtime import db
from haven_runtime.schema import App, apply_migrations
from haven_runtime.settings import Settings


class MigrationError(RuntimeError):
    """The schema cannot be brought up to date automatically; the message says what to do."""


@dataclass
class MigrationReport:
    service: str
    database: str
    applied: list[str] = field(default_factory=list)

    def summary(self) -> str:
        done = f"applied {', '.join(self.applied)}" if self.applied else "already up to date"
        return f"{self.service}: {self.database} — {done}"


def service_definition(service: str):
    """An installed service's :class:`~haven_runtime.app.ServiceDefinition`."""
    from haven_runtime.serve import service_definitions

    eps = service_definitions()
    if service not in eps:
        raise MigrationError(f"unknown service {service!r}; installed: {', '.join(sorted(eps))}")
    try:
        module = importlib.import_module(eps[service].module)
    except ImportError as exc:
        raise MigrationError(f"{service}: cannot import {eps[service].module}: {exc}") from None
    definition = getattr(module, "definition", None)
    if definition is None:
        raise MigrationError(f"{eps[service].module} has no definition(): cannot find {service}'s migrations")
    return definition()


def describe_database(url: str) -> str:
    """The backend and database name, never the credentials."""
    if url.startswith("sqlite:///"):
        return f"sqlite {url.removeprefix('sqlite:///')}"
    parsed = urlparse(url)
    return f"postgresql {parsed.hostname or 'localhost'}:{parsed.port or 5432}/{parsed.path.lstrip('/')}"


def connection_problem(service: str, url: str, exc: BaseException) -> MigrationError | None:
    """One line saying what is wrong with the database connection and what to do, or None.

    The usual first-deployment mistakes — the database not created yet, a wrong password,
    the server not reachable — otherwise end in a driver traceback that names neither the
    database nor the fix."""
    where = describe_database(url)
    variable = f"HAVEN_{service.upper()}_DATABASE_URL (or HAVEN_DATABASE_URL)"
    state = getattr(exc, "sqlstate", None)
    if state == "3D000":
        name = urlparse(url).path.lstrip("/")
        return MigrationError(
            f"{service}: database {where} does not exist; create it (e.g. createdb {name}, "
            f"or deploy/postgres/init-databases.sql) or point {variable} at an existing database"
        )
    if state in ("28P01", "28000"):
        return MigrationError(f"{service}: {where} refused the sign-in; check the user and password in {variable}")
    if isinstance(exc, OSError):
        return MigrationError(
            f"{service}: database {where} is unreachable ({exc.strerror or str(exc) or type(exc).__name__}); "
            f"check that the server is running and the address in {variable}"
        )
    return None


async def _check_connection(service: str, url: str) -> None:
    """Connect once before Piccolo does (its engine connects on construction and only warns)."""
    if not url.startswith(("postgresql://", "postgres://")):
        return
    import asyncpg

    try:
        conn = await asyncpg.connect(url, timeout=10)
    except Exception as exc:
        raise (connection_problem(service, url, exc) or exc) from exc
    await conn.close()


async def migrate_service(service: str, settings: Settings, apps: list[App] | None = None) -> MigrationReport:
    """Apply ``service``'s pending migrations (the runtime's and its own) to its database."""
    url = settings.database_url(service)
    await _check_connection(service, url)
    apps = apps if apps is not None else service_definition(service).schema_apps()
    engine = db.make_engine(url)
    report = MigrationReport(service=service, database=describe_database(url))
    await db.start(engine, [])
    try:
        report.applied = await apply_migrations(engine, apps)
    finally:
        await db.stop(engine)
    return report


async def provision_streams(services: list[str], settings: Settings, replicas: int) -> list[str]:
    """Create or update each service's stream with ``replicas`` replicas; one line per stream."""
    import nats

    from haven_runtime.bus import provision_stream

    nc = await nats.connect((settings.nats_url or "").split(","))
    try:
        js = nc.jetstream()
        for service in services:
            await provision_stream(js, service, replicas=replicas)
        return [f"{service}: stream ready ({replicas} replica(s))" for service in services]
    finally:
        await nc.close()
