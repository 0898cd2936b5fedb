"""The ``cambridgeshire`` plugin's own directory records: the contacts and cadences seed
``002_c1c7b199d9a53274.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_cambridgeshire import directory


@pytest.mark.rule("reciprocal.named-leads-staffing")
def test_seed_contacts_and_cadences():
    """``002_c1c7b199d9a53274.txt``: partners are responsible for "Identifying named leads within the Local Authority
    Housing Team or Registered Provider"."""
    for org in (
        "cambridge",
        "east-cambridgeshire",
        "fenland",
        "huntingdonshire",
        "south-cambridgeshire",
        "peterborough",
    ):
        data = directory.haven_directory_data(org=org)
        assert [o.positions for o in data.officers] == [("reciprocal_named_lead",)]
    coordinator = directory.haven_directory_data(org="cambridgeshire-da-services")
    assert any("reciprocal" in s.taxonomy for s in coordinator.services)
    assert {a.id for a in coordinator.agencies} >= {"standing-together", "daha", "safer-london"}
