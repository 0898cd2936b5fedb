"""An AsyncAPI 3.0 document for every Haven event and request, built from the msgspec contracts.

FastStream's own generator only understands pydantic models (STACK.md), so the document is
assembled here: ``msgspec.json.schema_components`` gives the JSON Schema of every payload,
and the subject grammar of :mod:`haven_contracts.subjects` gives each channel's address
with its ``{org}`` / ``{to_org}`` / ``{target_org}`` parameters.

Haven is the application described: it *sends* events (captured by one JetStream stream
per service) and *receives* requests, answering on the caller's reply inbox, which no
stream captures. The committed copy lives in ``asyncapi/haven.asyncapi.json``, beside each
service's OpenAPI in ``asyncapi/openapi/``; ``uv run haven asyncapi`` regenerates all of them
in one go (run it from the repository root after changing an event, a request or an API).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from haven_contracts.messages import ENVELOPE_HEADERS, HEADER_PREFIX, MSG_ID_HEADER, Event, event_types, request_types
from haven_contracts.subjects import event_address, message_type, request_address, stream_name

REF = "#/components/schemas/{name}"
REGENERATE = "uv run haven asyncapi"
DOCUMENTS_DIR = "asyncapi"


def _first_line(doc: str | None) -> str:
    text = " ".join((doc or "").split())
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def _description(doc: str | None) -> str:
    return " ".join((doc or "").split())


def _is_addressed(cls: type[Event]) -> bool:
    return "to_org" in cls.__struct_fields__


def _key(kind: str, cls: type) -> str:
    """Channel and operation ids use only ``[A-Za-z0-9_-]``, as the AsyncAPI 3.0 spec asks."""
    return f"{cls.service}_{kind}_{cls.name}_v{cls.version}"


def _param(description: str) -> dict[str, Any]:
    return {"description": description}


EVENT_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents attributes travel as NATS headers, so subscribers can route without decoding bodies.",
    "required": [
        f"{HEADER_PREFIX}id",
        f"{HEADER_PREFIX}source",
        f"{HEADER_PREFIX}type",
        f"{HEADER_PREFIX}time",
        MSG_ID_HEADER,
    ],
    "properties": {
        f"{HEADER_PREFIX}id": {"type": "string", "description": "Event id; unique, used to de-duplicate."},
        f"{HEADER_PREFIX}source": {"type": "string", "description": "haven/<service>."},
        f"{HEADER_PREFIX}type": {
            "type": "string",
            "description": "haven.<service>.<event>.v<N>; selects the payload schema.",
        },
        f"{HEADER_PREFIX}time": {"type": "string", "format": "date-time"},
        f"{HEADER_PREFIX}subject": {
            "type": "string",
            "description": "Opaque reference of the record the event concerns.",
        },
        f"{HEADER_PREFIX}specversion": {"type": "string", "const": "1.0"},
        MSG_ID_HEADER: {"type": "string", "description": "Equal to ce-id; JetStream drops a republished duplicate."},
        "haven-org": {"type": "string", "description": "Organisation the fact belongs to."},
        "traceparent": {"type": "string", "description": "W3C trace context of the request that caused the event."},
    },
}
for _name, _rule in ENVELOPE_HEADERS.items():  # what consumers accept; anything else is dead-lettered
    EVENT_HEADERS["properties"][f"{HEADER_PREFIX}{_name}"]["pattern"] = f"^{_rule.pattern}$"


def build_document(*, version: str = "1", server: str = "localhost:4222") -> dict[str, Any]:
    """The AsyncAPI 3.0.0 document as a plain dict (deterministic: sorted by type name)."""
    events = event_types()
    requests = request_types()
    replies = sorted({r.reply_type for r in requests}, key=lambda c: c.__name__)
    _, schemas = msgspec.json.schema_components([*events, *requests, *replies], ref_template=REF)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}

    for cls in events:
        key = _key("evt", cls)
        msg_name = f"{cls.service}_{cls.name}_v{cls.version}"
        messages[msg_name] = {
            "name": cls.type_name(),
            "title": cls.__name__,
            "summary": _first_line(cls.__doc__),
            "description": _description(cls.__doc__),
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/EventHeaders"},
            "payload": {"$ref": REF.format(name=cls.__name__)},
        }
        address = event_address(cls.service, cls.name, cls.version, addressed=_is_addressed(cls))
        parameters = {"org": _param("Organisation the fact belongs to (sender of an addressed event).")}
        if _is_addressed(cls):
            parameters["to_org"] = _param("Organisation the event is addressed to.")
        channels[key] = {
            "address": address,
            "title": cls.__name__,
            "description": f"Captured by stream {stream_name(cls.service)}.",
            "parameters": parameters,
            "messages": {msg_name: {"$ref": f"#/components/messages/{msg_name}"}},
        }
        operations[f"publish_{key}"] = {
            "action": "send",
            "title": f"{cls.service} publishes {cls.name} v{cls.version}",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{msg_name}"}],
        }

    channels["reply-inbox"] = {
        "address": None,
        "title": "Requester's reply inbox",
        "description": "A per-connection _INBOX subject; replies are never stored in a stream.",
        "messages": {},
    }
    for cls in requests:
        key = _key("req", cls)
        msg_name = f"{cls.service}_{cls.name}_v{cls.version}_request"
        reply_name = f"{cls.service}_{cls.name}_v{cls.version}_reply"
        reply = cls.reply_type
        messages[msg_name] = {
            "name": message_type(cls.service, cls.name, cls.version),
            "title": cls.__name__,
            "summary": _first_line(cls.__doc__),
            "description": _description(cls.__doc__),
            "contentType": "application/json",
            "payload": {"$ref": REF.format(name=cls.__name__)},
        }
        messages[reply_name] = {
            "name": f"{message_type(cls.service, cls.name, cls.version)}.reply",
            "title": reply.__name__,
            "summary": _first_line(reply.__doc__) or "Reply; ok false carries error and message instead of data.",
            "contentType": "application/json",
            "payload": {"$ref": REF.format(name=reply.__name__)},
        }
        channels[key] = {
            "address": request_address(cls.service, cls.name, cls.version),
            "title": cls.__name__,
            "description": "Request/reply; no stream captures it. Replicas answer through one queue group.",
            "parameters": {"target_org": _param("Organisation whose records are asked about.")},
            "messages": {msg_name: {"$ref": f"#/components/messages/{msg_name}"}},
        }
        channels["reply-inbox"]["messages"][reply_name] = {"$ref": f"#/components/messages/{reply_name}"}
        operations[f"answer_{key}"] = {
            "action": "receive",
            "title": f"{cls.service} answers {cls.name} v{cls.version}",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{msg_name}"}],
            "reply": {
                "channel": {"$ref": "#/channels/reply-inbox"},
                "messages": [{"$ref": f"#/channels/reply-inbox/messages/{reply_name}"}],
            },
        }

    schemas = dict(sorted(schemas.items()))
    schemas["EventHeaders"] = EVENT_HEADERS
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Haven events and requests",
            "version": version,
            "description": (
                "Every event the four Haven services publish on NATS JetStream and every request they answer. "
                "Events carry only opaque references, organisation ids, types, timestamps and deadlines; "
                "personal details move only in authorised replies on the requester's inbox. "
                "Subjects: haven.<service>.evt.<event>.v<N>.<org>[.<to_org>] and "
                "haven.<service>.req.<request>.v<N>.<target_org>. Bus payloads tolerate unknown fields; "
                "fields added after v1 have defaults."
            ),
            "license": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
        },
        "defaultContentType": "application/json",
        "servers": {
            "nats": {
                "host": server,
                "protocol": "nats",
                "description": "NATS with JetStream; one stream per service over haven.<service>.evt.>.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": dict(sorted(messages.items()))},
    }


def render(document: dict[str, Any] | None = None) -> str:
    """Stable text of the document, as committed."""
    return json.dumps(document or build_document(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


__all__ = ["REGENERATE", "build_document", "render"]


def service_openapi(service: str) -> dict[str, Any]:
    """``service``'s OpenAPI document, built without starting it (no bus or database needed)."""
    from haven_runtime.serve import service_definitions
    from haven_runtime.settings import load_settings

    settings = load_settings(
        {"HAVEN_ENV": "test", "HAVEN_NATS_URL": "nats://127.0.0.1:4222", "HAVEN_DATA_DIR": "/nonexistent-haven"}
    )
    app = service_definitions()[service].load()(settings=settings)
    return app.openapi_schema.to_schema()


def _click_commands():
    from pathlib import Path

    import click

    @click.command("asyncapi")
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, allow_dash=True),
        default=None,
        help="Write only the AsyncAPI document to this file ('-': standard output).",
    )
    @click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False),
        default=DOCUMENTS_DIR,
        show_default=True,
        help="Without --out: where haven.asyncapi.json and openapi/<service>.openapi.json go.",
    )
    def asyncapi_command(out: str | None, directory: str) -> None:
        """Write every interface document: the AsyncAPI 3.0 document of every event and
        request, and each installed service's OpenAPI (the committed copies in asyncapi/)."""
        text = render()
        if out == "-":
            click.echo(text, nl=False)
            return
        if out:
            Path(out).write_text(text)
            click.echo(f"wrote {out}", err=True)
            return
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        (target / "haven.asyncapi.json").write_text(text)
        click.echo(f"wrote {target / 'haven.asyncapi.json'}")
        for path in write_openapi(target / "openapi"):
            click.echo(f"wrote {path}")

    @click.command("openapi")
    @click.option("--out-dir", type=click.Path(file_okay=False), default="asyncapi/openapi", show_default=True)
    def openapi_command(out_dir: str) -> None:
        """Write each installed service's OpenAPI document to OUT_DIR/<service>.openapi.json."""
        for path in write_openapi(Path(out_dir)):
            click.echo(f"wrote {path}")

    return [asyncapi_command, openapi_command]


def render_openapi(service: str) -> str:
    """Stable text of ``service``'s OpenAPI document, as committed."""
    return json.dumps(service_openapi(service), indent=2, ensure_ascii=False) + "\n"


def write_openapi(target) -> list:
    """Write ``<target>/<service>.openapi.json`` for every installed service; returns the paths."""
    from pathlib import Path

    from haven_runtime.serve import service_definitions

    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for service in sorted(service_definitions()):
        path = target / f"{service}.openapi.json"
        path.write_text(render_openapi(service))
        written.append(path)
    return written
