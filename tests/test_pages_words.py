"""Plain words for coded values, and the check that no page shows a code as it is coded."""

from __future__ import annotations

from haven_runtime.identity import ROLES
from haven_runtime.web.words import codes, contract_values, plain, plain_text, raw_values


def test_values_in_plain_words():
    assert plain("council_secure") == "Council secure tenancy"
    assert plain("dv_lead") == "DV lead"
    assert plain(True) == "Yes" and plain(False) == "No" and plain(None) == "Not recorded"
    assert plain("consent:CONS-7K2") == "Consent recorded (CONS-7K2)"
    assert plain("sanctuary_scheme") == "Sanctuary scheme" and plain("police") == "Police"
    assert plain("Bromley Women's Aid") == "Bromley Women's Aid"  # free text stays as typed
    assert (
        plain_text("requires one of the roles: dv_lead, team_manager")
        == "requires one of the roles: DV lead, Team manager"
    )


def test_codes_come_from_the_contracts_literals_and_the_roles():
    found = contract_values()
    assert {"council_secure", "sanctuary_scheme", "not_met", "dv_lead", "no_response", "working_days"} <= found
    assert ROLES <= codes()


def test_every_code_has_plain_words_that_pass_the_check():
    for code in codes():
        assert raw_values(f"<p>{plain(code)}</p>") == [], code


def test_the_check_reads_visible_text_not_attributes():
    assert raw_values('<select><option value="council_secure">Council secure tenancy</option></select>') == []
    assert raw_values('<a href="/x" title="dv_lead">DV lead</a>') == []
    shown = raw_values(
        "<title>Case</title><td>council_secure</td><td>admin</td><td>True</td><p>basis consent:CONS-1</p>"
    )
    assert len(shown) == 4 and any("council_secure" in s for s in shown) and any("'admin'" in s for s in shown)
