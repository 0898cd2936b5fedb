"""Each service's OpenAPI document can be published without starting the service, and is
the document the running service serves."""

from __future__ import annotations

import json

import pytest

from haven_runtime.asyncapi import _click_commands, service_openapi
from haven_runtime.serve import service_definitions

pytestmark = pytest.mark.asyncio


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
