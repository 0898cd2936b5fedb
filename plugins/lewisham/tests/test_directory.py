"""The ``lewisham`` plugin's own directory records: the contacts and cadences seed
``001_2a45bb55c36fcb52.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_lewisham import directory


@pytest.mark.rule("lewisham.idva", "lewisham.exceptional-panel-every-3-weeks")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "There is one IDVA in Lewisham, based at the police station"; "Exceptional Panel
    meetings (every 3 weeks)"."""
    data = directory.haven_directory_data(org="lewisham")
    idva = next(s for s in data.services if s.key == "lewisham-idva")
    assert idva.location_keys == ("lewisham-idva-police-station",)
    panel = next(f for f in data.forums if f.key == "lewisham-exceptional-panel")
    assert (panel.schedule.freq, panel.schedule.interval, panel.cadence) == ("WEEKLY", 3, "every 3 weeks")
