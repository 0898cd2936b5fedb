"""Each service's OpenAPI document can be published without starting the service, and is
the document the running service serves."""

from __future__ import annotations

import json

from haven_runtime.ops.asyncapi import _click_commands, service_openapi
from haven_runtime.serve import service_definitions


async def test_published_openapi_is_what_the_service_serves(start_service):
    client = await start_service("sanctuary")
    served = (await client.get("/schema/openapi.json")).json()
    published = json.loads(json.dumps(service_openapi("sanctuary")))
    assert published["paths"].keys() == served["paths"].keys()
    assert published["info"] == served["info"]


def test_openapi_command_writes_one_document_per_service(tmp_path):
    from click.testing import CliRunner

    command = next(c for c in _click_commands() if c.name == "openapi")
    result = CliRunner().invoke(command, ["--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in service_definitions():
        doc = json.loads((tmp_path / f"{name}.openapi.json").read_text())
        assert doc["openapi"].startswith("3.1") and doc["paths"]


async def test_committed_interface_documents_are_what_the_services_serve(start_service):
    """Every committed document in asyncapi/ matches the running services (and the contracts):
    an API change without `uv run haven asyncapi` fails here, naming the command."""
    from pathlib import Path

    from haven_runtime.ops.asyncapi import REGENERATE, render

    root = Path(__file__).resolve().parents[1] / "asyncapi"
    assert (root / "haven.asyncapi.json").read_text() == render(), (
        f"asyncapi/haven.asyncapi.json is out of date; run: {REGENERATE}"
    )
    committed = sorted(p.name for p in (root / "openapi").glob("*.openapi.json"))
    assert committed == sorted(f"{s}.openapi.json" for s in service_definitions()), f"run: {REGENERATE}"
    stale = []
    for service in sorted(service_definitions()):
        client = await start_service(service)
        served = (await client.get("/schema/openapi.json")).json()
        if json.loads((root / "openapi" / f"{service}.openapi.json").read_text()) != served:
            stale.append(service)
    assert not stale, f"asyncapi/openapi/ differs from what {', '.join(stale)} serve(s); run: {REGENERATE}"


def test_asyncapi_command_regenerates_every_document_in_one_go(tmp_path):
    from click.testing import CliRunner

    from haven_runtime.ops.asyncapi import render

    command = next(c for c in _click_commands() if c.name == "asyncapi")
    result = CliRunner().invoke(command, ["--dir", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs" / "haven.asyncapi.json").read_text() == render()
    assert sorted(p.name for p in (tmp_path / "docs" / "openapi").iterdir()) == sorted(
        f"{s}.openapi.json" for s in service_definitions()
    )
    printed = CliRunner().invoke(command, ["--out", "-"])
    assert printed.exit_code == 0 and json.loads(printed.output)["asyncapi"] == "3.0.0"
