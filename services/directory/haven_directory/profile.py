"""Haven's profile of the HSDS reference OpenAPI document: what ``GET /hsds/openapi.json`` serves.

The reference document (``schemas/hsds-3.0/openapi.json``, vendored unchanged, CC BY-SA 4.0)
is a template: its ``info`` says "REQUIRED -- TITLE OF YOUR API HERE", and every operation
lists only its 200 answer. A publisher fills it in. This module does so by *adding* to a copy
and changing nothing an integrator relies on — every path, operation, parameter name and 200
schema of the reference stays as it is (``tests/test_hsds_openapi.py`` checks that):

* ``info`` and ``servers`` name this deployment's API;
* every answer documents ``Access-Control-Allow-Origin: *`` (the public tier is for browsers);
* operations with query parameters document their 400, and ``/{id}`` operations their 404,
  in Litestar's error shape (:data:`ERROR`);
* list operations document ``format=ndjson`` (``application/x-ndjson``);
* two parameters are made precise where the reference leaves them open: ``modified_after``
  (``format: datetime`` is no JSON-Schema format; the profile says a date or a date-time, or
  empty for no filter) and ``format`` (``json`` or ``ndjson``, the two the reference names);
* ``postcode`` and ``proximity`` are left out of ``/service_at_locations``: nothing the public
  tier publishes is geocoded, so the service refuses them with a 400 naming the parameter
  rather than answer "near you" with everything (``api/hsds.py``).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from haven_directory.query import NDJSON
from haven_directory.schemas import HERE

PROFILE_PATH = "/hsds/openapi.json"
OFFICIAL = "hsds-3.0/openapi.json"
UNSUPPORTED_PARAMETERS = frozenset({"postcode", "proximity"})

ERROR: dict[str, Any] = {
    "type": "object",
    "description": "An error: the HTTP status, what went wrong and, for a 400, which parameter (``extra[].key``).",
    "required": ["status_code", "detail"],
    "properties": {
        "status_code": {"type": "integer"},
        "detail": {"type": "string"},
        "extra": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"key": {"type": "string"}, "message": {"type": "string"}, "source": {"type": "string"}},
            },
        },
    },
}
CORS_HEADER: dict[str, Any] = {
    "description": "The public tier is open to any origin.",
    "required": True,
    "schema": {"type": "string", "enum": ["*"]},
}
REFINED_PARAMETERS: dict[str, dict[str, Any]] = {
    "modified_after": {
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "format": "date"},
            {"type": "string", "maxLength": 0},
        ],
        "description": "An ISO 8601 date-time (no offset means UTC), or a date (from midnight UTC); empty means no "
        "filter.",
    },
    "format": {"type": "string", "enum": ["json", "ndjson", ""], "description": "Empty means json."},
}
INFO: dict[str, Any] = {
    "title": "Haven directory: Open Referral (HSDS) public tier",
    "version": "1.0",
    "summary": "Domestic-abuse services, organisations and taxonomy, published as HSDS 3.0 with 3.1's capacities.",
    "description": (
        "Haven's profile of the HSDS reference OpenAPI document (Human Services Data Specification: an Open "
        "Referral resource, https://openreferral.org/, CC BY-SA 4.0). Anonymous GET; nothing here can lead to a refuge."
    ),
    "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
}


@lru_cache(maxsize=1)
def official() -> dict[str, Any]:
    """The vendored reference document, unchanged."""
    return json.loads((HERE / OFFICIAL).read_text(encoding="utf-8"))


def _parameter_name(parameter: dict[str, Any]) -> str:
    return parameter.get("name") or parameter.get("$ref", "").rsplit("/", 1)[-1]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": CORS_HEADER},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _profile_operation(path: str, operation: dict[str, Any]) -> None:
    operation["parameters"] = [
        p for p in operation.get("parameters", []) if _parameter_name(p) not in UNSUPPORTED_PARAMETERS
    ]
    responses = operation["responses"]
    ok = responses["200"]
    ok["headers"] = {"Access-Control-Allow-Origin": CORS_HEADER}
    if any(_parameter_name(p) == "format" for p in operation["parameters"]):
        items = ok["content"]["application/json"]["schema"]["properties"]["contents"]["items"]
        ok["content"][NDJSON] = {
            "schema": {
                "type": "array",
                "items": items,
                "description": "format=ndjson: every result, one JSON object a line, without the page envelope.",
            },
        }
    if operation["parameters"]:
        responses["400"] = _error("A query parameter could not be read; `extra` names it.")
    if "{id}" in path:
        responses["404"] = _error("No public record has this id.")


def hsds_profile(server_url: str) -> dict[str, Any]:
    """The reference document filled in for the API at ``server_url`` (see the module docstring)."""
    doc = copy.deepcopy(official())
    doc["info"] = copy.deepcopy(INFO)
    doc["servers"] = [{"url": server_url.rstrip("/") or "/"}]
    doc["components"]["schemas"]["Error"] = copy.deepcopy(ERROR)
    parameters = doc["components"]["parameters"]
    for name, refined in REFINED_PARAMETERS.items():
        schema = {k: v for k, v in refined.items() if k != "description"}
        parameters[name]["schema"] = copy.deepcopy(schema)
        parameters[name]["description"] = f"{parameters[name]['description']} {refined['description']}"
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                _profile_operation(path, operation)
    return doc
