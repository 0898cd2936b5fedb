"""Southwark's sanctuary scheme (seed ``001_2a45bb55c36fcb52.txt``): no timescales or catalogue in
the seed, so the scheme uses the documented core defaults."""

from __future__ import annotations

from haven_southwark.sanctuary import haven_sanctuary_scheme


def test_scheme_with_core_defaults():
    """Seed 001_2a45bb55c36fcb52.txt lists a sanctuary scheme for Southwark without timescales."""
    scheme = haven_sanctuary_scheme(org="southwark")
    assert scheme.org == "southwark" and scheme.source == "001_2a45bb55c36fcb52.txt"
    assert (scheme.clocks, scheme.catalogue, scheme.funding, scheme.office_hours) == ((), (), (), None)
    assert haven_sanctuary_scheme(org="dartford") is None
