"""The ``dales-seven-locks`` plugin's own directory records: the contacts and cadences seed
``003_8738e4ccc4c4272a.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_dales_seven_locks import directory


@pytest.mark.rule("ag013.agency-list", "ag013.same-sex-interviewer")
def test_seed_contacts_and_cadences():
    """``003_8738e4ccc4c4272a.txt``: principle 2: "the victim will be offered an interview with someone of the same
    sex"; principle 9: "an up to date list of local agencies"."""
    for org in ("dales-housing", "seven-locks-housing"):
        data = directory.haven_directory_data(org=org)
        assert any(o.sex == "female" for o in data.officers)
        assert data.services and all("reciprocal" in s.taxonomy for s in data.services)
