"""The edge's refusals and strict bodies are documented on a bare app exactly as on a service."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Litestar, get, post
from litestar.params import Body

from haven_runtime.errors import ErrorBody, error_body, not_found
from haven_runtime.openapi import Out, StrictStructSchemaPlugin, as_response, document_edge


class Note(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    text: str


class Lax(msgspec.Struct, kw_only=True):
    text: str


class NoteOut(Out):
    ref: str
    text: str


@get("/public/{ref:str}")
async def public_note(ref: str) -> NoteOut:
    return NoteOut(ref=ref, text="")


@post("/notes")
async def add_note(data: Annotated[Note, Body()]) -> NoteOut:
    return NoteOut(ref="N-1", text=data.text)


@post("/lax")
async def add_lax(data: Annotated[Lax, Body()]) -> None:
    return None


def _document() -> dict:
    app = Litestar([public_note, add_note, add_lax], plugins=[StrictStructSchemaPlugin()])
    document_edge(app, ["^/public/"])
    return app.openapi_schema.to_schema()


def test_each_operation_lists_the_statuses_the_edge_can_answer_with_the_error_body():
    paths = _document()["paths"]
    public = paths["/public/{ref}"]["get"]
    assert sorted(public["responses"]) == ["200", "400", "404", "422", "500", "503"]
    assert public["security"] == [{}]
    secured = paths["/notes"]["post"]
    assert sorted(secured["responses"]) == ["201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503"]
    assert "security" not in secured  # the document's bearer requirement applies
    for status, response in secured["responses"].items():
        if status != "201":
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_only_a_body_that_refuses_unknown_fields_says_additional_properties_false():
    schemas = _document()["components"]["schemas"]
    assert schemas["Note"]["additionalProperties"] is False
    assert "additionalProperties" not in schemas["Lax"]
    assert schemas["NoteOut"]["additionalProperties"] is False


def test_the_error_body_is_the_published_struct_and_a_response_refuses_an_unpublished_key():
    body = not_found("case", field="case_ref").body()
    assert msgspec.convert(body, ErrorBody).extra[0].key == "case_ref"
    assert error_body(503, "down", []) == {"status_code": 503, "detail": "down", "extra": []}
    assert as_response({"ref": "N-1", "text": "t"}, NoteOut) == NoteOut(ref="N-1", text="t")
    try:
        as_response({"ref": "N-1", "text": "t", "person": "x"}, NoteOut)
    except msgspec.ValidationError as exc:
        assert "person" in str(exc)
    else:
        raise AssertionError("an unpublished key was dropped silently")
