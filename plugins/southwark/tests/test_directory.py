"""The ``southwark`` plugin's own directory records: the contacts and cadences seed
``001_2a45bb55c36fcb52.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_southwark import directory


@pytest.mark.rule("southwark.forum-and-panel-cadences")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "Management Needs Panel fortnightly", "Domestic Violence Forum quarterly", risk
    panel "monthly"."""
    data = directory.haven_directory_data(org="southwark")
    cadences = {
        f.key: (f.cadence, f.schedule.freq if f.schedule else None, f.schedule.interval if f.schedule else None)
        for f in data.forums
    }
    assert cadences["southwark-management-needs-panel"] == ("fortnightly", "WEEKLY", 2)
    assert cadences["southwark-dv-forum"] == ("quarterly", "MONTHLY", 3)
    assert cadences["southwark-asb-risk-panel"] == ("monthly", "MONTHLY", 1)
