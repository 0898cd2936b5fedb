"""Test support for organisation plugins: the source documents and the real plugin manager.

Every plugin test quotes the seed line its rule encodes and checks the quote against the
document itself, so a rule cannot drift from its source unnoticed. The documents live in
``../shared/seeds`` beside the repository (``HAVEN_SEEDS_DIR`` points elsewhere). A missing
document fails the test: a seed-quote test that skipped when the documents were absent
would pass without checking anything.

The helpers load plugins through the same manager the services use (entry points,
guarded loading), so a plugin test sees exactly what a running service sees; what every
plugin must satisfy is checked by the contract's kit (:mod:`haven_contracts.plugin.kit`),
which :func:`assert_plugins_conform` runs with that manager and the seeds.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest

from haven_contracts.plugin.kit import assert_plugin_conforms, normalise, quote_problem
from haven_contracts.plugin.options import CaseFacts, HousingOption
from haven_runtime.plugins import HavenPluginManager, build_plugin_manager, unique_by_key
from haven_runtime.settings import load_settings

SEEDS_ENV = "HAVEN_SEEDS_DIR"
# runtime/haven_runtime/testing/plugins.py → the repository root is two levels up; seeds sit beside it
_DEFAULT_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seeds_dir() -> Path:
    """Where the source documents are: ``HAVEN_SEEDS_DIR`` or ``../shared/seeds``."""
    return Path(os.environ.get(SEEDS_ENV) or _DEFAULT_SEEDS)


@cache
def seed_text(name: str) -> str:
    """The normalised text of one source document; fails the calling test if it is missing."""
    path = seeds_dir() / name
    if not path.is_file():
        pytest.fail(f"source document {name} not found in {seeds_dir()} (set {SEEDS_ENV})", pytrace=False)
    return normalise(path.read_text(encoding="utf-8"))


def assert_sources_in_seed(seed: str, records: list[Any]) -> None:
    """Each record's ``source`` names ``seed`` and quotes it word for word (elisions as " ... ").

    A source reads ``<seed file>: "<quote>"`` (or ``<seed file> <section>: "<quote>"``).
    """
    for record in records:
        assert record.source.startswith(seed), record
        assert ": " in record.source, record
        problem = quote_problem(record.source, seed_text)
        assert problem is None, (getattr(record, "id", record), problem)


def assert_plugins_conform(plugins: str) -> None:
    """The plugins a service would load with ``HAVEN_PLUGINS=plugins`` keep the plugin contract
    (:func:`haven_contracts.plugin.kit.check_plugin`), their sources checked against the seeds."""
    assert_plugin_conforms(manager_for(plugins), seeds=seed_text)


def manager_for(plugins: str) -> HavenPluginManager:
    """The plugin manager a service would build with ``HAVEN_PLUGINS=plugins``; no load failures."""
    manager = build_plugin_manager(load_settings({"HAVEN_ENV": "test", "HAVEN_PLUGINS": plugins}))
    assert not manager.failures, manager.failures
    return manager


def case_facts(org: str, **facts: Any) -> CaseFacts:
    """Facts of an invented case at ``org`` (reception approach unless ``channel`` says otherwise)."""
    return CaseFacts(org=org, case_ref="CASE-TEST000001", channel=facts.pop("channel", "reception"), **facts)


def housing_options(manager: HavenPluginManager, facts: CaseFacts) -> dict[str, HousingOption]:
    """The options every plugin serving ``facts.org`` offers, keyed by option id, as the service
    decodes them; two options with one id fail, naming the plugins (``unique_by_key``)."""
    results = manager.results_by_plugin(facts.org, "haven_housing_options", case=facts)
    decoded = [(plugin, msgspec.convert(msgspec.to_builtins(o), HousingOption)) for plugin, o in results]
    return {o.id: o for o in unique_by_key(decoded, "id", what="housing option")}


# Invented: no real survivor data exists anywhere in this project.
INVENTED_PERSON = {"name": "Sam Invented-Example", "phone": "07000 900456"}


async def open_case(client: Any, headers: dict[str, str], **facts: Any) -> dict:
    """Open a case for an invented person at the options service; the new case as JSON."""
    r = await client.post("/cases", json={"person": INVENTED_PERSON, "channel": "reception"} | facts, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def listed(client: Any, headers: dict[str, str], ref: str, what: str = "options") -> dict[str, dict]:
    """A case's options (or ``advice``) as the options service lists them, keyed by id."""
    r = await client.get(f"/cases/{ref}/{what}", headers=headers)
    assert r.status_code == 200, r.text
    return {o["id"]: o for o in r.json()}


async def case_with_accepted_duty(client: Any, headers: dict[str, str]) -> str:
    """A case at borough A on which a duty was accepted: what the JWA's advance contact follows
    (000_93a7cd5d2a8b6030.txt: "Where borough A has accepted a duty to a client"); its reference."""
    body = {"person": {"name": "Invented Client"}, "channel": "reception", "duty_accepted": True}
    r = await client.post("/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["ref"]
