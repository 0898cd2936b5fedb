"""The ``{{name}}`` plugin loads through Haven's plugin manager and its hooks keep their contracts.

Run alone from the plugin's folder with ``uv run pytest tests`` (after ``uv sync`` installed it);
it also runs with the whole suite once the plugin is a workspace member.
"""

from __future__ import annotations

import typing
from importlib.metadata import entry_points

import msgspec
import pytest

from haven_contracts.plugin import ENTRY_POINT_GROUP
from haven_contracts.plugin.options import CaseFacts, HousingOption
from haven_runtime.plugins import HavenPluginManager

ORG = "{{org}}"

#: One sample value per hook argument; add one when you implement a hook taking a new argument.
SAMPLE_ARGS: dict[str, object] = {
    "case": CaseFacts(org=ORG, case_ref="CASE-TEST000001", channel="reception"),
}


@pytest.fixture(scope="module")
def manager() -> HavenPluginManager:
    """Load the plugin as a deployment with ``HAVEN_PLUGINS={{name}}`` would: by entry point, alone."""
    m = HavenPluginManager()
    if any(ep.name == "{{name}}" for ep in entry_points(group=ENTRY_POINT_GROUP)):
        m.load_entry_points(allow=("{{name}}",))
    else:  # not installed yet: register the module itself so the checks still run
        import haven_{{module}}.plugin as module

        m.register(module, name="{{name}}")
    assert not m.failures, m.failures
    return m


def _kwargs(caller) -> dict[str, object]:
    missing = [a for a in caller.spec.argnames if a != "org" and a not in SAMPLE_ARGS]
    if missing:
        pytest.fail(f"{caller.name}: add a sample for {missing} to SAMPLE_ARGS")
    return {a: SAMPLE_ARGS[a] for a in caller.spec.argnames if a != "org"}


def test_manifest_declares_the_organisation(manager):
    assert ORG in manager.plugins["{{name}}"].organisations
    assert manager.serves(ORG)


def test_every_hook_returns_its_declared_record(manager):
    """pluggy rejects unknown hook names and parameters at load; this checks what the hooks return."""
    hooks = manager.plugins["{{name}}"].hooks
    assert hooks, "the plugin implements no hook besides its manifest"
    for name in hooks:
        caller = getattr(manager.pm.hook, name)
        expected = typing.get_type_hints(caller.spec.function)["return"]
        result = manager.call(ORG, name, **_kwargs(caller))
        per_plugin = [result] if caller.spec.opts.get("firstresult") else result
        for value in per_plugin:
            # msgspec validates literals and constraints on conversion, not on construction
            msgspec.convert(msgspec.to_builtins(value), expected)


def test_option_ids_are_unique_within_the_organisation(manager):
    found = manager.call_results(ORG, "haven_housing_options", **_kwargs(manager.pm.hook.haven_housing_options))
    ids = [o.id for o in found if isinstance(o, HousingOption)]
    assert len(ids) == len(set(ids))


def test_other_organisations_get_nothing_from_this_plugin(manager):
    """A hook is called only on the plugins serving the organisation asked about."""
    for name in manager.plugins["{{name}}"].hooks:
        caller = getattr(manager.pm.hook, name)
        assert manager.call("not-served-here", name, **_kwargs(caller)) in (None, []), name
