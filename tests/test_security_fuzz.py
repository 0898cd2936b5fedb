"""Hostile input against every service's OpenAPI: schemathesis
generates valid and invalid requests for every operation; no answer may be a server error,
every successful answer must match the schema, and invalid input must be refused with 4xx.

Each service runs in-process with its lifespan (real nats-server, temporary SQLite). The
caller holds every role for its own organisation, and ``{org}`` path parameters name that
organisation, so generated requests reach the handlers rather than stopping at a guard.
``HAVEN_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 4).
"""

from __future__ import annotations

import asyncio
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from haven_runtime.identity import ROLES, issue_token
from haven_runtime.serve import service_definitions
from haven_runtime.testing import sender_on

SERVICES = sorted(service_definitions())
EXAMPLES = int(os.environ.get("HAVEN_FUZZ_EXAMPLES", "4"))
ORG = "bexley"


def _run_operation(op, mode: GenerationMode, send, headers: dict[str, str]) -> str | None:
    """Drive one operation with Hypothesis in this (worker) thread; the first failure's text or None."""
    pinned = {"org": ORG} if "{org}" in op.path else None
    # every status answered is one the document lists for that operation
    checks = [not_a_server_error, status_code_conformance] + (
        [response_schema_conformance] if mode is GenerationMode.POSITIVE else [negative_data_rejection]
    )

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        print_blob=False,
    )
    @given(op.as_strategy(generation_mode=mode, path_parameters=pinned, headers=headers))
    def check(case):
        kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=headers)
        response = send(kwargs)
        case.validate_response(response, checks=checks)

    try:
        check()
    except Unsatisfiable:
        return None  # nothing in this operation can be made invalid (e.g. only free-form path strings)
    except Exception as exc:  # noqa: BLE001 - collect and report every operation
        return f"{type(exc).__name__}: {str(exc)[:1500]}"
    return None


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
@pytest.mark.parametrize("service", SERVICES)
async def test_every_operation_survives_generated_input(service, start_service, haven_settings, db_backend):
    for other in SERVICES:  # cross-service requests (e.g. options asking the directory) need their responders
        if other != service:
            await start_service(other)
    client = await start_service(service)
    raw = (await client.get("/schema/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(raw)
    loop = asyncio.get_running_loop()
    token = issue_token("fuzzer", ORG, sorted(ROLES), settings=haven_settings)
    headers = {"Authorization": f"Bearer {token}"}

    send = sender_on(client, loop)

    failures, operations = [], 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            error = await asyncio.to_thread(_run_operation, op, mode, send, headers)
            if error:
                failures.append(f"--- {op.label} [{mode.value}]\n{error}")
    assert operations >= 3
    assert not failures, (
        f"{service} on {db_backend}: {len(failures)} operation(s) failed under generated input:\n" + "\n".join(failures)
    )
