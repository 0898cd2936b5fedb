"""The official HSDS OpenAPI document, run through schemathesis with every check against the
real directory.

The document is the vendored reference ``schemas/hsds-3.0/openapi.json``, as the directory
serves it at ``/hsds/openapi.json``: Haven's profile fills in the template's ``info``, documents
the 400/404 answers and ``Access-Control-Allow-Origin`` the reference leaves out, and makes
``modified_after`` and ``format`` precise (``haven_directory/profile.py``).
``test_the_profile_keeps_every_operation_parameter_and_schema_of_the_reference`` pins that
the profile only adds to the reference. Its remote ``$ref``s (raw.githubusercontent.com) are
resolved from the vendored copies, so the run needs no network.

The directory runs in-process under uvicorn on a free port with its lifespan (real
nats-server, real SQLite, every shipped plugin's data); the schemathesis command line —
``--checks all``, every phase, deterministic generation — runs against it as an integrator's
CI would. No check is excluded.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import socket
import sys
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import schemathesis
import uvicorn
from schemathesis.specs.openapi.checks import (
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from haven_directory.profile import PROFILE_PATH, REFINED_PARAMETERS, UNSUPPORTED_PARAMETERS, hsds_profile, official
from haven_directory.schemas import with_local_refs
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.serve import service_definitions

HERE = Path(__file__).parent
EXAMPLES = int(os.environ.get("HAVEN_HSDS_FUZZ_EXAMPLES", "20"))
#: A real record for every ``/{id}`` operation, so the examples phase validates real answers
#: against the 200 schemas (random ids only ever meet the documented 404).
ID_SOURCES = {
    "/services/{id}": "/services",
    "/service_at_locations/{id}": "/service_at_locations",
    "/organizations/{id}": "/organizations",
    "/taxonomies/{id}": "/taxonomies",
    "/taxonomy_terms/{id}": "/taxonomy_terms",
}


def _operations(doc: dict) -> dict[tuple[str, str], dict]:
    return {
        (path, method): op
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method != "parameters"
    }


def _names(op: dict) -> list[str]:
    return [p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in op.get("parameters", [])]


def test_the_profile_keeps_every_operation_parameter_and_schema_of_the_reference():
    reference, profile = official(), hsds_profile("https://directory.example")
    assert reference["info"]["title"].startswith("REQUIRED")  # the reference is a template
    assert not profile["info"]["title"].startswith("REQUIRED") and profile["servers"] == [
        {"url": "https://directory.example"}
    ]
    assert profile["paths"].keys() == reference["paths"].keys()
    for key, op in _operations(reference).items():
        mine = _operations(profile)[key]
        assert [n for n in _names(op) if n not in UNSUPPORTED_PARAMETERS] == _names(mine), key
        assert (
            mine["responses"]["200"]["content"]["application/json"]
            == op["responses"]["200"]["content"]["application/json"]
        ), key
        assert mine["operationId"] == op["operationId"]
        assert set(mine["responses"]) - {"200", "400", "404"} == set()
    # only two parameters are made precise, and only the unsupported geography is left out
    for name, component in reference["components"]["parameters"].items():
        refined = profile["components"]["parameters"][name]
        assert (refined["schema"] != component["schema"]) == (name in REFINED_PARAMETERS), name
        assert refined["name"] == component["name"] and refined["in"] == component["in"]
    removed = {
        n
        for key, op in _operations(reference).items()
        for n in _names(op)
        if n not in _names(_operations(profile)[key])
    }
    assert removed == {"postcode", "proximity"}
    # the vendored reference itself is unchanged
    assert json.loads((HERE.parent / "haven_directory/schemas/hsds-3.0/openapi.json").read_text()) == reference


def _serve(app) -> tuple[uvicorn.Server, threading.Thread, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="directory-under-schemathesis", daemon=True
    )
    thread.start()
    return server, thread, sock.getsockname()[1]


async def _document_with_examples(base: str) -> dict:
    """The profile as served (found through ``GET /``), with real ids as path examples and
    its remote references pointed at the vendored schemas."""
    async with httpx.AsyncClient(base_url=base) as client:
        root = (await client.get("/")).json()
        assert root["openapi_url"] == f"{base}{PROFILE_PATH}"
        doc = (await client.get(root["openapi_url"])).json()
        for path, source in ID_SOURCES.items():
            first = (await client.get(source, params={"per_page": 1})).json()["contents"][0]
            for parameter in doc["paths"][path]["parameters"]:
                if parameter["name"] == "id":
                    parameter["example"] = first["id"]
    return with_local_refs(doc)


@pytest.mark.timeout(600)
async def test_schemathesis_with_every_check_finds_nothing(haven_settings, tmp_path):
    app = service_definitions()["directory"].load()(
        settings=haven_settings, plugins=build_plugin_manager(haven_settings)
    )
    server, thread, port = _serve(app)
    try:
        for _ in range(600):
            if server.started or not thread.is_alive():
                break
            await asyncio.sleep(0.05)
        assert server.started, "the directory did not start"
        base = f"http://127.0.0.1:{port}"
        document = tmp_path / "hsds-openapi.json"
        document.write_text(json.dumps(await _document_with_examples(base)))
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "schemathesis_ndjson",
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(document),
            "--url",
            base,
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES),
            "--generation-deterministic",
            "--workers",
            "1",
            "--no-color",
            "--output-truncate",
            "false",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out = (await asyncio.wait_for(proc.communicate(), timeout=540))[0].decode("utf-8", "replace")
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 30)
    assert proc.returncode == 0, out[-12000:]
    assert "Tested: 11" in out and " passed" in out, out[-4000:]
    assert "Examples" in out and "⏭  Examples" not in out, "the examples phase (real ids) did not run"


def _answer(status: int, body: dict, url: str, *, cors: bool = True) -> httpx.Response:
    response = httpx.Response(
        status,
        json=body,
        headers={"Access-Control-Allow-Origin": "*"} if cors else {},
        request=httpx.Request("GET", url),
    )
    response.elapsed = timedelta(0)
    return response


def _failure(case, response, **kwargs) -> str:
    """The text of every failure schemathesis reports for ``response`` ("" if none)."""
    try:
        case.validate_response(response, **kwargs)
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - a single failure or a group of them
        return " | ".join(str(e) for e in getattr(exc, "exceptions", [exc]))
    return ""


def test_the_checks_fail_on_the_regressions_this_test_guards():
    """The run above is only worth something if the checks bite: a relative ``openapi_url``,
    an error without the CORS header, an undocumented status and a bad NDJSON line are each
    reported."""
    schema = schemathesis.openapi.from_dict(with_local_refs(hsds_profile("http://testserver")))
    relative = _answer(200, {"version": "3.1", "openapi_url": "/openapi.json"}, "http://testserver/")
    assert '"/openapi.json" is not a "uri"' in _failure(schema["/"]["GET"].Case(), relative)

    one = schema["/services/{id}"]["GET"].Case(path_parameters={"id": "x"})
    no_cors = _answer(
        404, {"status_code": 404, "detail": "no such service"}, "http://testserver/services/x", cors=False
    )
    assert "Access-Control-Allow-Origin" in _failure(one, no_cors, checks=[response_headers_conformance])
    undocumented = _answer(422, {"status_code": 422, "detail": "?"}, "http://testserver/services/x")
    assert "Received: 422" in _failure(one, undocumented, checks=[status_code_conformance])
    ok = _answer(404, {"status_code": 404, "detail": "no such service"}, "http://testserver/services/x")
    assert _failure(one, ok) == ""

    # with the hook module the run loads, an NDJSON answer is validated line by line
    spec = importlib.util.spec_from_file_location("schemathesis_ndjson", HERE / "schemathesis_ndjson.py")
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    listing = schema["/services"]["GET"].Case(query={"format": "ndjson"})
    lines = httpx.Response(
        200,
        content=b'{"id": "not-a-uuid", "status": "active"}\n',
        request=httpx.Request("GET", "http://testserver/services"),
        headers={"Content-Type": "application/x-ndjson", "Access-Control-Allow-Origin": "*"},
    )
    lines.elapsed = timedelta(0)
    assert '"name" is a required property' in _failure(listing, lines, checks=[response_schema_conformance])
