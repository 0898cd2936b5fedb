"""Where an organisation's procedure is silent, Haven says it runs on a core default taken
from another organisation's document, and the organisation can set its own.

The interview clock's core default is AG/013 principle 1 (``003_8738e4ccc4c4272a.txt``: "interviewed
before the end of the next working day"), the Dales Housing / Seven Locks Housing policy; the
five SE London boroughs' procedures (``001_2a45bb55c36fcb52.txt``) give no interview timescale. The
sanctuary clocks, catalogue and funding defaults are Dartford's procedure
(``004_d4b796f614d2cfd3.txt``, sections 4, 6 and 9); Bexley's, Bromley's and Southwark's schemes
set none of their own.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import ModuleType

import pytest
from click.testing import CliRunner

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import CORE_DEFAULT_NOTE, Organisation, PluginManifest
from haven_contracts.plugin.sanctuary import ClockRule, SanctuaryScheme, SecurityMeasure
from haven_runtime.identity import issue_token
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.testing.plugins import seed_text
from haven_runtime.web.words import check_pages

NOTE = "core default, not from this organisation's procedure"


def _plugin(name: str, org: str, **hooks) -> HavenPluginManager:
    """A plugin manager with one invented plugin serving ``org`` alone."""
    module = ModuleType(f"haven_test_{name.replace('-', '_')}")
    module.haven_manifest = hookimpl(
        lambda: PluginManifest(
            name=name, organisations=(Organisation(id=org, name=org.title(), kind="local_authority"),)
        )
    )
    for key, value in hooks.items():
        setattr(module, key, hookimpl(value))
    manager = HavenPluginManager()
    assert manager.register(module, name=name) is not None, manager.failures
    return manager


def _settings(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["service"], r["setting"]): r for r in rows}


@pytest.mark.rule("ag013.interview-next-working-day", "dartford.security-measures")
def test_haven_plugins_says_which_organisations_run_on_another_organisations_rules():
    from haven_runtime.ops.cli import main
    from haven_runtime.settings import reset_settings

    assert CORE_DEFAULT_NOTE == NOTE
    assert "interviewed before the end of the next working day" in seed_text("003_8738e4ccc4c4272a.txt")
    assert "next working day" not in seed_text("001_2a45bb55c36fcb52.txt")
    reset_settings()
    try:
        result = CliRunner().invoke(main, ["plugins", "--json"], env={"HAVEN_DATA_DIR": "/tmp/haven-cli-test"})
        text = CliRunner().invoke(main, ["plugins"], env={"HAVEN_DATA_DIR": "/tmp/haven-cli-test"})
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    defaults = json.loads(result.output)["core_defaults"]
    for borough in ("bexley", "bromley", "greenwich", "lewisham", "southwark"):
        interview = _settings(defaults[borough])[("options", "interview clock")]
        assert interview["note"] == NOTE and "003_8738e4ccc4c4272a.txt" in interview["taken_from"]
        assert interview["set_with"] == "haven_interview_service_level"
    for borough in ("bexley", "bromley", "southwark"):
        rows = _settings(defaults[borough])
        assert "004_d4b796f614d2cfd3.txt" in rows[("sanctuary", "security measures catalogue")]["taken_from"]
        assert "police_request" in rows[("sanctuary", "Ask the police to inspect the property clock")]["set_with"]
    # the organisations whose own documents these are run on their own rules
    assert not [r for r in defaults.get("dartford", []) if r["service"] == "sanctuary"]
    for landlord in ("dales-housing", "seven-locks-housing"):
        assert ("options", "interview clock") not in _settings(defaults.get(landlord, []))
    assert text.exit_code == 0 and "bromley: where its procedure is silent" in text.output
    assert f"options interview clock: before the end of the next working day — {NOTE}" in text.output


@pytest.mark.asyncio
@pytest.mark.rule("dartford.security-measures")
async def test_the_scheme_page_marks_core_defaults_and_a_scheme_sets_its_own(start_service, haven_settings):
    sanctuary = check_pages(await start_service("sanctuary"))
    bromley = (await sanctuary.get("/schemes/bromley")).json()
    assert {d["setting"] for d in bromley["core_defaults"]} >= {"security measures catalogue", "funding by tenure"}
    assert (await sanctuary.get("/schemes/dartford")).json()["core_defaults"] == []
    sanctuary.cookies.set("haven_token", issue_token("so-1", "bromley", ["sanctuary_officer"], settings=haven_settings))
    page = await sanctuary.get("/pages/schemes/bromley")
    assert page.status_code == 200 and 'id="core-defaults"' in page.text and NOTE in page.text.replace("&#39;", "'")
    own = await sanctuary.get("/pages/schemes/dartford")
    assert own.status_code == 200 and 'id="core-defaults"' not in own.text

    # the organisation sets its own: a catalogue and a police-request clock of its own, the rest still default
    scheme = SanctuaryScheme(
        org="bromley",
        name="Bromley Sanctuary Scheme",
        borough="Bromley",
        source="local procedure",
        catalogue=(SecurityMeasure(key="door_viewer", label="Door viewer", source="local procedure"),),
        clocks=(
            ClockRule(
                key="police_request",
                label="Ask the police",
                starts="received",
                stops="inspection_requested",
                level=ServiceLevel(amount=2, unit="working_days", source="local procedure"),
            ),
        ),
    )
    manager = _plugin("test-bromley-scheme", "bromley", haven_sanctuary_scheme=lambda org: scheme)
    other = await start_service("sanctuary", plugins=manager)
    settings = {d["setting"] for d in (await other.get("/schemes/bromley")).json()["core_defaults"]}
    assert (
        "security measures catalogue" not in settings and "Ask the police to inspect the property clock" not in settings
    )
    assert "funding by tenure" in settings


@pytest.mark.asyncio
@pytest.mark.rule("ag013.interview-next-working-day")
async def test_an_organisation_sets_its_own_interview_clock(start_service, token):
    from haven_options.interview import core_defaults

    silent = _plugin("test-silent", "bromley", haven_housing_options=lambda org, case: [])
    assert [d.setting for d in core_defaults(silent, "bromley")] == ["interview clock"]
    own = _plugin(
        "test-own",
        "bromley",
        haven_housing_options=lambda org, case: [],
        haven_interview_service_level=lambda org: ServiceLevel(amount=3, unit="working_days", source="local procedure"),
    )
    assert core_defaults(own, "bromley") == []
    options = await start_service("options", plugins=own)
    r = await options.post(
        "/cases",
        json={
            "person": {"name": "Jo Invented-Example"},
            "channel": "reception",
            "tenure": "council_secure",
            "approached_at": "2026-11-23T10:00:00+00:00",
        },
        headers=token("bromley", "options_officer"),
    )
    assert r.status_code == 201, r.text
    due = datetime.fromisoformat(r.json()["interview"]["due_at"])
    # three working days from Monday 23 November 2026, not the end of the next working day
    assert due.date().isoformat() == "2026-11-26"


@pytest.mark.asyncio
@pytest.mark.rule("ag013.interview-next-working-day")
async def test_a_case_says_when_its_interview_clock_is_another_organisations(start_service, token, haven_settings):
    """Bromley's procedure (001_2a45bb55c36fcb52.txt) gives no interview timescale: its case's clock is AG/013's, and
    the case says so; a Dales Housing case runs on the policy's own rule and says nothing."""
    options = check_pages(await start_service("options"))
    body = {"person": {"name": "Jo Invented-Example"}, "channel": "reception", "tenure": "council_secure"}
    bromley = (await options.post("/cases", json=body, headers=token("bromley", "options_officer"))).json()
    assert bromley["interview"]["clock_core_default"]["note"] == NOTE
    assert "003_8738e4ccc4c4272a.txt" in bromley["interview"]["clock_core_default"]["taken_from"]
    dales = (await options.post("/cases", json=body, headers=token("dales-housing", "options_officer"))).json()
    assert dales["interview"]["clock_core_default"] is None
    options.cookies.set(
        "haven_token", issue_token("officer-1", "bromley", ["options_officer"], settings=haven_settings)
    )
    page = await options.get(f"/pages/cases/{bromley['ref']}")
    assert (
        page.status_code == 200
        and 'id="interview-clock-default"' in page.text
        and NOTE in page.text.replace("&#39;", "'")
    )
