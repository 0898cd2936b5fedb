"""Every installed plugin keeps the plugin contract: one test for all of them, so a plugin's
own tests keep only its organisation's cases (its named records and the seed lines they quote).

The checks are the contract's kit (:mod:`haven_contracts.plugin.kit`): manifest, hooks and
their records, directory keys and taxonomy codes, option ids, and every source quoting the
seed it names. A plugin added to the workspace is checked here without writing a test.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from haven_contracts.plugin import ENTRY_POINT_GROUP
from haven_runtime.testing.plugins import assert_plugins_conform, manager_for

INSTALLED = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def test_the_shipped_plugins_are_installed():
    """The parametrised test below would pass vacuously if no plugin were installed."""
    assert {
        "bexley",
        "bromley",
        "cambridgeshire",
        "dales-seven-locks",
        "dartford",
        "greenwich",
        "lewisham",
        "southwark",
    } <= set(INSTALLED)


@pytest.mark.parametrize("plugin", INSTALLED)
def test_plugin_keeps_the_contract(plugin: str):
    assert_plugins_conform(plugin)


@pytest.mark.parametrize("plugin", INSTALLED)
def test_seed_plugins_publish_no_addresses(plugin: str):
    """The seeds publish no addresses (refuge addresses are never published), so no plugin
    derived from them invents one; a deployment adds real locations through the directory."""
    manager = manager_for(plugin)
    for org in manager.plugins[plugin].organisations:
        for data in manager.call_results(org, "haven_directory_data"):
            assert not [loc.key for loc in data.locations if loc.address_1], org


def test_all_plugins_together_keep_the_contract():
    """Loaded together, as a deployment serving every organisation would: no option id from two plugins."""
    assert_plugins_conform(",".join(INSTALLED))
