"""The ``dartford`` plugin's own directory records: the contacts and cadences seed
``004_d4b796f614d2cfd3.txt`` names. What every plugin's directory data keeps (keys, taxonomy codes,
invented officers) is checked once for all plugins in runtime/tests/test_plugin_conformance.py."""

from __future__ import annotations

import pytest

from haven_dartford import directory


@pytest.mark.rule("dartford.office-hours", "dartford.useful-contacts", "dartford.referral-form")
def test_seed_contacts_and_cadences():
    """``004_d4b796f614d2cfd3.txt``: Appendix B: "24 hour National Violence Domestic Violence Helpline Tel: 0808
    2000247"; "8:45am and 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday"; "A referral form should be emailed
    to housingadvice@dartford.gov.uk"."""
    data = directory.haven_directory_data(org="dartford")
    helpline = next(s for s in data.services if s.key == "refuge-national-dv-helpline")
    assert helpline.phones[0].number == "0808 2000247" and helpline.schedules[0].byday == "MO,TU,WE,TH,FR,SA,SU"
    options = next(s for s in data.services if s.key == "dartford-housing-options")
    assert [
        (s.byday, s.opens_at.isoformat("minutes"), s.closes_at.isoformat("minutes")) for s in options.schedules
    ] == [("MO,TU,WE,TH", "08:45", "17:15"), ("FR", "08:45", "16:45")]
    sanctuary = next(s for s in data.services if s.key == "dartford-sanctuary")
    assert sanctuary.email == "housingadvice@dartford.gov.uk" and "no cost" in sanctuary.fees.lower()
    appendix_b = {a.name for a in data.agencies if "Appendix B" in a.source}
    assert {
        "North Kent Women's Aid",
        "Respect",
        "Dartford Citizens Advice Bureau",
        "Kent Council on Addiction (KCA)",
    } <= appendix_b
