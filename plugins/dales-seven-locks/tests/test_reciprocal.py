"""Dales Housing / Seven Locks Housing in reciprocals (seed ``003_8738e4ccc4c4272a.txt``)."""

from __future__ import annotations

import pytest

import haven_dales_seven_locks.plugin as plugin
from haven_runtime.plugins import HavenPluginManager


@pytest.mark.rule("ag013.priority-transfer", "ag013.reciprocal-when-own-stock-cannot")
def test_profile_follows_principle_8():
    """Seed 003 principle 8: "this will normally be on a like for like basis ... If a transfer
    away from the local area cannot be achieved from within the Group's own stock, it will seek
    to make a reciprocal arrangement with another landlord"."""
    pm = HavenPluginManager()
    assert pm.register(plugin, name="dales-seven-locks") is not None, pm.failures
    for org in ("dales-housing", "seven-locks-housing"):
        profile = pm.call(org, "haven_reciprocal_partner_profile")
        assert profile.org == org and profile.kind == "registered_provider"
        assert profile.like_for_like and profile.reciprocal_when_own_stock_cannot
        assert "principle 8" in profile.source
    assert pm.call("fenland", "haven_reciprocal_partner_profile") is None
