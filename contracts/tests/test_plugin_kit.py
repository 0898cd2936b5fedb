"""The plugin conformance kit finds each way a plugin breaks the contract, and names it.

The plugins here are invented modules; the sources quote an invented one-line "seed"
(``900_0000000000000000.txt``) given to the kit as a function.
"""

from __future__ import annotations

import types

import pytest

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import DirectoryData, ForumRecord, OfficerRecord, ServiceRecord
from haven_contracts.plugin.kit import PluginContractError, assert_plugin_conforms, check_plugin, quote_problem
from haven_contracts.plugin.options import Advice, CaseFacts, HousingOption
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "900_0000000000000000.txt"
SEEDS = {SEED: "Staff contact the refuge. Every case is seen within 24 hours."}


def plugin(*, orgs=("testshire",), officers=(), services=(), forums=(), options=(), advice=()) -> types.ModuleType:
    module = types.ModuleType("haven_kit_test_plugin")

    @hookimpl
    def haven_manifest():
        return PluginManifest(
            name="kit-test",
            organisations=tuple(Organisation(id=o, name=o.title(), kind="local_authority") for o in orgs),
            seeds=(SEED,),
        )

    @hookimpl
    def haven_directory_data(org):
        return DirectoryData(officers=tuple(officers), services=tuple(services), forums=tuple(forums))

    @hookimpl
    def haven_housing_options(org, case):
        return list(options)

    @hookimpl
    def haven_case_advice(org, case):
        return list(advice)

    module.haven_manifest = haven_manifest
    module.haven_directory_data = haven_directory_data
    module.haven_housing_options = haven_housing_options
    module.haven_case_advice = haven_case_advice
    return module


def option(id: str, source: str = f"{SEED}: Staff contact the refuge.", **kw) -> HousingOption:
    return HousingOption(id=id, title=id, kind="refuge", source=source, **kw)


def findings(module, **kw) -> list[str]:
    return [f"{f.check}: {f.message}" for f in check_plugin(module, seeds=SEEDS.__getitem__, **kw)]


def test_a_conforming_plugin_has_no_findings():
    ok = plugin(
        officers=[
            OfficerRecord(
                key="t-lead",
                org="testshire",
                name="Lead (invented)",
                positions=("dv_lead",),
                email="lead@testshire.example",
            )
        ],
        services=[ServiceRecord(key="t-refuge", org="testshire", name="Refuge", taxonomy=("refuge",))],
        options=[
            option(
                "t-refuge", referral_level=ServiceLevel(amount=24, unit="hours", source=f"{SEED}: seen within 24 hours")
            )
        ],
        advice=[Advice(id="t-advice", topic="x", text="x", source=f"{SEED} section 2: Every case is seen")],
    )
    assert check_plugin(ok, seeds=SEEDS.__getitem__) == []
    assert_plugin_conforms(ok, seeds=SEEDS.__getitem__)


def test_sources_must_be_present_and_quote_the_seed_they_name():
    found = findings(
        plugin(
            options=[
                option("t-none", source=""),
                option("t-misquoted", source=f"{SEED}: Staff telephone the refuge."),
                option("t-elided", source=f"{SEED}: Staff contact ... within 48 hours"),
                option("t-level", referral_level=ServiceLevel(amount=2, unit="hours")),
                option("t-default", source="core default: no seed names a time"),
            ]
        )
    )
    assert "sources: haven_housing_options(org='testshire'): HousingOption 't-none' has no source" in found
    assert any("'t-misquoted'" in f and "'Staff telephone the refuge.'" in f for f in found)
    assert any("'t-elided'" in f and "'within 48 hours'" in f for f in found)
    assert any(f.endswith("ServiceLevel has no source") for f in found)
    assert not [f for f in found if "t-default" in f]
    assert quote_problem(f"{SEED} Staff contact the refuge", SEEDS.__getitem__).startswith("source")


def test_seeds_from_a_folder_and_a_missing_seed_is_named(tmp_path):
    (tmp_path / SEED).write_text("Staff contact\u00a0the \u201crefuge\u201d.", encoding="utf-8")
    assert (
        check_plugin(plugin(options=[option("t-ok", source=f'{SEED}: Staff contact the "refuge".')]), seeds=tmp_path)
        == []
    )
    other = "901_0000000000000000.txt"
    found = [
        f.message for f in check_plugin(plugin(options=[option("t-x", source=f"{other}: anything")]), seeds=tmp_path)
    ]
    assert found == [f"haven_housing_options(org='testshire'): HousingOption 't-x': seed document {other} not found"]


def test_directory_records_keys_officers_and_taxonomy():
    found = findings(
        plugin(
            officers=[
                OfficerRecord(key="t-a", org="elsewhere", name="A (invented)", positions=("dv_lead",)),
                OfficerRecord(
                    key="t-b", org="testshire", name="Real Person", positions=("dv_lead",), email="b@testshire.gov.uk"
                ),
            ],
            services=[ServiceRecord(key="t-a", org="testshire", name="No codes")],
            forums=[ForumRecord(key="t-b", org="testshire", name="Forum")],
        )
    )
    assert "organisations: officer 't-a' is for 'elsewhere' but returned for 'testshire'" in found
    assert "directory: invented officer 't-b': mark the name '(invented)'" in found
    assert "directory: invented officer 't-b': use an e-mail address ending '.example'" in found
    assert "taxonomy: service 't-a' has no taxonomy code" in found
    assert "directory: key 't-a' used twice: OfficerRecord at 'testshire' and ServiceRecord at 'testshire'" in found
    assert any(f.startswith("directory: key 't-b' used twice") for f in found)


def test_an_unknown_taxonomy_code_is_refused_when_the_record_is_made():
    """The directory would reject it at start-up; the contract refuses it where the plugin makes it."""
    with pytest.raises(ValueError, match=r"service 't-refuge' has unknown taxonomy code\(s\) \['refugee'\]"):
        ServiceRecord(key="t-refuge", org="testshire", name="Refuge", taxonomy=("refuge", "refugee"))


def test_manifest_organisations_hooks_and_option_ids():
    assert findings(plugin(orgs=())) == ["organisations: haven_manifest declares no organisations"]
    assert [f.split(":")[0] for f in findings(plugin(orgs=("Test Shire",)))] == ["manifest"]
    assert findings(plugin(orgs=("testshire", "testshire"))) == [
        "organisations: organisation 'testshire' declared twice"
    ]
    twice = findings(plugin(options=[option("t-same"), option("t-same")]))
    assert "options: housing option 't-same' returned twice for 'testshire' (sample case 0)" in twice

    broken = plugin()

    @hookimpl
    def haven_housing_options(org, case: CaseFacts):
        if case.unable_to_return_home:
            raise KeyError("tenure")
        return [{"id": "not a record"}]

    broken.haven_housing_options = haven_housing_options
    found = findings(broken)
    assert any(f.startswith("hooks: haven_housing_options(org='testshire') sample 1: KeyError") for f in found)
    assert any(f.startswith("hooks: haven_housing_options(org='testshire') sample 0: ValidationError") for f in found)

    @hookimpl
    def haven_housing_optoins(org, case):
        return []

    broken.haven_housing_optoins = haven_housing_optoins
    assert any("haven_housing_optoins" in f for f in findings(broken))
    assert findings(types.ModuleType("empty")) == [
        "manifest: no haven_manifest hook: a plugin must declare the organisations it serves"
    ]


def test_the_error_lists_every_finding():
    with pytest.raises(PluginContractError) as raised:
        assert_plugin_conforms(plugin(options=[option("t-x", source="")], orgs=("testshire",)), name="kit-test")
    assert "kit-test: sources:" in str(raised.value) and len(raised.value.findings) == 1


def test_hooks_of_gathers_marked_functions_and_refuses_a_hook_implemented_twice():
    from types import ModuleType

    from haven_contracts.plugin import hookimpl, hooks_of

    def module(name: str, **attrs) -> ModuleType:
        mod = ModuleType(name)
        vars(mod).update(attrs)
        return mod

    @hookimpl
    def haven_manifest():
        return []

    @hookimpl
    def haven_housing_options(org):
        return []

    def helper():
        return None

    manifest = module("p.manifest", haven_manifest=haven_manifest, helper=helper, SEED="x")
    options = module("p.options", haven_housing_options=haven_housing_options)
    assert hooks_of(manifest, options) == {
        "haven_manifest": haven_manifest,
        "haven_housing_options": haven_housing_options,
    }

    @hookimpl
    def haven_housing_options_again(org):
        return []

    clash = module("p.directory", haven_housing_options=haven_housing_options_again)
    with pytest.raises(ValueError, match="haven_housing_options is implemented in both p.options and p.directory"):
        hooks_of(manifest, options, clash)
