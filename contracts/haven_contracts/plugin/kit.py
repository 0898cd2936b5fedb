"""The plugin conformance kit: the contract every plugin keeps beyond its hook signatures,
checked one way for every plugin so plugins' tests keep only their organisation's own cases.

:func:`check_plugin` returns :class:`Finding` s (empty when the plugin conforms);
:func:`assert_plugin_conforms` raises :class:`PluginContractError` listing them all. The checks:

* ``hooks`` — every implementation names a hook of the contract with its parameters, and
  returns the record its specification declares, for every organisation served and every
  sample case (:data:`SAMPLE_CASES`, :data:`SAMPLE_REFERRALS`);
* ``manifest`` / ``organisations`` — ``haven_manifest`` returns a valid manifest (organisation
  ids are slugs) declaring at least one organisation, none twice;
* ``directory`` / ``taxonomy`` — officers belong to the organisation asked about, invented
  officers say so ("(invented)", a ``.example`` e-mail), every service carries taxonomy
  codes and all are known (:mod:`haven_contracts.plugin.taxonomy`), no record key twice;
* ``options`` — no housing option id twice for one organisation and case (two plugins
  serving one organisation included, when given a plugin manager);
* ``sources`` — every interview routing, service level, housing option and advice carries a
  ``source``; given the seeds, a source naming a seed file quotes it word for word, with
  elisions written " ... ".

Sources are compared with the seeds by :mod:`haven_contracts.plugin.sources`. The kit imports
only the contract, so a plugin depending on ``haven-contracts`` alone can test itself with it;
``haven_runtime.testing.plugins`` calls it with the real plugin manager and seeds.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pluggy

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import HOOKSPEC_MODULES, PROJECT
from haven_contracts.plugin.directory import DirectoryData
from haven_contracts.plugin.options import Advice, CaseFacts, HousingOption, InterviewRouting
from haven_contracts.plugin.records import PluginManifest
from haven_contracts.plugin.sanctuary import ReferralFacts
from haven_contracts.plugin.sources import normalise, quote_problem, seed_reader
from haven_contracts.plugin.taxonomy import unknown_codes_message

__all__ = [
    "Finding",
    "PluginContractError",
    "SAMPLE_CASES",
    "SAMPLE_REFERRALS",
    "assert_plugin_conforms",
    "check_plugin",
    "normalise",
    "quote_problem",
    "taxonomy_findings",
]

#: Records whose ``source`` must be set: what an officer is told to do, and every timescale.
SOURCED = (InterviewRouting, ServiceLevel, HousingOption, Advice)

#: Facts of invented cases that between them take every eligibility branch the seeds name:
#: staying or leaving, each tenure, arrears, substance misuse, a mortgage, a police referral.
SAMPLE_CASES: tuple[dict[str, Any], ...] = (
    {},
    {"unable_to_return_home": True, "tenure": "council_secure", "may_be_homeless": True},
    {"tenure": "housing_association", "rent_arrears": True, "perpetrator_at_property": False},
    {"tenure": "private_rented", "substance_misuse": True, "channel": "police_referral"},
    {"tenure": "owner_occupier", "mortgaged": True, "perpetrator_at_property": True, "out_of_hours": True},
    {
        "tenure": "no_fixed_abode",
        "unable_to_return_home": True,
        "children": 2,
        "marac_recommended": True,
        "duty_accepted": True,
    },
)
#: Facts of invented sanctuary referrals (no name, telephone or date of birth exists in them).
SAMPLE_REFERRALS: tuple[dict[str, Any], ...] = (
    {},
    {"tenure": "council_tenant", "property_type": "flat", "postcode_district": "DA1"},
    {"tenure": "owner_occupier", "property_type": "house", "unsafe_to_stay": True},
)


@dataclass(frozen=True)
class Finding:
    """One way a plugin breaks the contract: which plugin, which check, and what to fix."""

    plugin: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.plugin}: {self.check}: {self.message}"


class PluginContractError(AssertionError):
    """Raised by :func:`assert_plugin_conforms`; the message lists every finding."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("plugin contract broken:\n" + "\n".join(f"  - {f}" for f in self.findings))


def _records(value: Any) -> Iterator[msgspec.Struct]:
    """Every struct in ``value``, nested ones included (a service level inside an option)."""
    if isinstance(value, msgspec.Struct):
        yield value
        for name in value.__struct_fields__:
            yield from _records(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _records(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _records(item)


def _label(record: msgspec.Struct) -> str:
    ident = getattr(record, "id", None) or getattr(record, "key", None)
    return f"{type(record).__name__} {ident!r}" if ident else type(record).__name__


def _spec_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT)
    for name in HOOKSPEC_MODULES:
        module = importlib.import_module(name)
        if any(hasattr(getattr(module, attr), f"{PROJECT}_spec") for attr in dir(module)):
            pm.add_hookspecs(module)
    return pm


def _samples(argnames: tuple[str, ...], org: str) -> list[dict[str, Any]]:
    """Keyword arguments for one hook at ``org``: one set per sample case or referral."""
    if "case" in argnames:
        return [
            {"org": org, "case": CaseFacts(org=org, case_ref="CASE-TEST000001", **{"channel": "reception"} | c)}
            for c in SAMPLE_CASES
        ]
    if "referral" in argnames:
        return [
            {"org": org, "referral": ReferralFacts(referral_ref="SR-TEST000001", org=org, referrer_org=org, **r)}
            for r in SAMPLE_REFERRALS
        ]
    return [{"org": org}]


@dataclass
class _Report:
    """What one plugin returned, per hook, organisation and sample, and the findings so far."""

    name: str
    findings: list[Finding]
    returned: list[tuple[str, str, int, Any]]  # (hook, org, sample index, value)

    def add(self, check: str, message: str) -> None:
        finding = Finding(self.name, check, message)
        if finding not in self.findings:
            self.findings.append(finding)

    def values(self, hook: str) -> Iterator[tuple[str, int, Any]]:
        return ((org, i, v) for h, org, i, v in self.returned if h == hook)


def _manifest(module: object, report: _Report) -> PluginManifest | None:
    impl = getattr(module, "haven_manifest", None)
    if impl is None:
        report.add("manifest", "no haven_manifest hook: a plugin must declare the organisations it serves")
        return None
    try:
        manifest = msgspec.convert(msgspec.to_builtins(impl()), PluginManifest)
    except Exception as exc:  # noqa: BLE001 - any failure is the finding
        report.add("manifest", f"haven_manifest returned an invalid manifest: {exc}")
        return None
    ids = [o.id for o in manifest.organisations]
    if not ids:
        report.add("organisations", "haven_manifest declares no organisations")
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        report.add("organisations", f"organisation {twice!r} declared twice")
    return manifest


def _call_hooks(module: object, orgs: list[str], report: _Report) -> None:
    pm = _spec_manager()
    try:
        pm.register(module, name=report.name)
        pm.check_pending()
    except Exception as exc:  # noqa: BLE001 - pluggy names the hook and parameter
        report.add("hooks", f"invalid hook implementation: {exc}")
        return
    for caller in pm.get_hookcallers(module) or ():
        if caller.name == "haven_manifest":
            continue
        impl = next(i for i in caller.get_hookimpls() if i.plugin_name == report.name)
        expected = typing.get_type_hints(caller.spec.function)["return"]
        for org in orgs:
            for i, kwargs in enumerate(_samples(tuple(caller.spec.argnames), org)):
                try:
                    value = impl.function(*[kwargs[a] for a in impl.argnames])
                    msgspec.convert(msgspec.to_builtins(value), expected)
                except Exception as exc:  # noqa: BLE001 - a raising or malformed hook is the finding
                    report.add("hooks", f"{caller.name}(org={org!r}) sample {i}: {type(exc).__name__}: {exc}")
                    continue
                report.returned.append((caller.name, org, i, value))


def _check_directory(report: _Report) -> None:
    keys: dict[str, str] = {}  # key -> where first seen
    for org, _, data in report.values("haven_directory_data"):
        if not isinstance(data, DirectoryData):
            continue
        for officer in data.officers:
            if officer.org != org:
                report.add("organisations", f"officer {officer.key!r} is for {officer.org!r} but returned for {org!r}")
            if officer.invented and "(invented)" not in officer.name:
                report.add("directory", f"invented officer {officer.key!r}: mark the name '(invented)'")
            if officer.invented and officer.email and not officer.email.endswith(".example"):
                report.add("directory", f"invented officer {officer.key!r}: use an e-mail address ending '.example'")
        for service in data.services:
            problem = unknown_codes_message(f"service {service.key!r}", service.taxonomy)
            if not service.taxonomy or problem:
                report.add("taxonomy", problem or f"service {service.key!r} has no taxonomy code")
        for record in (*data.officers, *data.services, *data.forums, *data.locations):
            where = f"{type(record).__name__} at {org!r}"
            if record.key in keys:
                report.add("directory", f"key {record.key!r} used twice: {keys[record.key]} and {where}")
            keys.setdefault(record.key, where)


def _option_ids(report: _Report) -> dict[tuple[str, int], list[str]]:
    return {
        (org, i): [o.id for o in options if isinstance(o, HousingOption)]
        for org, i, options in report.values("haven_housing_options")
    }


def _check_options(report: _Report) -> None:
    for (org, i), ids in _option_ids(report).items():
        for twice in sorted({x for x in ids if ids.count(x) > 1}):
            report.add("options", f"housing option {twice!r} returned twice for {org!r} (sample case {i})")


def _check_sources(report: _Report, seed_text: Callable[[str], str] | None) -> None:
    for hook, org, _, value in report.returned:
        for record in _records(value):
            if not isinstance(record, SOURCED):
                continue
            if not record.source:
                report.add("sources", f"{hook}(org={org!r}): {_label(record)} has no source")
            elif seed_text is not None and (problem := quote_problem(record.source, seed_text)):
                report.add("sources", f"{hook}(org={org!r}): {_label(record)}: {problem}")


def _check_one(module: object, name: str, seed_text: Callable[[str], str] | None) -> _Report:
    report = _Report(name, [], [])
    manifest = _manifest(module, report)
    if manifest is None:
        return report
    _call_hooks(module, [o.id for o in manifest.organisations], report)
    _check_directory(report)
    _check_options(report)
    _check_sources(report, seed_text)
    return report


def _is_manager(plugin: object) -> bool:
    """A Haven plugin manager (duck-typed: the contract must not import the runtime)."""
    return isinstance(getattr(plugin, "plugins", None), dict) and hasattr(plugin, "pm")


def check_plugin(
    plugin: object, *, name: str | None = None, seeds: Callable[[str], str] | str | Path | None = None
) -> list[Finding]:
    """Every way ``plugin`` breaks the contract; empty when it conforms.

    ``plugin`` is a plugin module (or object) implementing hooks, or a plugin manager: then
    every loaded plugin is checked, its load failures are findings, and option ids must stay
    unique across the plugins serving one organisation. ``seeds`` is the folder of seed
    documents, or a function returning one's normalised text by file name; without it
    sources are checked for presence only.
    """
    seed_text = seed_reader(seeds)
    if not _is_manager(plugin):
        label = name or getattr(plugin, "__name__", type(plugin).__name__)
        return _check_one(plugin, label, seed_text).findings
    findings = [Finding(f.name, "load", f.reason) for f in getattr(plugin, "failures", ())]
    by_org: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for loaded in sorted(plugin.plugins):
        report = _check_one(plugin.pm.get_plugin(loaded), loaded, seed_text)
        findings.extend(report.findings)
        for key, ids in _option_ids(report).items():
            by_org.setdefault(key, []).extend((loaded, i) for i in ids)
    for (org, i), pairs in sorted(by_org.items()):
        seen: dict[str, str] = {}
        for by, option in pairs:
            if option in seen and seen[option] != by:
                findings.append(
                    Finding(
                        by,
                        "options",
                        f"housing option {option!r} for {org!r} also comes from "
                        f"plugin {seen[option]} (sample case {i})",
                    )
                )
            seen.setdefault(option, by)
    return list(dict.fromkeys(findings))


def assert_plugin_conforms(
    plugin: object, *, name: str | None = None, seeds: Callable[[str], str] | str | Path | None = None
) -> None:
    """Raise :class:`PluginContractError` listing every finding of :func:`check_plugin`."""
    findings = check_plugin(plugin, name=name, seeds=seeds)
    if findings:
        raise PluginContractError(findings)


def taxonomy_findings(plugin: object, orgs: Iterable[str], *, name: str = "plugin") -> list[Finding]:
    """Unknown or missing taxonomy codes in ``plugin``'s directory data for ``orgs``.

    The plugin manager runs this at load, so a code the directory would reject fails the
    plugin's loading rather than the directory's start-up.
    """
    hook = getattr(plugin, "haven_directory_data", None)
    if hook is None:
        return []
    report = _Report(name, [], [])
    for org in orgs:
        try:
            report.returned.append(("haven_directory_data", org, 0, hook(org=org)))
        except Exception as exc:  # noqa: BLE001 - a record refusing its codes raises when built
            report.add("taxonomy", f"haven_directory_data(org={org!r}): {type(exc).__name__}: {exc}")
    _check_directory(report)
    return [f for f in report.findings if f.check == "taxonomy"]
