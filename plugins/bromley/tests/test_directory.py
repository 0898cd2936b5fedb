"""The ``bromley`` plugin's own directory records: the contacts and cadences seed
``001_2a45bb55c36fcb52.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_bromley import directory


@pytest.mark.rule("bromley.one-stop-shop", "bromley.female-officer", "bromley.bwa-meeting-every-six-weeks")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "Any DV cases are always offered a female officer"; the One-Stop Shop "is open two
    mornings a week"; the BWA meeting "takes place every six weeks"."""
    data = directory.haven_directory_data(org="bromley")
    assert any(o.sex == "female" and "housing_options_officer" in o.positions for o in data.officers)
    shop = next(s for s in data.services if s.key == "bromley-one-stop-shop")
    assert "two mornings a week" in shop.schedules[0].description
    meeting = next(f for f in data.forums if f.key == "bromley-bwa-meeting")
    assert (meeting.schedule.freq, meeting.schedule.interval) == ("WEEKLY", 6)
