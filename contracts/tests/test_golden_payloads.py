"""Published v1 payloads keep decoding.

``golden/<ce-type>.json`` holds a payload exactly as a v1 publisher wrote it. These files
are never edited: if a change to an event class makes one fail to decode, the change is
breaking and belongs in a new version (``v2`` type and subject), not an edit.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from haven_contracts.messages import Event, decode_event, encode, event_type, event_types

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))


def _raw(path: Path) -> dict:
    return json.loads(path.read_text())


def _type_name(path: Path) -> str:
    return path.name.removesuffix(".json")


def test_there_are_golden_payloads():
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=_type_name)
def test_golden_payload_decodes(path: Path):
    event = decode_event(_type_name(path), path.read_bytes())
    assert isinstance(event, Event)
    assert event.type_name() == _type_name(path)
    raw = _raw(path)
    assert event.org == raw["org"]
    # every field the publisher wrote survives a decode/encode round trip
    again = msgspec.json.decode(encode(event))
    for key, value in raw.items():
        assert key in again, key
        if not key.endswith("_at") and key not in ("effective_from",):
            assert again[key] == value, key


@pytest.mark.parametrize("path", FILES, ids=_type_name)
def test_unknown_fields_are_tolerated(path: Path):
    """A newer publisher may add fields; an older consumer must ignore them."""
    raw = _raw(path) | {"added_in_a_later_minor_version": {"nested": [1, 2, 3]}, "another": "x"}
    event = decode_event(_type_name(path), json.dumps(raw).encode())
    assert event.org == raw["org"]


@pytest.mark.parametrize("path", FILES, ids=_type_name)
def test_payload_without_defaulted_fields_decodes(path: Path):
    """A v1 payload written before a defaulted field existed still decodes, with the default."""
    cls = event_type(_type_name(path))
    info = msgspec.inspect.type_info(cls)
    defaulted = {f.encode_name for f in info.fields if not f.required}
    raw = {k: v for k, v in _raw(path).items() if k not in defaulted}
    event = decode_event(_type_name(path), json.dumps(raw).encode())
    for f in info.fields:
        if not f.required:
            expected = f.default if f.default is not msgspec.NODEFAULT else f.default_factory()
            assert getattr(event, f.name) == expected


def test_move_notified_v1_predates_information_shared():
    """The golden MoveNotified payload has no ``information_shared``: it defaults to False."""
    event = decode_event(
        "haven.options.move-notified.v1", (GOLDEN / "haven.options.move-notified.v1.json").read_bytes()
    )
    assert event.information_shared is False


@pytest.mark.parametrize("path", FILES, ids=_type_name)
def test_missing_required_field_is_a_validation_error(path: Path):
    raw = _raw(path)
    raw.pop("org")
    with pytest.raises(msgspec.ValidationError, match="org"):
        decode_event(_type_name(path), json.dumps(raw).encode())


def test_unknown_type_is_a_lookup_error():
    with pytest.raises(LookupError, match="unknown event type"):
        decode_event("haven.options.no-such-event.v1", b"{}")
    with pytest.raises(LookupError):
        decode_event("not-a-type", b"{}")


def test_every_event_type_has_a_valid_name_and_added_fields_have_defaults():
    """Required fields are fixed at v1; the registry lists each type once, sorted."""
    types = event_types()
    names = [t.type_name() for t in types]
    assert names == sorted(names) and len(names) == len(set(names))
    for cls in types:
        assert cls.type_name().startswith(f"haven.{cls.service}.")
        assert "org" in cls.__struct_fields__
