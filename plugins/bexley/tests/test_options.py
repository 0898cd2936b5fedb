"""Bexley's options rules, loaded through the real plugin manager by entry point.

Each test quotes the rule of ``001_2a45bb55c36fcb52.txt`` ("Bexley") it encodes.
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

ORG = "bexley"
SEED = "001_2a45bb55c36fcb52.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("bexley")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", ORG), **kw)


def options(manager, c: CaseFacts, org: str = ORG) -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


@pytest.mark.rule("bexley.dv-specialists-emergency")
def test_two_dv_specialists_interview_as_an_emergency_with_the_folder_as_fallback(manager):
    """001_2a45bb55c36fcb52.txt: "two housing options officers with a DV specialism ... seen as an
    emergency. If neither of the specialists are present a housing options interview will be
    conducted by another staff member who can consult the DV specialists folder"."""
    r = msgspec.convert(
        msgspec.to_builtins(manager.call(ORG, "haven_interview_routing", case=case())), InterviewRouting
    )
    assert r.interviewer == "dv_specialist"
    assert r.seen_as_emergency is True
    assert r.fallback_interviewer == "any_officer_with_specialist_folder"
    assert "folder" in r.fallback


@pytest.mark.rule("bexley.bobby-van")
def test_bobby_van_only_where_the_client_stays_in_the_property(manager):
    """001_2a45bb55c36fcb52.txt: "Bobby Van Secures windows/doors/new front door, spy-holes, link-line
    alarms in client's property directly linked to local police, set at green, amber, red"."""
    staying = options(manager, case(tenure="council_secure", perpetrator_at_property=False))["bexley-bobby-van"]
    assert staying.eligible and staying.replaces == "sanctuary_scheme"
    for text in ("windows/doors/new front door", "spy-holes", "link-line alarms", "green, amber, red"):
        assert text in staying.description
    assert not options(manager, case(unable_to_return_home=True))["bexley-bobby-van"].eligible
    assert not options(manager, case(perpetrator_at_property=True))["bexley-bobby-van"].eligible


@pytest.mark.rule("bexley.bond-deposit-floating-support")
def test_bond_deposit_scheme_with_floating_support_from_bexley_womens_aid(manager):
    """001_2a45bb55c36fcb52.txt: "Bond deposit scheme Floating support is provided by Bexley Women's Aid
    ... Other floating support providers include Victim Support, Refuge"."""
    opts = options(manager, case())
    assert opts["bexley-bond-deposit"].kind == "private_rented"
    assert "Bexley Women's Aid" in opts["bexley-bond-deposit"].description
    support = opts["bexley-floating-support"]
    assert support.refer_to.startswith("Bexley Women's Aid")
    assert "Victim Support" in support.refer_to and "Refuge" in support.refer_to
    assert support.needs_consent  # staff telephone with the client's details


@pytest.mark.rule("bexley.crisis-intervention-team")
def test_crisis_intervention_team_is_the_first_port_of_call_then_law_centre_cab_counselling(manager):
    """001_2a45bb55c36fcb52.txt: "Crisis Intervention Team is one of the first ports of call ... Staff can
    also signpost to Erith law centre, the CAB and to BCU counselling"."""
    opts = list(options(manager, case()).values())
    signposts = [o for o in opts if o.kind == "signposting"]
    assert signposts[0].id == "bexley-crisis-intervention-team"
    others = next(o for o in signposts if o.id == "bexley-signposting").refer_to
    for place in ("Erith law centre", "CAB", "BCU counselling"):
        assert place in others


@pytest.mark.rule("bexley.legal-clinic")
def test_legal_clinic_on_wednesday_afternoons_and_mortgage_advice(manager):
    """001_2a45bb55c36fcb52.txt: "The Crisis Intervention Team holds a legal clinic on Wednesday afternoons
    in the housing options centre ... They can provide advice on mortgaged properties"."""
    clinic = options(manager, case())["bexley-legal-clinic"]
    assert clinic.kind == "legal_remedies" and "Wednesday afternoons" in clinic.title
    advice = [
        msgspec.convert(msgspec.to_builtins(a), Advice)
        for a in manager.call_results(ORG, "haven_case_advice", case=case(mortgaged=True))
    ]
    assert {a.topic for a in advice} == {"legal-clinic", "mortgaged-property"}
    plain = manager.call_results(ORG, "haven_case_advice", case=case(tenure="council_secure"))
    assert [a.topic for a in plain] == ["legal-clinic"]


def test_emergency_accommodation_via_refugeline_or_council_overnight(manager):
    """001_2a45bb55c36fcb52.txt: "If emergency accommodation is required Housing Options staff contact
    Refugeline or if necessary can access the council's own emergency overnight accommodation"."""
    opts = options(manager, case(unable_to_return_home=True))
    assert opts["bexley-refugeline"].eligible and opts["bexley-refugeline"].kind == "refuge"
    assert (
        opts["bexley-emergency-overnight"].eligible
        and opts["bexley-emergency-overnight"].refer_to_key == "bexley-emergency-accommodation"
    )
    home = options(manager, case())
    assert not home["bexley-refugeline"].eligible and not home["bexley-emergency-overnight"].eligible


@pytest.mark.rule("bexley.marac-being-set-up")
def test_marac_is_still_being_set_up(manager):
    """001_2a45bb55c36fcb52.txt: "MARAC – Bexley are in process of setting up a MARAC"."""
    s = msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_marac_settings")), MaracSettings)
    assert s.marac_live is False and "Hate Crime Panel" in s.marac_name
    assert msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_jwa_settings")), JwaSettings).one_night_booking


def test_every_quoted_source_is_in_the_seed(manager):
    """Every option and advice quotes ``001_2a45bb55c36fcb52.txt`` word for word (elisions as "...")."""
    c = case(mortgaged=True, unable_to_return_home=True)
    records = list(options(manager, c).values()) + manager.call_results(ORG, "haven_case_advice", case=c)
    records += [manager.call(ORG, "haven_interview_routing", case=c), manager.call(ORG, "haven_marac_settings")]
    assert_sources_in_seed(SEED, records)


def test_option_ids_are_unique_and_prefixed(manager):
    ids = [o.id for o in manager.call_results(ORG, "haven_housing_options", case=case())]
    assert len(ids) == len(set(ids)) and all(i.startswith("bexley-") for i in ids)


def test_haven_plugins_bexley_gives_bexley_options_only_to_bexley(manager):
    """As required: "HAVEN_PLUGINS (allow-list ...) choose the set"; a hook is called only on plugins serving the
    org."""
    assert sorted(manager.plugins) == ["bexley"]
    assert options(manager, case())
    assert manager.call_results("bromley", "haven_housing_options", case=case(org="bromley")) == []
    assert manager.call("bromley", "haven_interview_routing", case=case(org="bromley")) is None
    both = manager_for("bexley,bromley")
    bromley = options(both, case(org="bromley"), org="bromley")
    assert bromley and not [i for i in bromley if i.startswith("bexley-")]
    disabled = build_plugin_manager(load_settings({"HAVEN_ENV": "test", "HAVEN_DISABLED_PLUGINS": "bexley"}))
    assert disabled.call_results(ORG, "haven_housing_options", case=case()) == []
