"""What every service's OpenAPI document says about the HTTP edge, written in one place.

:func:`document_edge` walks the routes of a built app and adds to each operation the error
statuses the runtime itself can answer, each with the one error body
(:class:`~haven_runtime.errors.ErrorBody`):

======  ==================================================================================
status  documented on
======  ==================================================================================
400     routes with a body or parameters: the input does not fit its schema (field named)
422     the same routes: the input fits, a rule refuses a field's value (field named)
401     routes that need a bearer token (not under the service's public paths)
403     the same: the caller's roles or organisation do not allow it
429     the same: too many failed sign-ins, or too many list requests
404     routes with a path parameter: no such record
409     routes that change something (POST, PUT, PATCH, DELETE): the record's state refuses it
413     routes with a body: over the body's or a field's limit
415     routes with a body: not sent as JSON
500     every route: an unexpected error (nothing about the request is echoed)
503     every route: the database or a dependency is down; ``Retry-After`` says when to retry
======  ==================================================================================

A service's handlers answer :class:`Out` structs (typed in the document) built with
:func:`as_response` from the rows and mappings their domain modules return.

A handler's own ``responses`` win for a status it documents itself (``/health/ready``
answers 503 with its readiness body). Public routes are marked as needing no token
(``security: [{}]``), the others inherit the document's bearer requirement.

:class:`StrictStructSchemaPlugin` publishes ``additionalProperties: false`` for a msgspec
struct declared with ``forbid_unknown_fields=True``: the server refuses an unknown field in
such a body (400), so the document says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

import msgspec
from litestar._openapi.schema_generation.plugins import StructSchemaPlugin  # the framework's struct schemas
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Schema
from litestar.routes import HTTPRoute

from haven_runtime.errors import ErrorBody

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.handlers import HTTPRouteHandler
    from litestar.typing import FieldDefinition

EDGE_STATUSES: dict[int, str] = {
    400: "The request does not fit its schema (a missing, wrongly typed or unknown field); `extra` names it",
    401: "A bearer token is required, or the token is invalid or expired",
    403: "The caller's roles or organisation do not allow this",
    404: "No such record (or one the caller may not know exists)",
    409: "The record's current state does not allow this step; nothing changed",
    413: "The body or a field is over its stated limit",
    415: "The body is not JSON",
    422: "A rule refuses the value of a field; `extra` names it",
    429: "Too many failed sign-ins or list requests; `Retry-After` says when to try again",
    500: "An unexpected error (logged with the path only; the answer echoes nothing of the request)",
    503: "The database or a dependency is unavailable; nothing changed, retry after `Retry-After` seconds",
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Handler arguments the framework or the runtime provides, which are not request parameters.
_NOT_PARAMETERS = frozenset({"request", "socket", "state", "scope", "headers", "cookies", "query", "body", "data"})
NO_TOKEN: list[dict[str, list[str]]] = [{}]  # an OpenAPI security requirement that is met without credentials


def edge_statuses(
    *, method: str, has_body: bool, has_parameters: bool, has_path_parameters: bool, secured: bool
) -> list[int]:
    """The error statuses the edge can answer for one operation (the table in this module's docstring)."""
    statuses = {500, 503}
    if has_body or has_parameters:
        statuses |= {400, 422}
    if secured:
        statuses |= {401, 403, 429}
    if has_path_parameters:
        statuses.add(404)
    if method in WRITE_METHODS:
        statuses.add(409)
    if has_body:
        statuses |= {413, 415}
    return sorted(statuses)


def error_response(status: int) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=EDGE_STATUSES[status], generate_examples=False)


def _has_body(handler: HTTPRouteHandler) -> bool:
    if "data" in handler.parsed_fn_signature.parameters:
        return True
    return any("data" in d.parsed_fn_signature.parameters for d in handler.resolve_dependencies().values())


def _has_parameters(handler: HTTPRouteHandler, route: HTTPRoute) -> bool:
    if route.path_parameters:
        return True
    dependencies = handler.resolve_dependencies()
    names = handler.parsed_fn_signature.parameters
    return any(name not in dependencies and name not in _NOT_PARAMETERS for name in names)


def document_edge(app: Litestar, public_paths: Iterable[str]) -> None:
    """Add the edge's error statuses to every operation of ``app`` and mark its public ones.

    Runs once the app is built (its routes resolved) and before its document is first
    generated, which the framework does lazily on the first request for it."""
    public = re.compile("|".join(f"(?:{p})" for p in public_paths)) if public_paths else None
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        secured = not (public and public.search(route.path))
        for method, (handler, _) in route.route_handler_map.items():
            if not handler.resolve_include_in_schema():
                continue
            handler_secured = secured and not handler.opt.get("exclude_from_auth")
            statuses = edge_statuses(
                method=method,
                has_body=_has_body(handler),
                has_parameters=_has_parameters(handler, route),
                has_path_parameters=bool(route.path_parameters),
                secured=handler_secured,
            )
            handler.responses = {**{s: error_response(s) for s in statuses}, **(handler.responses or {})}
            if not handler_secured:
                handler.security = NO_TOKEN


T = TypeVar("T")


class Out(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The base of a response struct. Built from a mapping, it refuses a key it does not
    publish, so a domain mapping that gains a field fails loudly in tests instead of the
    answer silently losing it (and the document says ``additionalProperties: false``)."""


@overload
def as_response(value: Any, kind: type[T]) -> T: ...
@overload
def as_response(value: Any, kind: Any) -> Any: ...
def as_response(value: Any, kind: Any) -> Any:
    """``value`` (a mapping, a row object, or a list of them, as the domain returns it) as the
    response type ``kind`` (an :class:`Out`, or ``list[...]`` of one)."""
    return msgspec.convert(value, kind, from_attributes=True)


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """The framework's msgspec struct schema, plus ``additionalProperties: false`` for a struct
    that refuses unknown fields (``forbid_unknown_fields=True``)."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        if getattr(field_definition.type_, "__struct_config__", None) is not None and isinstance(schema, Schema):
            if field_definition.type_.__struct_config__.forbid_unknown_fields:
                schema.additional_properties = False
        return schema


__all__ = ["EDGE_STATUSES", "Out", "StrictStructSchemaPlugin", "as_response", "document_edge", "edge_statuses"]
