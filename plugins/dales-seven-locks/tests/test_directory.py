"""Directory data of the ``dales-seven-locks`` plugin: well-formed, idempotently keyed, officers marked
invented, and the seed's contacts and cadences encoded (seed ``003_8738e4ccc4c4272a.txt``)."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.directory import DirectoryData
from haven_directory.taxonomy import BY_CODE
from haven_dales_seven_locks import directory, manifest

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


@pytest.mark.rule("ag013.agency-list", "ag013.same-sex-interviewer")
def test_seed_contacts_and_cadences():
    """``003_8738e4ccc4c4272a.txt``: principle 2: "the victim will be offered an interview with someone of the same sex"; principle 9: "an up to date list of local agencies"."""
    for org in ("dales-housing", "seven-locks-housing"):
        data = directory.haven_directory_data(org=org)
        assert any(o.sex == "female" for o in data.officers)
        assert data.services and all("reciprocal" in s.taxonomy for s in data.services)
