"""Dartford's sanctuary scheme values come from its plugin (seed ``004_d4b796f614d2cfd3.txt``)."""

from __future__ import annotations

from datetime import time

import pytest

from haven_dartford.manifest import OFFICE_HOURS
from haven_dartford.sanctuary import haven_sanctuary_scheme


def test_scheme_is_dartfords_only():
    assert haven_sanctuary_scheme(org="dartford").org == "dartford"
    assert haven_sanctuary_scheme(org="bexley") is None


@pytest.mark.rule("dartford.referral-hours")
def test_office_hours():
    """Seed 004_d4b796f614d2cfd3.txt s.5: "Sanctuary referrals can be made between 8:45am to
    5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday"."""
    hours = haven_sanctuary_scheme(org="dartford").office_hours
    assert hours is OFFICE_HOURS
    assert hours.window(4) == (time(8, 45), time(17, 15))
    assert hours.window(5) == (time(8, 45), time(16, 45))
    assert hours.window(6) is None and hours.window(7) is None


@pytest.mark.rule("dartford.security-measures")
def test_catalogue_is_the_procedures_list():
    """Seed 004_d4b796f614d2cfd3.txt s.4: the fifteen security measures available."""
    labels = [m.label for m in haven_sanctuary_scheme(org="dartford").catalogue]
    assert labels[:3] == ["Fire proof letter box", "Double locking night latch", "Mortice lock"]
    assert "PAS 24 door" in labels and "2m fencing" in labels and labels[-1].startswith("Defensive planting")
    assert len(labels) == 15


@pytest.mark.rule(
    "dartford.police-within-3-working-days", "dartford.works-within-24-hours", "dartford.works-completion"
)
def test_timescales():
    """Seed 004_d4b796f614d2cfd3.txt s.9: "ask the Police within 3 working days"; works
    arranged "within 24 hours of receiving the assessment back"; completion "according to
    contractor timescales" (no level: the contractor's date is given with the order)."""
    clocks = {c.key: c for c in haven_sanctuary_scheme(org="dartford").clocks}
    police = clocks["police_request"]
    assert (police.starts, police.stops, police.level.amount, police.level.unit, police.office_hours_only) == (
        "received",
        "inspection_requested",
        3,
        "working_days",
        True,
    )
    arranged = clocks["works_arranged"]
    assert (arranged.starts, arranged.stops, arranged.level.amount, arranged.level.unit) == (
        "recommendations_received",
        "works_ordered",
        24,
        "hours",
    )
    assert clocks["works_completion"].level is None


@pytest.mark.rule("dartford.funding-by-tenure", "dartford.rsl-asked-council-covers")
def test_funding_by_tenure():
    """Seed 004_d4b796f614d2cfd3.txt s.6: existing budgets for DBC tenants; Preventing
    Homelessness Grant for private tenants and owner-occupiers; the RSL is asked, the Council
    covers if it cannot."""
    rules = {r.tenure: (r.funding, r.fallback) for r in haven_sanctuary_scheme(org="dartford").funding}
    assert rules == {
        "council_tenant": ("existing_budget", None),
        "private_sector_tenant": ("preventing_homelessness_grant", None),
        "owner_occupier": ("preventing_homelessness_grant", None),
        "housing_association_tenant": ("landlord", "council"),
    }
