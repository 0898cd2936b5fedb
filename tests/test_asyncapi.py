"""The AsyncAPI 3.0 document of Haven's events and requests: valid, complete and current."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from haven_contracts.messages import event_types, request_types
from haven_runtime.ops.asyncapi import REGENERATE, build_document, render

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "asyncapi" / "haven.asyncapi.json"
SCHEMA = Path(__file__).parent / "schemas" / "asyncapi" / "asyncapi-3.0.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))


def test_committed_document_is_current():
    """Other changes add events; the committed document must follow them."""
    assert COMMITTED.exists(), f"asyncapi/haven.asyncapi.json is missing; run: {REGENERATE}"
    assert COMMITTED.read_text() == render(), f"asyncapi/haven.asyncapi.json is out of date; run: {REGENERATE}"


def test_document_validates_against_asyncapi_3_schema(validator):
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(build_document())]
    assert errors == []


def test_validator_rejects_a_broken_document(validator):
    """Guards the test above: the vendored schema really checks operations and channels."""
    broken = copy.deepcopy(build_document())
    first = next(iter(broken["operations"]))
    broken["operations"][first]["action"] = "publish"  # AsyncAPI 2 wording, invalid in 3.0
    assert not validator.is_valid(broken)


def test_every_event_and_request_has_a_channel_and_payload_schema():
    doc = build_document()
    addresses = {c["address"] for c in doc["channels"].values()}
    schemas = doc["components"]["schemas"]
    for cls in event_types():
        head = f"haven.{cls.service}.evt.{cls.name}.v{cls.version}.{{org}}"
        expected = head + ".{to_org}" if "to_org" in cls.__struct_fields__ else head
        assert expected in addresses, cls
        assert cls.__name__ in schemas
    for cls in request_types():
        assert f"haven.{cls.service}.req.{cls.name}.v{cls.version}.{{target_org}}" in addresses
        assert cls.reply_type.__name__ in schemas


def test_payload_schemas_name_their_required_fields():
    """Integrators rely on the schema: required fields are the ones without defaults."""
    schemas = build_document()["components"]["schemas"]
    for cls in event_types():
        schema = schemas[cls.__name__]
        assert "org" in schema["required"], cls
        assert set(schema["required"]) <= set(schema["properties"])


def test_ids_use_the_characters_asyncapi_allows():
    import re

    doc = build_document()
    ids = [*doc["channels"], *doc["operations"], *doc["components"]["messages"], *doc["components"]["schemas"]]
    ids += [m for c in doc["channels"].values() for m in c["messages"]]
    assert [i for i in ids if not re.fullmatch(r"[A-Za-z0-9_\-]+", i)] == []
