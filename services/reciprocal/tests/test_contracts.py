"""The reciprocal's bus vocabulary and hooks ("Events carry opaque
references (case reference, ARC), organisations, types, timestamps and deadlines — never a
name, address, phone, date of birth or free text about the abuse")."""

from __future__ import annotations

import inspect

import msgspec

import haven_contracts.events.reciprocal as events
import haven_contracts.plugin.reciprocal as hooks
from haven_contracts.messages import Event, event_types

FORBIDDEN = (
    "name",
    "address",
    "phone",
    "contact",
    "birth",
    "dob",
    "note",
    "summary",
    "text",
    "email",
    "detail",
    "cost",
)


def _reciprocal_events() -> list[type[Event]]:
    return [cls for cls in event_types() if cls.service == "reciprocal"]


def test_every_issue_event_exists():
    names = {cls.name for cls in _reciprocal_events()}
    assert {
        "referral-received",
        "referral-accepted",
        "arc-issued",
        "signed-off",
        "property-offered",
        "match-proposed",
        "match-confirmed",
        "offer-accepted",
        "offer-refused",
        "move-completed",
        "previous-tenancy-ended",
        "ledger-posted",
        "conflict-raised",
        "conflict-escalated",
    } <= names


def test_events_carry_references_codes_and_times_only():
    for cls in _reciprocal_events():
        for field in msgspec.structs.fields(cls):
            assert not any(word in field.name for word in FORBIDDEN), (cls.__name__, field.name)
            assert (
                field.name == "org"
                or field.name == "to_org"
                or field.name == "scheme"
                or field.name.endswith(
                    (
                        "_ref",
                        "_at",
                        "_partner",
                        "partners",
                        "arc",
                        "stage",
                        "decision",
                        "reason",
                        "bedrooms",
                        "area",
                        "accessibility",
                        "available_from",
                        "tenancy_start",
                        "ended_on",
                        "since",
                        "automatic",
                        "subject_kind",
                        "panel",
                        "meeting_on",
                    )
                )
            ), (cls.__name__, field.name)


def test_refusal_reasons_are_codes():
    reasons = events.RefusalReason.__args__
    assert "other" in reasons and all(r.isidentifier() for r in reasons)


def test_every_reciprocal_hook_is_documented_with_an_example():
    specs = [f for name, f in inspect.getmembers(hooks, inspect.isfunction) if name.startswith("haven_")]
    assert {f.__name__ for f in specs} == {"haven_reciprocal_scheme", "haven_reciprocal_partner_profile"}
    for f in specs:
        assert "Example::" in (f.__doc__ or ""), f.__name__
        assert "org" in inspect.signature(f).parameters
