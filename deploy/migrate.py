"""One-off deployment job: create every service's tables and its replicated JetStream stream.

Run before the services start (compose.yaml's ``migrate`` service, ``depends_on`` with
``service_completed_successfully``)::

    python deploy/migrate.py            # every installed service
    python deploy/migrate.py options    # one

Table creation is idempotent (``CREATE TABLE IF NOT EXISTS`` and the runtime's unique
indexes), so the job is safe to re-run on every deployment. ``HAVEN_STREAM_REPLICAS``
(default 1; compose sets 3) sets each stream's replica count; the services keep an
existing stream's replica count when they start.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys

from haven_runtime import db
from haven_runtime.bus import provision_stream
from haven_runtime.serve import service_definitions
from haven_runtime.settings import get_settings


def _definition(service: str):
    ep = service_definitions()[service]
    return importlib.import_module(ep.value.split(":", 1)[0]).definition()


async def migrate(services: list[str]) -> None:
    import nats

    settings = get_settings()
    replicas = int(os.environ.get("HAVEN_STREAM_REPLICAS", "1"))
    for service in services:
        definition = _definition(service)
        engine = db.make_engine(settings.database_url(service))
        await db.start(engine, [*definition.runtime_tables.all(), *definition.tables])
        await db.stop(engine)
        print(f"{service}: tables ready", flush=True)
    if settings.nats_url:
        nc = await nats.connect(settings.nats_url.split(","))
        try:
            js = nc.jetstream()
            for service in services:
                await provision_stream(js, service, replicas=replicas)
                print(f"{service}: stream ready ({replicas} replica(s))", flush=True)
        finally:
            await nc.close()


def main(argv: list[str]) -> None:
    services = argv or sorted(service_definitions())
    unknown = sorted(set(services) - set(service_definitions()))
    if unknown:
        raise SystemExit(f"unknown service(s): {', '.join(unknown)}")
    asyncio.run(migrate(services))


if __name__ == "__main__":
    main(sys.argv[1:])
