"""The sanctuary vocabulary on the bus and the plugin contract.

"Events carry opaque references (case reference, ARC),
organisations, types, timestamps and deadlines — never a name, address, phone, date of birth
or free text about the abuse." Every hook is documented with an example.
"""

from __future__ import annotations

import inspect

import msgspec

from haven_contracts.messages import event_types
from haven_contracts.plugin import sanctuary as hooks

FORBIDDEN = (
    "name",
    "address",
    "phone",
    "telephone",
    "birth",
    "dob",
    "email",
    "reason",
    "note",
    "comment",
    "landlord",
    "tenure",
    "postcode",
)


def test_sanctuary_events_carry_references_only():
    sanctuary = [t for t in event_types() if t.service == "sanctuary"]
    assert len(sanctuary) >= 17
    for cls in sanctuary:
        for field in msgspec.structs.fields(cls):
            assert not any(word in field.name for word in FORBIDDEN), (cls.type_name(), field.name)
        assert "referral_ref" in cls.__struct_fields__


def test_every_sanctuary_hook_is_documented_with_an_example():
    specs = [getattr(hooks, n) for n in dir(hooks) if n.startswith("haven_sanctuary_")]
    assert {s.__name__ for s in specs} == {
        "haven_sanctuary_scheme",
        "haven_sanctuary_criteria",
        "haven_sanctuary_catalogue",
        "haven_sanctuary_borough_check",
    }
    for spec in specs:
        doc = inspect.getdoc(spec) or ""
        assert "Example::" in doc, spec.__name__
        assert "org" in inspect.signature(spec).parameters
