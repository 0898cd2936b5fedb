"""The ``{{name}}`` plugin keeps the plugin contract, and its own rules hold.

The contract is checked by the contract's conformance kit (``haven_contracts.plugin.kit``):
the plugin depends on ``haven-contracts`` alone, so these tests run from the plugin's folder
with ``uv run pytest tests`` (after ``uv sync`` installed it), and with the whole suite once
the plugin is a workspace member, where every installed plugin is also checked together.
"""

from __future__ import annotations

from haven_contracts.plugin.kit import assert_plugin_conforms
from haven_contracts.plugin.options import CaseFacts

import haven_{{module}}.plugin as plugin
from haven_{{module}}.options import haven_housing_options

ORG = "{{org}}"


def test_the_plugin_keeps_the_contract():
    """Manifest, every hook's records, directory keys and taxonomy codes, option ids, sources.

    Once the sources quote your written procedure by file name, pass its folder as ``seeds=``
    so each quote is checked word for word.
    """
    assert_plugin_conforms(plugin, name="{{name}}")


def test_sanctuary_only_for_a_client_staying_at_home():
    """Replace with your procedure's rules: one test per rule, quoting its line."""
    leaving = CaseFacts(org=ORG, case_ref="CASE-TEST000001", channel="reception", unable_to_return_home=True)
    options = {o.id: o for o in haven_housing_options(org=ORG, case=leaving)}
    assert not options[f"{ORG}-sanctuary"].eligible
    assert options[f"{ORG}-emergency-accommodation"].eligible
