"""The ``greenwich`` plugin's own directory records: the contacts and cadences seed
``001_2a45bb55c36fcb52.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_greenwich import directory


@pytest.mark.rule("greenwich.idvas")
def test_seed_contacts_and_cadences():
    """``001_2a45bb55c36fcb52.txt``: "There are three IDVAs in Greenwich and they are employed by the Women's Trust";
    the "Sanctuary Steering Group"."""
    data = directory.haven_directory_data(org="greenwich")
    idvas = next(s for s in data.services if "idva" in s.taxonomy)
    assert idvas.org == "womens-trust" and "Three IDVAs" in idvas.description
    assert any(f.name == "Sanctuary Steering Group" for f in data.forums)
    assert any("sanctuary_project_officer" in o.positions for o in data.officers)
