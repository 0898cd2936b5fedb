"""Bexley's Bobby Van (seed ``001_2a45bb55c36fcb52.txt``)."""

from __future__ import annotations

import pytest

from haven_bexley.sanctuary import haven_sanctuary_catalogue, haven_sanctuary_scheme


@pytest.mark.rule("bexley.bobby-van")
def test_bobby_van_measures_extend_the_catalogue():
    """Seed 001_2a45bb55c36fcb52.txt: "Bobby Van — Secures windows/doors/new front door,
    spy-holes, link-line alarms in client's property directly linked to local police"."""
    keys = {m.key for m in haven_sanctuary_catalogue(org="bexley")}
    assert keys == {"window_security", "door_security", "new_front_door", "spy_hole", "link_line_alarm"}
    assert haven_sanctuary_catalogue(org="bromley") == []
    scheme = haven_sanctuary_scheme(org="bexley")
    assert scheme.name == "Bexley Bobby Van" and scheme.catalogue == () and scheme.clocks == ()
