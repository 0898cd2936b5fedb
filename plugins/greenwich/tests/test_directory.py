"""Directory data of the ``greenwich`` plugin: well-formed, idempotently keyed, officers marked
invented, and the seed's contacts and cadences encoded (seed ``001_2a45bb55c36fcb52.txt``)."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.directory import DirectoryData
from haven_directory.taxonomy import BY_CODE
from haven_greenwich import directory, manifest

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


@pytest.mark.rule("greenwich.idvas")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "There are three IDVAs in Greenwich and they are employed by the Women's Trust"; the "Sanctuary Steering Group"."""
    data = directory.haven_directory_data(org="greenwich")
    idvas = next(s for s in data.services if "idva" in s.taxonomy)
    assert idvas.org == "womens-trust" and "Three IDVAs" in idvas.description
    assert any(f.name == "Sanctuary Steering Group" for f in data.forums)
    assert any("sanctuary_project_officer" in o.positions for o in data.officers)
