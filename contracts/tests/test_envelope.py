"""The CloudEvents-style envelope travels as ``ce-*`` headers; ``Nats-Msg-Id`` is ``ce-id``
so JetStream de-duplicates a republished event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import MSG_ID_HEADER, Envelope, envelope_for


def _event() -> MoveNotified:
    return MoveNotified(
        org="bexley",
        to_org="bromley",
        notification_ref="JWA-1",
        case_ref="CASE-1",
        addressed_to=["bromley-dv-lead"],
        notified_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )


def test_round_trip_through_headers():
    env = envelope_for(_event(), subject="JWA-1")
    headers = env.to_headers()
    assert all(isinstance(v, str) for v in headers.values())
    back = Envelope.from_headers(headers)
    assert back == env
    assert headers[MSG_ID_HEADER] == headers["ce-id"] == env.id
    assert headers["ce-type"] == "haven.options.move-notified.v1"
    assert headers["ce-source"] == "haven/options"
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-subject"] == "JWA-1"


def test_time_is_written_in_utc_and_keeps_the_instant():
    local = datetime(2026, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    env = envelope_for(_event(), time=local, event_id="01JABCDEF0123456789ABCDEFG")
    headers = env.to_headers()
    assert headers["ce-time"].endswith("+00:00")
    assert Envelope.from_headers(headers).time == local
    assert headers["Nats-Msg-Id"] == "01JABCDEF0123456789ABCDEFG"


def test_no_subject_header_when_no_reference():
    headers = envelope_for(_event()).to_headers()
    assert "ce-subject" not in headers
    assert Envelope.from_headers(headers).subject is None


def test_unknown_headers_are_ignored():
    headers = envelope_for(_event()).to_headers() | {"haven-org": "bexley", "traceparent": "00-abc"}
    assert Envelope.from_headers(headers).type == "haven.options.move-notified.v1"


@pytest.mark.parametrize("missing", ["ce-id", "ce-source", "ce-type", "ce-time"])
def test_missing_header_is_named(missing: str):
    headers = envelope_for(_event()).to_headers()
    del headers[missing]
    with pytest.raises(ValueError, match=missing):
        Envelope.from_headers(headers)


def test_no_headers_at_all():
    with pytest.raises(ValueError, match="ce-id"):
        Envelope.from_headers(None)


def test_event_ids_are_unique():
    assert len({envelope_for(_event()).id for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "header, value",
    [
        ("ce-id", "01J" + "X" * 97),
        ("ce-id", "not-a-ulid"),
        ("ce-type", "haven.options.move-notified"),
        ("ce-time", "yesterday"),
        ("ce-subject", "CASE-" + "7" * 200),
        ("ce-source", "haven/options\nX-Injected: 1"),
    ],
)
def test_malformed_header_is_named(header: str, value: str):
    """Headers are checked before use, so a value that cannot be stored is
    refused (and dead-lettered by the consumer) rather than failing an insert."""
    headers = envelope_for(_event(), subject="JWA-1").to_headers() | {header: value}
    with pytest.raises(ValueError, match=f"malformed envelope header {header}"):
        Envelope.from_headers(headers)
