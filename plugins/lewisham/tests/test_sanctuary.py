"""Lewisham's sanctuary timescales (seed ``001_2a45bb55c36fcb52.txt``)."""

from __future__ import annotations

import pytest

from haven_lewisham.sanctuary import haven_sanctuary_scheme


@pytest.mark.rule("lewisham.sanctuary-assessment", "lewisham.sanctuary-installation")
def test_lewisham_timescales():
    """Seed 001_2a45bb55c36fcb52.txt: "Between 24-48 hours to complete a Risk Assessment.
    Within two working days, appointment made for CPO to assess property. Within 5 working
    days, contractor will install the security measures. For more complicated sanctuary,
    within 10 working days."""
    scheme = haven_sanctuary_scheme(org="lewisham")
    clocks = {c.key: c for c in scheme.clocks}
    risk = clocks["risk_assessment"].level
    assert (risk.target, risk.amount, risk.unit) == (24, 48, "hours")
    assert (clocks["cpo_appointment"].stops, clocks["cpo_appointment"].level.amount) == ("inspection_booked", 2)
    assert (clocks["installation"].categories, clocks["installation"].level.amount) == (("standard",), 5)
    assert (clocks["installation_complex"].categories, clocks["installation_complex"].level.amount) == (
        ("complex",),
        10,
    )
    assert "complex" in scheme.works_categories
    assert set(scheme.omit_core_clocks) == {"police_request", "works_completion"}
    assert haven_sanctuary_scheme(org="greenwich") is None
