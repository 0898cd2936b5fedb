"""Southwark's options rules, loaded through the real plugin manager by entry point.

Each test quotes the rule of ``001_2a45bb55c36fcb52.txt`` ("Southwark") it encodes.
"""

from __future__ import annotations

import msgspec
import pytest

from haven_contracts.plugin.options import (
    Advice,
    CaseFacts,
    HousingOption,
    InterviewRouting,
    JwaSettings,
    MaracSettings,
)
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.settings import load_settings
from haven_runtime.testing.plugins import assert_sources_in_seed, case_facts, housing_options, manager_for

ORG = "southwark"
SEED = "001_2a45bb55c36fcb52.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("southwark")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", ORG), **kw)


def options(manager, c: CaseFacts, org: str = ORG) -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


def routing(manager):
    r = manager.call(ORG, "haven_interview_routing", case=case())
    return msgspec.convert(msgspec.to_builtins(r), InterviewRouting)


@pytest.mark.rule("southwark.asb-unit-interview")
def test_asb_unit_officer_interviews_and_assesses_risk_today(manager, monkeypatch):
    """001_2a45bb55c36fcb52.txt: "they are referred to an officer from the anti social behaviour unit. The
    officer conducts an interview with the victim and conducts a risk assessment"."""
    monkeypatch.delenv("HAVEN_SOUTHWARK_DV_ROUTE", raising=False)
    r = routing(manager)
    assert r.interviewer == "asb_unit_officer" and r.risk_assessment_at_interview


@pytest.mark.rule("southwark.move-to-housing-options")
def test_setting_moves_the_interview_to_housing_options_dv_lead_officers(manager, monkeypatch):
    """001_2a45bb55c36fcb52.txt: "Southwark are in the process of moving this function back to the HomeSearch
    centre (Housing Options Team) ... Domestic Violence Lead Officers"."""
    monkeypatch.setenv("HAVEN_SOUTHWARK_DV_ROUTE", "housing-options")
    r = routing(manager)
    assert r.interviewer == "housing_options" and "Domestic Violence Lead Officers" in r.team


def test_a_bad_route_setting_fails_loudly():
    from haven_southwark.options import dv_route

    assert dv_route({}) == "asb-unit"
    with pytest.raises(ValueError, match="HAVEN_SOUTHWARK_DV_ROUTE"):
        dv_route({"HAVEN_SOUTHWARK_DV_ROUTE": "reception"})


def test_a_bad_route_setting_is_reported_at_start_up(monkeypatch):
    """A deployment with a mistyped route gets a plugin failure naming the variable, not a wrong route."""
    import sys

    monkeypatch.setenv("HAVEN_SOUTHWARK_DV_ROUTE", "reception")
    for name in [m for m in sys.modules if m == "haven_southwark" or m.startswith("haven_southwark.")]:
        monkeypatch.delitem(sys.modules, name)
    m = build_plugin_manager(load_settings({"HAVEN_ENV": "test", "HAVEN_PLUGINS": "southwark"}))
    assert "southwark" not in m.plugins
    assert [f.name for f in m.failures] == ["southwark"] and "HAVEN_SOUTHWARK_DV_ROUTE" in m.failures[0].reason


@pytest.mark.rule("southwark.victim-decides")
def test_the_victim_makes_the_final_decision(manager):
    """001_2a45bb55c36fcb52.txt: "The final course of action will be made by the victim"."""
    advice = {
        a.id: msgspec.convert(msgspec.to_builtins(a), Advice)
        for a in manager.call_results(ORG, "haven_case_advice", case=case())
    }
    assert "victim makes the final decision" in advice["southwark-victim-decides"].text


@pytest.mark.rule("southwark.sanctuary-finders-fee-idvas")
def test_sanctuary_rent_incentive_finders_fee_with_floating_support_and_idvas(manager):
    """001_2a45bb55c36fcb52.txt: "Sanctuary scheme ... Rent incentive scheme/Finders Fee scheme In any cases
    where this is taken up, referral is made to the floating support providers ... Independent Domestic Violence
    Advocates (IDVAs)"."""
    opts = options(manager, case(perpetrator_at_property=False))
    assert opts["southwark-sanctuary"].eligible and opts["southwark-sanctuary"].kind == "sanctuary_scheme"
    assert "Finders Fee" in opts["southwark-rent-incentive"].title
    assert opts["southwark-floating-support"].kind == "floating_support"
    assert opts["southwark-idva"].kind == "signposting"
    assert not options(manager, case(perpetrator_at_property=True))["southwark-sanctuary"].eligible


@pytest.mark.rule("se-london.refuge-list-and-ta")
def test_refuge_list_and_council_ta_until_a_refuge_is_available(manager):
    """001_2a45bb55c36fcb52.txt: "Applicant is provided with a list of refuges if they cannot return home on
    the day. When necessary the Council can provide their own temporary accommodation until a refuge becomes
    available"."""
    opts = options(manager, case(unable_to_return_home=True))
    assert opts["southwark-refuge-list"].eligible and opts["southwark-temporary-accommodation"].eligible
    assert not options(manager, case())["southwark-temporary-accommodation"].eligible


@pytest.mark.rule("se-london.marac")
def test_marac_is_live(manager):
    """001_2a45bb55c36fcb52.txt: "DV Forums & Panels in Southwark 1. MARAC"."""
    s = msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_marac_settings")), MaracSettings)
    assert s.marac_live and s.marac_name == "Southwark MARAC"
    assert msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_jwa_settings")), JwaSettings).one_night_booking


def test_every_quoted_source_is_in_the_seed(manager):
    """Every option and advice quotes ``001_2a45bb55c36fcb52.txt`` word for word (elisions as "...")."""
    c = case(unable_to_return_home=True)
    records = list(options(manager, c).values()) + manager.call_results(ORG, "haven_case_advice", case=c)
    records += [manager.call(ORG, "haven_interview_routing", case=c), manager.call(ORG, "haven_marac_settings")]
    from haven_southwark.options import routing_for

    records += [routing_for("asb-unit"), routing_for("housing-options")]
    assert_sources_in_seed(SEED, records)


def test_option_ids_are_unique_and_prefixed(manager):
    ids = [o.id for o in manager.call_results(ORG, "haven_housing_options", case=case())]
    assert len(ids) == len(set(ids)) and all(i.startswith("southwark-") for i in ids)
