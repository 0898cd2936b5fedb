"""Directory data of the ``bromley`` plugin: well-formed, idempotently keyed, officers marked
invented, and the seed's contacts and cadences encoded (seed ``001_2a45bb55c36fcb52.txt``)."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.directory import DirectoryData
from haven_directory.taxonomy import BY_CODE
from haven_bromley import directory, manifest

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


@pytest.mark.rule("bromley.one-stop-shop", "bromley.female-officer", "bromley.bwa-meeting-every-six-weeks")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "Any DV cases are always offered a female officer"; the One-Stop Shop "is open two mornings a week"; the BWA meeting "takes place every six weeks"."""
    data = directory.haven_directory_data(org="bromley")
    assert any(o.sex == "female" and "housing_options_officer" in o.positions for o in data.officers)
    shop = next(s for s in data.services if s.key == "bromley-one-stop-shop")
    assert "two mornings a week" in shop.schedules[0].description
    meeting = next(f for f in data.forums if f.key == "bromley-bwa-meeting")
    assert (meeting.schedule.freq, meeting.schedule.interval) == ("WEEKLY", 6)
