"""Run one service as its own process: ``python -m haven_runtime.serve <service>``.

Services are found through the ``haven.services`` entry-point group, so the runtime never
imports a service directly. Served by uvicorn with uvloop and httptools.
"""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points

import uvicorn
from uvicorn.main import STARTUP_FAILURE

from haven_runtime.logs import configure_logging
from haven_runtime.settings import SettingsError, get_settings

SERVICE_GROUP = "haven.services"


def service_definitions() -> dict[str, EntryPoint]:
    """``{name: ServiceDefinition factory}`` for every installed service."""
    return {ep.name: ep for ep in entry_points(group=SERVICE_GROUP)}


def load_app(service: str):
    eps = service_definitions()
    if service not in eps:
        raise SystemExit(f"unknown service {service!r}; installed: {', '.join(sorted(eps))}")
    factory = eps[service].load()
    return factory()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: python -m haven_runtime.serve <service>")
    service = argv[0]
    try:
        settings = get_settings()
    except SettingsError as exc:
        raise SystemExit(f"configuration error: {exc}") from None
    configure_logging(service, settings.log_level)
    try:
        app = load_app(service)  # resolves the hosted organisations against the loaded plugins
    except SettingsError as exc:
        raise SystemExit(f"configuration error: {exc}") from None
    configure_logging(service, settings.log_level)
    server = uvicorn.Server(server_config(app, settings, service))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    if not server.started:
        sys.exit(STARTUP_FAILURE)  # as uvicorn.run does: the supervisor reports e.g. a taken port


def server_config(app, settings, service: str, *, port: int | None = None) -> uvicorn.Config:
    """How a service is served (one place, so tests serve it the same way)."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port(service) if port is None else port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        timeout_graceful_shutdown=10,
        # uvicorn's default believes X-Forwarded-For from any local peer; Haven believes it
        # only from HAVEN_TRUSTED_PROXIES (haven_runtime.forwarded)
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
