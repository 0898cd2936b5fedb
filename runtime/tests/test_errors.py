"""The one error hierarchy: every refusal answers one body shape naming the field, the
framework's own validation errors included; a refusal in a bus handler is dead-lettered with
its reason unless retrying could cure it; and no service defines errors of its own."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Annotated

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from haven_runtime.audit import Refused
from haven_runtime.errors import (
    Conflict,
    HavenError,
    Invalid,
    PermanentError,
    as_permanent,
    conflict,
    exception_handlers,
    forbidden,
    invalid,
    not_found,
    too_large,
    unavailable,
    unprocessable,
)
from haven_runtime.safe_address import Block, SafeAddressBlocked
from haven_runtime.validation import HavenRequest

ROOT = Path(__file__).resolve().parents[2]


class Person(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1)]


class Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    person: Person
    adults: int


@post("/things", status_code=201)
async def make(data: JSONBody[Body]) -> dict:
    return {"ok": True}


@get("/things/{ref:str}")
async def read(ref: str, purpose: str) -> dict:
    raises = {
        "gone": not_found("thing"),
        "theirs": forbidden(),
        "twice": conflict("already decided"),
        "down": unavailable("the directory did not answer"),
        "big": too_large("attachment", 10),
        "dup": conflict("already exists", field="key"),
    }
    if ref in raises:
        raise raises[ref]
    return {"ref": ref}


@pytest.fixture(scope="module")
def client():
    app = Litestar(
        [make, read], request_class=HavenRequest, exception_handlers=exception_handlers(), request_max_body_size=1000
    )
    with TestClient(app) as c:
        yield c


def shape(r) -> dict:
    body = r.json()
    assert set(body) == {"status_code", "detail", "extra"} and body["status_code"] == r.status_code, body
    assert all(set(item) == {"key", "message"} for item in body["extra"]), body
    return body


def named(r) -> str:
    body = shape(r)
    assert body["extra"] and body["detail"].startswith(body["extra"][0]["key"] + ": "), body
    return body["extra"][0]["key"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"adults": 1}, "person"),  # missing at the top
        ({"person": {}, "adults": 1}, "person.name"),  # missing inside an object
        ({"person": {"name": "Jo"}, "adults": "two"}, "adults"),  # wrong type
        ({"person": {"name": ""}, "adults": 1}, "person.name"),  # constraint
        ({"zz_unknown": 1, "person": {"name": "Jo"}, "adults": 1}, "zz_unknown"),
        ({"person": {"name": "Jo", "zz_unknown": 1}, "adults": 1}, "person.zz_unknown"),
        ([], "body"),  # not an object at all
        ({"person": {"name": "Jo\x00"}, "adults": 1}, "person.name"),  # a control character
    ],
)
def test_framework_validation_names_the_field_itself(client, body, field):
    r = client.post("/things", json=body)
    assert r.status_code == 400 and named(r) == field, r.text


def test_request_level_refusals_name_what_was_wrong(client):
    assert named(client.get("/things/x")) == "purpose"  # missing query parameter
    assert named(client.post("/things", content=b"{nope", headers={"content-type": "application/json"})) == "body"
    assert named(client.post("/things", content=b"{}", headers={"content-type": "text/plain"})) == "content-type"
    big = client.post("/things", content=b'{"x": "' + b"a" * 2000 + b'"}', headers={"content-type": "application/json"})
    assert big.status_code == 413 and named(big) == "body" and "1000 bytes" in big.json()["detail"]


def test_domain_refusals_answer_the_same_shape(client):
    expected = {
        "gone": (404, None),
        "theirs": (403, None),
        "twice": (409, None),
        "down": (503, None),
        "big": (413, "attachment"),
        "dup": (409, "key"),
    }
    for ref, (status, field) in expected.items():
        r = client.get(f"/things/{ref}", params={"purpose": "casework"})
        body = shape(r)
        assert r.status_code == status and [i["key"] for i in body["extra"]] == ([field] if field else []), (
            ref,
            r.text,
        )
    assert client.get("/things/down", params={"purpose": "casework"}).headers["retry-after"] == "5"
    assert client.get("/no-such-route").json() == {"status_code": 404, "detail": "Not Found", "extra": []}


def test_the_hierarchy():
    assert (invalid("a", "b").status_code, unprocessable("a", "b").status_code) == (400, 422)
    assert isinstance(unprocessable("a", "b"), Invalid) and unprocessable("a", "b").detail == "a: b"
    assert not_found("case", field="case_ref").body()["extra"] == [{"key": "case_ref", "message": "no such case"}]
    assert isinstance(SafeAddressBlocked([Block(rule="confidential_address", address_ref="A", reason="r")]), Conflict)
    refusal = Refused(None, "read", "case", "CASE-1", entity_org="", purpose="", reason="x", status_code=404)
    assert isinstance(refusal, HavenError) and refusal.status_code == 404 and refusal.detail == "not found"


def test_a_refusal_in_a_bus_handler_is_permanent_unless_retrying_could_cure_it():
    """One mapping (``as_permanent``), used by the bus: invalid, not found, forbidden, conflict
    and too large dead-letter at once with status and reason; unavailable and anything else retry."""
    for exc, reason in [
        (invalid("to_org", "must be another organisation"), "400 to_org: must be another organisation"),
        (unprocessable("case_ref", "no such case"), "422 case_ref: no such case"),
        (not_found("case"), "404 no such case"),
        (forbidden(), "403 not permitted"),
        (conflict("case is closed"), "409 case is closed"),
        (too_large("body", 5), "413 body: larger than the limit of 5 bytes"),
    ]:
        permanent = as_permanent(exc)
        assert isinstance(permanent, PermanentError) and str(permanent) == reason
    own = PermanentError("runs no scheme")
    assert as_permanent(own) is own
    assert as_permanent(unavailable("directory down")) is None and as_permanent(RuntimeError("x")) is None


# -- no service defines errors of its own -------------------------------------------------------


def _service_modules() -> list[Path]:
    roots = [*sorted((ROOT / "services").glob("*/haven_*")), *sorted((ROOT / "plugins").glob("*/haven_*"))]
    return [p for root in roots for p in sorted(root.rglob("*.py"))]


def _error_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    if path.stem in ("errors", "exceptions"):
        found.append("an error module of its own")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("litestar.exceptions"):
            found.append(f"line {node.lineno}: imports litestar.exceptions")
        elif isinstance(node, ast.Import) and any(a.name.startswith("litestar.exceptions") for a in node.names):
            found.append(f"line {node.lineno}: imports litestar.exceptions")
        elif isinstance(node, ast.ClassDef):
            bases = {
                b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases
            }
            if any(
                b == "Exception"
                or b.endswith(("Error", "Exception"))
                or b in ("HavenError", "Invalid", "Conflict", "NotFound", "Forbidden")
                for b in bases
            ):
                found.append(f"line {node.lineno}: defines the error class {node.name}")
    return found


def test_no_service_or_plugin_defines_errors_or_raises_framework_exceptions():
    """Services and plugins raise ``haven_runtime.errors``; the HTTP shape is decided once."""
    modules = _service_modules()
    assert len(modules) > 50
    offences = [f"{p.relative_to(ROOT)}: {o}" for p in modules for o in _error_offences(p)]
    assert not offences, "\n".join(offences)
