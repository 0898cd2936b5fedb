"""The plugin manager ("A plugin that breaks a hook contract is
reported clearly at start-up, not at the first survivor's case")."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import types
from importlib.metadata import EntryPoint

import msgspec
import pytest
from click.testing import CliRunner

from haven_contracts.plugin import HOOKSPEC_MODULES, PROJECT, hookimpl, hookspec
from haven_contracts.plugin.directory import DirectoryData, OfficerRecord, ServiceRecord
from haven_contracts.plugin.records import Organisation, PluginManifest
from haven_runtime import plugins as plugins_module
from haven_runtime.plugins import HavenPluginManager, PluginError, build_plugin_manager, unique_by_key
from haven_runtime.settings import load_settings


def make_plugin(name: str, orgs: tuple[str, ...], *, officers: tuple[str, ...] = (), **extra) -> types.ModuleType:
    """A plugin module serving ``orgs`` whose directory hook returns one officer per key."""
    module = types.ModuleType(f"haven_test_plugin_{name.replace('-', '_')}")

    @hookimpl
    def haven_manifest():
        return PluginManifest(
            name=name, organisations=tuple(Organisation(id=o, name=o.title(), kind="local_authority") for o in orgs)
        )

    @hookimpl
    def haven_directory_data(org):
        return DirectoryData(
            officers=tuple(
                OfficerRecord(key=k, org=org, name=f"{name} officer (invented)", positions=("dv_lead",))
                for k in officers
            )
        )

    module.haven_manifest = haven_manifest
    module.haven_directory_data = haven_directory_data
    for key, value in extra.items():
        setattr(module, key, value)
    return module


def install(monkeypatch, plugins: dict[str, types.ModuleType | str]) -> None:
    """Pretend ``plugins`` are installed under the ``haven`` entry-point group.

    A string value is an import path (used to simulate a plugin that fails to import)."""
    eps = []
    for name, module in plugins.items():
        if isinstance(module, str):
            eps.append(EntryPoint(name=name, value=module, group="haven"))
        else:
            monkeypatch.setitem(sys.modules, module.__name__, module)
            eps.append(EntryPoint(name=name, value=module.__name__, group="haven"))
    monkeypatch.setattr(plugins_module, "entry_points", lambda group: [ep for ep in eps if ep.group == group])


def reasons(manager: HavenPluginManager) -> dict[str, str]:
    return {f.name: f.reason for f in manager.failures}


def test_broken_plugins_are_reported_and_the_others_load(monkeypatch):
    @hookimpl
    def haven_directroy_data(org):  # misspelt hook
        return None

    @hookimpl
    def haven_directory_data(org, survivor_name):  # not in the spec
        return None

    def no_manifest_module():
        m = types.ModuleType("haven_test_plugin_nomanifest")
        m.haven_directory_data = make_plugin("x", ("bexley",)).haven_directory_data
        return m

    def raising_manifest():
        @hookimpl
        def haven_manifest():
            raise RuntimeError("manifest exploded")

        m = types.ModuleType("haven_test_plugin_raising")
        m.haven_manifest = haven_manifest
        return m

    def bad_org_manifest():
        @hookimpl
        def haven_manifest():
            return {"name": "bad-org", "organisations": [{"id": "Bad Org", "name": "x", "kind": "local_authority"}]}

        m = types.ModuleType("haven_test_plugin_badorg")
        m.haven_manifest = haven_manifest
        return m

    def wrong_kind_manifest():
        @hookimpl
        def haven_manifest():
            return {"name": "wrong-kind", "organisations": [{"id": "wrongkind", "name": "x", "kind": "castle"}]}

        m = types.ModuleType("haven_test_plugin_wrongkind")
        m.haven_manifest = haven_manifest
        return m

    good = make_plugin("good", ("bexley",))
    install(
        monkeypatch,
        {
            "good": good,
            "import-error": "haven_no_such_module_anywhere",
            "misspelt": make_plugin("misspelt", ("bromley",), haven_directroy_data=haven_directroy_data),
            "bad-signature": make_plugin("bad-signature", ("greenwich",), haven_directory_data=haven_directory_data),
            "no-manifest": no_manifest_module(),
            "raising": raising_manifest(),
            "bad-org": bad_org_manifest(),
            "wrong-kind": wrong_kind_manifest(),
        },
    )
    manager = HavenPluginManager()
    manager.load_entry_points()
    assert list(sorted(manager.plugins)) == ["good"]
    why = reasons(manager)
    assert "import failed: ModuleNotFoundError" in why["import-error"]
    assert "haven_directroy_data" in why["misspelt"] and "unknown hook" in why["misspelt"]
    assert "survivor_name" in why["bad-signature"]
    assert "no haven_manifest" in why["no-manifest"]
    assert "manifest exploded" in why["raising"]
    assert "Bad Org" in why["bad-org"]
    assert "invalid manifest" in why["wrong-kind"] and "kind" in why["wrong-kind"]
    # the broken ones left nothing behind: only the good plugin answers
    assert manager.call_results("bromley", "haven_directory_data") == []
    assert len(manager.call_results("bexley", "haven_directory_data")) == 1


def test_an_unknown_taxonomy_code_fails_loading_naming_the_service_and_code():
    """The directory publishes only its taxonomy's codes: a typo fails at load, in every service."""

    @hookimpl
    def haven_directory_data(org):
        return DirectoryData(
            services=(ServiceRecord(key="typo-refuge", org=org, name="Refuge", taxonomy=("refugee",)),)
        )

    manager = HavenPluginManager()
    assert (
        manager.register(make_plugin("typo", ("bexley",), haven_directory_data=haven_directory_data), name="typo")
        is None
    )
    why = reasons(manager)["typo"]
    assert "service 'typo-refuge'" in why and "unknown taxonomy code(s) ['refugee']" in why and "refuge," in why
    assert not manager.plugins


def test_duplicate_plugin_names_are_rejected():
    manager = HavenPluginManager()
    assert manager.register(make_plugin("bexley", ("bexley",)), name="bexley") is not None
    assert manager.register(make_plugin("bexley", ("bexley",)), name="bexley") is None
    assert reasons(manager) == {"bexley": "duplicate plugin name"}
    assert len(manager.plugins) == 1


def test_allow_list_and_disabled_plugins(monkeypatch):
    install(monkeypatch, {n: make_plugin(n, (n,)) for n in ("bexley", "bromley", "lewisham")})
    settings = load_settings(
        {"HAVEN_DATA_DIR": "/tmp/x", "HAVEN_PLUGINS": "bexley,lewisham,southwark", "HAVEN_DISABLED_PLUGINS": "lewisham"}
    )
    manager = build_plugin_manager(settings)
    assert sorted(manager.plugins) == ["bexley"]
    assert reasons(manager) == {"southwark": "listed in HAVEN_PLUGINS but not installed"}
    assert not manager.serves("bromley") and manager.serves("bexley")

    everything = build_plugin_manager(load_settings({"HAVEN_DATA_DIR": "/tmp/x", "HAVEN_DISABLED_PLUGINS": "bromley"}))
    assert sorted(everything.plugins) == ["bexley", "lewisham"]
    nothing = build_plugin_manager(load_settings({"HAVEN_DATA_DIR": "/tmp/x", "HAVEN_PLUGINS": ""}))
    assert nothing.plugins == {} and nothing.failures == []


@pytest.mark.parametrize("order", [("a", "b", "c"), ("c", "a", "b"), ("b", "c", "a")])
def test_hook_results_come_in_plugin_name_order_whatever_the_load_order(order):
    manager = HavenPluginManager()
    for name in order:
        manager.register(make_plugin(name, ("bexley",), officers=(f"{name}-1",)), name=name)
    data = manager.call_results("bexley", "haven_directory_data")
    assert [d.officers[0].key for d in data] == ["a-1", "b-1", "c-1"]
    assert [p.name for p in manager.sorted_plugins()] == ["a", "b", "c"]
    assert [name for name, _ in manager.results_by_plugin("bexley", "haven_directory_data")] == ["a", "b", "c"]


def test_hook_for_calls_only_plugins_serving_the_org():
    calls: list[tuple[str, str]] = []

    def tracking(name, orgs):
        @hookimpl
        def haven_directory_data(org):
            calls.append((name, org))
            return DirectoryData()

        return make_plugin(name, orgs, haven_directory_data=haven_directory_data)

    manager = HavenPluginManager()
    manager.register(tracking("bexley", ("bexley",)), name="bexley")
    manager.register(tracking("south-east", ("bexley", "bromley")), name="south-east")
    manager.register(tracking("bromley", ("bromley",)), name="bromley")
    calls.clear()  # loading asked each plugin for its directory data once, to check taxonomy codes
    manager.call_results("bromley", "haven_directory_data")
    assert calls == [("bromley", "bromley"), ("south-east", "bromley")]
    calls.clear()
    manager.call_results("bexley", "haven_directory_data")
    assert calls == [("bexley", "bexley"), ("south-east", "bexley")]
    calls.clear()
    assert manager.call_results("nowhere", "haven_directory_data") == []
    assert calls == []
    assert [o.id for o in manager.organisations()] == ["bexley", "bromley"]


def test_unique_by_key_names_the_plugins_and_the_duplicate():
    manager = HavenPluginManager()
    manager.register(make_plugin("bexley", ("bexley",), officers=("lead", "manager")), name="bexley")
    manager.register(make_plugin("bexley-extra", ("bexley",), officers=("manager",)), name="bexley-extra")
    pairs = [(p, o) for p, data in manager.results_by_plugin("bexley", "haven_directory_data") for o in data.officers]
    with pytest.raises(PluginError) as info:
        unique_by_key(pairs, "key", what="officer")
    message = str(info.value)
    assert "officer 'manager'" in message and "plugin bexley " in message and "plugin bexley-extra" in message

    records = [p[1] for p in pairs[:2]]
    assert unique_by_key(records, "key") == records
    assert unique_by_key(pairs[:2], lambda r: r.key) == records
    with pytest.raises(PluginError, match="duplicate record 'lead'"):
        unique_by_key(records + records[:1], "key")


def _hookspecs():
    for module_name in HOOKSPEC_MODULES:
        module = importlib.import_module(module_name)
        for attr in sorted(dir(module)):
            fn = getattr(module, attr)
            if callable(fn) and hasattr(fn, f"{PROJECT}_spec"):
                yield f"{module_name}.{attr}", fn


HOOKSPECS = list(_hookspecs())


def test_there_are_hookspecs():
    assert any(name.endswith(".haven_manifest") for name, _ in HOOKSPECS)


@pytest.mark.parametrize("name, fn", HOOKSPECS, ids=[n for n, _ in HOOKSPECS])
def test_every_hook_is_documented_with_an_example(name, fn):
    """Every hook spec says what it is for and shows an implementation (Datasette's rule)."""
    doc = inspect.getdoc(fn) or ""
    assert len(doc.split("Example::")[0].strip()) >= 20, f"{name} has no description"
    assert "Example::" in doc, f"{name} has no 'Example::' block"
    example = doc.split("Example::", 1)[1]
    assert "@hookimpl" in example and f"def {fn.__name__}(" in example, f"{name}: the example should implement the hook"


@pytest.mark.parametrize("name, fn", HOOKSPECS, ids=[n for n, _ in HOOKSPECS])
def test_every_hook_but_the_manifest_takes_org(name, fn):
    """The manager calls only plugins serving ``org``, so every hook receives it."""
    if fn.__name__ == "haven_manifest":
        return
    assert "org" in inspect.signature(fn).parameters, f"{name} must take an org parameter"
    assert fn.__name__.startswith("haven_")


def test_hookspec_docs_are_exposed():
    docs = HavenPluginManager().hookspec_docs()
    assert "haven_manifest" in docs and "Example::" in docs["haven_manifest"]


def test_an_undocumented_hook_would_be_caught():
    @hookspec
    def haven_undocumented(org):
        pass

    with pytest.raises(AssertionError):
        test_every_hook_is_documented_with_an_example("x.haven_undocumented", haven_undocumented)


# -- the `haven plugins` command over the really installed plugins ------------------------------

SHIPPED = {"bexley", "bromley", "greenwich", "lewisham", "southwark", "dartford", "cambridgeshire", "dales-seven-locks"}


def _run(*args: str, env: dict[str, str] | None = None):
    from haven_runtime.ops.cli import main
    from haven_runtime.settings import reset_settings

    reset_settings()
    try:
        return CliRunner().invoke(main, list(args), env={"HAVEN_DATA_DIR": "/tmp/haven-cli-test", **(env or {})})
    finally:
        reset_settings()


def test_haven_plugins_json_lists_installed_plugins():
    result = _run("plugins", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = {p["name"] for p in data["plugins"]}
    assert SHIPPED <= names
    bexley = next(p for p in data["plugins"] if p["name"] == "bexley")
    assert bexley["distribution"] == "haven-bexley" and "bexley" in bexley["organisations"]
    assert "haven_directory_data" in bexley["hooks"]
    assert [p["name"] for p in data["plugins"]] == sorted(names)
    assert data["failures"] == []


def test_haven_plugins_text_and_allow_list():
    result = _run("plugins", env={"HAVEN_PLUGINS": "dartford,bexley"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("bexley 0.") and "(haven-bexley)" in lines[0]
    assert any(line.startswith("dartford ") for line in lines)
    assert not any(line.startswith("bromley ") for line in lines)
    assert "organisations: dartford" in result.output


def test_haven_plugins_reports_configuration_errors():
    result = _run("plugins", env={"HAVEN_PLUGINS": "Bad Name"})
    assert result.exit_code != 0
    assert "HAVEN_PLUGINS" in result.output


def test_manifest_record_is_frozen():
    manifest = make_plugin("x", ("bexley",)).haven_manifest()
    with pytest.raises(AttributeError):
        manifest.name = "y"  # type: ignore[misc]
    assert msgspec.to_builtins(manifest)["organisations"][0]["id"] == "bexley"


def test_two_installed_distributions_with_one_plugin_name(monkeypatch):
    first, second = make_plugin("bexley", ("bexley",)), make_plugin("bexley", ("bromley",))
    second.__name__ = "haven_test_plugin_bexley_fork"
    for module in (first, second):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    eps = [EntryPoint(name="bexley", value=m.__name__, group="haven") for m in (first, second)]
    monkeypatch.setattr(plugins_module, "entry_points", lambda group: eps)
    manager = HavenPluginManager()
    manager.load_entry_points()
    assert list(manager.plugins) == ["bexley"]
    assert reasons(manager) == {"bexley": "a second plugin with this name was ignored"}
