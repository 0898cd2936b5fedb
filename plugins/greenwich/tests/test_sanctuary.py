"""Greenwich's sanctuary project timescales (seed ``001_2a45bb55c36fcb52.txt``)."""

from __future__ import annotations

import pytest

from haven_greenwich.sanctuary import haven_sanctuary_scheme


@pytest.mark.rule("greenwich.sanctuary-cpo-assessment")
def test_cpo_risk_assessment_within_24_hours_completed_in_2_working_days():
    """Seed 001_2a45bb55c36fcb52.txt: "Undertakes a property risk assessment with crime
    prevention officer within 24 hours and usually completed within 2 working days"."""
    scheme = haven_sanctuary_scheme(org="greenwich")
    clocks = {c.key: c for c in scheme.clocks}
    assert (
        clocks["cpo_assessment"].stops,
        clocks["cpo_assessment"].level.amount,
        clocks["cpo_assessment"].level.unit,
    ) == ("inspected", 24, "hours")
    done = clocks["assessment_complete"]
    assert (done.stops, done.level.amount, done.level.unit) == ("recommendations_received", 2, "working_days")
    assert scheme.omit_core_clocks == ("police_request",)
    assert haven_sanctuary_scheme(org="lewisham") is None
