"""The Litestar app factory every service uses (``create_app``).

A service describes itself with a :class:`ServiceDefinition`; the factory adds the bearer
guard, health and plugin endpoints, and a lifespan that opens the database, applies its
pending migrations (:mod:`haven_runtime.schema`, the same code ``haven migrate`` runs),
provisions the stream and durable consumers, starts the FastStream broker and the outbox
relay, and stops them in reverse order.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from piccolo.table import Table

from haven_contracts.subjects import SERVICES
from haven_runtime import db, observability
from haven_runtime.bus import (
    ConsumerSpec,
    ResponderSpec,
    make_broker,
    provision_consumer,
    provision_stream,
    register_consumer,
    register_responder,
)
from haven_runtime.context import BusStats, ServiceContext
from haven_runtime.deployment import resolve_deployment
from haven_runtime.errors import error_body, exception_handlers
from haven_runtime.federation import InboundStream
from haven_runtime.forwarded import ForwardedMiddleware
from haven_runtime.identity import BearerAuthMiddleware, Principal
from haven_runtime.natsconf import connection_name
from haven_runtime.openapi import StrictStructSchemaPlugin, document_edge
from haven_runtime.outbox import OutboxRelay
from haven_runtime.periodic import PeriodicTask, start_periodic, stop_periodic
from haven_runtime.plugins import HavenPluginManager, build_plugin_manager
from haven_runtime.ratelimit import STATE_KEY as RATE_LIMITS_KEY
from haven_runtime.ratelimit import (
    ListRateLimitMiddleware,
    RateLimits,
    malformed_body_handlers,
)
from haven_runtime.schema import App, apply_migrations, runtime_app
from haven_runtime.settings import Settings, get_settings
from haven_runtime.store import Store
from haven_runtime.tables import RuntimeTables
from haven_runtime.validation import HavenRequest

log = logging.getLogger("haven.app")

PUBLIC_PATHS = ["^/health/", "^/schema", "^/-/plugins$", "^/static/", "^/signin$", "^/signout$", "^/pages(/|$)", "^/$"]
StartupHook = Callable[[ServiceContext], Awaitable[None]]


@dataclass(frozen=True)
class ServiceDefinition:
    """Everything that makes one service: its name, routes, tables and bus handlers.

    ``public_paths`` are regexes excluded from authentication (e.g. the directory's public
    tier); everything else requires a bearer token. ``periodic`` tasks (the overdue-clock
    sweeps) run once the bus is up and stop with the service. ``migrations`` build and
    upgrade ``tables`` (the service's ``migrations`` package, :func:`~haven_runtime.schema.load_app`);
    the runtime's tables have their own.
    """

    name: str
    title: str
    runtime_tables: RuntimeTables
    tables: Sequence[type[Table]] = ()
    route_handlers: Sequence[Any] = ()
    consumers: Sequence[ConsumerSpec] = ()
    responders: Sequence[ResponderSpec] = ()
    on_startup: Sequence[StartupHook] = ()
    public_paths: Sequence[str] = ()
    cors_public: bool = False
    version: str = "0.1.0"
    periodic: Sequence[PeriodicTask] = ()
    extra_app_kwargs: dict[str, Any] = field(default_factory=dict)
    templates_dir: Path | None = None
    #: ``(plugin manager, org) -> [CoreDefault]``: the settings this service applies to ``org``
    #: from core defaults because no plugin of ``org`` sets them (``haven plugins`` lists them).
    core_defaults: Callable[[Any, str], Sequence[Any]] | None = None
    migrations: App | None = None
    #: OpenAPI schema plugins for types documented elsewhere (the directory's HSDS records refer
    #: to Open Referral's published schemas).
    openapi_plugins: Sequence[Any] = ()

    def schema_apps(self) -> list[App]:
        """The runtime's migrations, then the service's: what start-up and ``haven migrate`` apply."""
        return [runtime_app(), *([self.migrations] if self.migrations else [])]

    def __post_init__(self) -> None:
        if self.name not in SERVICES:
            raise ValueError(f"unknown service {self.name!r}")


class _Litestar(Litestar):
    """Litestar without its default pydantic and attrs plugins.

    Litestar adds them whenever the libraries are installed (pydantic is, for FastStream;
    attrs is, for other packages), but no Haven handler takes or returns a pydantic or
    attrs model — bodies are msgspec structs — and importing the plugins (attrs compiles
    its classes at import) was ≈ 0.3 s of each service's start, four times over in
    ``haven up``."""

    @staticmethod
    def _get_default_plugins(plugins: list) -> list:
        from litestar.plugins.core import MsgspecDIPlugin

        return [*plugins, MsgspecDIPlugin()]


def _nats_url(settings: Settings) -> str:
    if not settings.nats_url:
        raise RuntimeError("HAVEN_NATS_URL is not set: start the suite with `haven up`, or point it at a NATS server")
    return settings.nats_url


def _database_unavailable(exc: BaseException | None) -> bool:
    """A connection-level database failure (down, refusing or dropping connections, out of
    connections, locked), as opposed to a fault in the query or the code."""
    while exc is not None:
        state = getattr(exc, "sqlstate", None)
        if isinstance(state, str) and (
            state.startswith(("08", "57P", "53")) or (state == "55000" and "accepting connections" in str(exc))
        ):
            return True
        if isinstance(exc, ConnectionError) or type(exc).__name__ in (
            "ConnectionDoesNotExistError",
            "InterfaceError",
            "InternalClientError",  # asyncpg, on a connection killed mid-query
        ):
            return True
        if type(exc).__name__ == "OperationalError" and any(
            m in str(exc) for m in ("database is locked", "unable to open")
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _internal_error(request: Request, exc: Exception) -> Response:
    """Unexpected errors are logged with the path only; no survivor data reaches the log or the client.

    A database outage answers 503 with ``Retry-After``: the transaction did not commit, so
    nothing changed and the client may retry."""
    if _database_unavailable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return Response(
            error_body(503, "temporarily unavailable, retry shortly", []), status_code=503, headers={"Retry-After": "5"}
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return Response(error_body(500, "internal error", []), status_code=HTTP_500_INTERNAL_SERVER_ERROR)


def create_app(
    definition: ServiceDefinition,
    *,
    settings: Settings | None = None,
    plugins: HavenPluginManager | None = None,
) -> Litestar:
    settings = settings or get_settings()
    plugins = plugins if plugins is not None else build_plugin_manager(settings)
    deployment = resolve_deployment(settings, [o.id for o in plugins.organisations()])
    engine = db.make_engine(settings.database_url(definition.name))
    store = Store(engine, definition.runtime_tables)
    broker = make_broker(_nats_url(settings), name=connection_name(definition.name, deployment.scope))
    relay = OutboxRelay(
        definition.name, definition.runtime_tables.outbox, broker, stream=deployment.stream(definition.name)
    )
    store.on_commit(relay.notify)
    ctx = ServiceContext(
        service=definition.name,
        settings=settings,
        engine=engine,
        store=store,
        broker=broker,
        plugins=plugins,
        relay=relay,
        bus_stats=BusStats(),
        deployment=deployment,
    )
    inbound = (
        InboundStream(
            definition.name, deployment, definition.consumers, rescan_seconds=settings.federation_rescan_seconds
        )
        if deployment.federated and definition.consumers
        else None
    )
    for spec in definition.consumers:
        register_consumer(broker, ctx, spec)
    for responder in definition.responders:
        register_responder(broker, ctx, responder)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        observability.setup_logging(definition.name, settings)  # after the server configured its own logging
        await db.start(engine, [*definition.runtime_tables.all(), *definition.tables])
        applied = await apply_migrations(engine, definition.schema_apps())
        if applied:
            log.info("%s: applied migrations %s", definition.name, ", ".join(applied))
        await broker.connect()
        js = broker.connection.jetstream()
        await provision_stream(js, definition.name, deployment=deployment if deployment.federated else None)
        if inbound is not None:
            await inbound.provision(broker.connection)
        for spec in definition.consumers:
            if inbound is None and spec.from_service != definition.name:
                await provision_stream(js, spec.from_service)
            await provision_consumer(js, definition.name, spec, settings, deployment)
        for hook in definition.on_startup:
            await hook(ctx)
        await broker.start()
        relay.start()
        if inbound is not None:
            await inbound.start(broker.connection)
        ctx.bus_ready = True
        periodic = start_periodic(ctx, tuple(definition.periodic))
        observability.release_memory()  # start-up garbage (imports, plugin loading) back to the system
        try:
            yield
        finally:
            ctx.bus_ready = False
            await stop_periodic(periodic)
            if inbound is not None:
                await inbound.stop()
            await relay.stop()
            await broker.stop()
            await db.stop(engine)

    from haven_runtime.controllers import HealthController, PluginsController
    from haven_runtime.web import security_headers_hook, static_router, template_config
    from haven_runtime.web.signin import SignInController, SignOutController

    public_paths = [*PUBLIC_PATHS, *observability.PUBLIC_PATHS, *definition.public_paths]
    auth = DefineMiddleware(BearerAuthMiddleware, exclude=public_paths)
    app = _Litestar(
        route_handlers=[
            HealthController,
            PluginsController,
            observability.MetricsController,
            SignInController,
            SignOutController,
            static_router(),
            *definition.route_handlers,
        ],
        template_config=template_config(*([definition.templates_dir] if definition.templates_dir else [])),
        middleware=[
            # only behind a trusted proxy: without one it would do nothing, on every request
            *(
                [DefineMiddleware(ForwardedMiddleware, trusted=settings.trusted_proxies)]
                if settings.trusted_proxies
                else []
            ),
            *observability.middleware(definition.name, settings),
            auth,
            ListRateLimitMiddleware,
        ],
        request_class=HavenRequest,  # JSON bodies: 415 unless JSON, 400 on control characters
        before_send=[security_headers_hook],  # no-store, nosniff; CSP on HTML
        lifespan=[lifespan],
        dependencies={
            "ctx": Provide(lambda: ctx, sync_to_thread=False),
            "principal": Provide(_principal, sync_to_thread=False),
        },
        # one body shape for every refusal (haven_runtime.errors), the field named wherever there is one
        exception_handlers={
            **exception_handlers(),
            HTTP_500_INTERNAL_SERVER_ERROR: _internal_error,
            **malformed_body_handlers(_internal_error),
        },
        openapi_config=OpenAPIConfig(
            title=definition.title,
            version=definition.version,
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
            ),
            security=[{"bearer": []}],
            openapi_router=observability.schema_router(),
        ),
        cors_config=CORSConfig(allow_origins=["*"], allow_methods=["GET"], allow_credentials=False)
        if definition.cors_public
        else None,
        request_max_body_size=1_048_576,
        state=State({"haven": ctx, RATE_LIMITS_KEY: RateLimits.from_settings(settings)}),
        plugins=[StrictStructSchemaPlugin(), *definition.openapi_plugins],  # strict bodies: additionalProperties false
        debug=False,
        **definition.extra_app_kwargs,
    )
    document_edge(app, public_paths)  # every route's error statuses, with the one error body
    return app


def _principal(request: Request, ctx: Any) -> Principal:
    """The signed-in caller. It names ``ctx`` only so that Litestar resolves the two one after
    the other: dependencies of one level are resolved concurrently in an anyio task group —
    two tasks per request for two trivial look-ups."""
    user = request.scope.get("user")
    if not isinstance(user, Principal):
        raise HTTPException(status_code=401, detail="a bearer token is required")
    return user


def context_of(app: Litestar) -> ServiceContext:
    return app.state["haven"]
