"""The ``bexley`` plugin's own directory records: the contacts and cadences seed
``001_2a45bb55c36fcb52.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_bexley import directory


@pytest.mark.rule("bexley.legal-clinic", "bexley.dv-specialists-emergency")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "In Bexley there are two housing options officers with a DV specialism" and a
    "legal clinic on Wednesday afternoons"."""
    data = directory.haven_directory_data(org="bexley")
    specialists = [o for o in data.officers if o.dv_specialism and "housing_options_officer" in o.positions]
    assert len(specialists) == 2
    clinic = next(s for s in data.services if s.key == "bexley-legal-clinic")
    assert clinic.schedules[0].byday == "WE" and clinic.schedules[0].opens_at is None
