"""Directory data of the ``dartford`` plugin: well-formed, idempotently keyed, officers marked
invented, and the seed's contacts and cadences encoded (seed ``004_d4b796f614d2cfd3.txt``)."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.directory import DirectoryData
from haven_directory.taxonomy import BY_CODE
from haven_dartford import directory, manifest

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


@pytest.mark.rule("dartford.office-hours", "dartford.useful-contacts", "dartford.referral-form")
def test_seed_contacts_and_cadences():
    """``004_d4b796f614d2cfd3.txt``: Appendix B: "24 hour National Violence Domestic Violence Helpline Tel: 0808 2000247"; "8:45am and 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday"; "A referral form should be emailed to housingadvice@dartford.gov.uk"."""
    data = directory.haven_directory_data(org="dartford")
    helpline = next(s for s in data.services if s.key == "refuge-national-dv-helpline")
    assert helpline.phones[0].number == "0808 2000247" and helpline.schedules[0].byday == "MO,TU,WE,TH,FR,SA,SU"
    options = next(s for s in data.services if s.key == "dartford-housing-options")
    assert [(s.byday, s.opens_at.isoformat("minutes"), s.closes_at.isoformat("minutes")) for s in options.schedules] == [
        ("MO,TU,WE,TH", "08:45", "17:15"), ("FR", "08:45", "16:45")]
    sanctuary = next(s for s in data.services if s.key == "dartford-sanctuary")
    assert sanctuary.email == "housingadvice@dartford.gov.uk" and "no cost" in sanctuary.fees.lower()
    appendix_b = {a.name for a in data.agencies if "Appendix B" in a.source}
    assert {"North Kent Women's Aid", "Respect", "Dartford Citizens Advice Bureau", "Kent Council on Addiction (KCA)"} <= appendix_b
