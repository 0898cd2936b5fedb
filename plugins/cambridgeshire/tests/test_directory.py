"""Directory data of the ``cambridgeshire`` plugin: well-formed, idempotently keyed, officers marked
invented, and the seed's contacts and cadences encoded (seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.directory import DirectoryData
from haven_directory.taxonomy import BY_CODE
from haven_cambridgeshire import directory, manifest

ORGS = [o.id for o in manifest.ORGANISATIONS]


def _all() -> list[DirectoryData]:
    return [directory.haven_directory_data(org=org) for org in ORGS]


def test_directory_data_is_well_formed():
    keys: set[str] = set()
    for org, data in zip(ORGS, _all()):
        assert isinstance(data, DirectoryData)
        for officer in data.officers:
            assert officer.org == org
            assert officer.invented and "(invented)" in officer.name
            assert officer.email is None or officer.email.endswith(".example")
        for record in (*data.officers, *data.services, *data.forums, *data.locations):
            assert record.key not in keys, record.key
            keys.add(record.key)
        for service in data.services:
            assert service.taxonomy and all(code in BY_CODE for code in service.taxonomy), service.key
        assert not [loc for loc in data.locations if loc.address_1], "seeds publish no addresses"
    assert "haven_directory_data" in directory.__all__


@pytest.mark.rule("reciprocal.named-leads-staffing")
def test_seed_contacts_and_cadences():
    """``002_c1c7b199d9a53274.txt``: partners are responsible for "Identifying named leads within the Local Authority Housing Team or Registered Provider"."""
    for org in ("cambridge", "east-cambridgeshire", "fenland", "huntingdonshire", "south-cambridgeshire", "peterborough"):
        data = directory.haven_directory_data(org=org)
        assert [o.positions for o in data.officers] == [("reciprocal_named_lead",)]
    coordinator = directory.haven_directory_data(org="cambridgeshire-da-services")
    assert any("reciprocal" in s.taxonomy for s in coordinator.services)
    assert {a.id for a in coordinator.agencies} >= {"standing-together", "daha", "safer-london"}
