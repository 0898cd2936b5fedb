"""Dales Housing / Seven Locks Housing (AG/013) options rules, through the real plugin manager.

Each test quotes the operational principle of ``003_8738e4ccc4c4272a.txt`` it encodes; both
landlords follow the same policy, so every test runs for both organisations.
"""

from __future__ import annotations

import msgspec
import pytest

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin.options import Advice, CaseFacts, HousingOption, InterviewRouting
from haven_runtime.testing.plugins import assert_sources_in_seed, case_facts, housing_options, manager_for

ORGS = ("dales-housing", "seven-locks-housing")
SEED = "003_8738e4ccc4c4272a.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("dales-seven-locks")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", "dales-housing"), **kw)


def options(manager, c: CaseFacts, org: str = "dales-housing") -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


def advice(manager, org, **kw) -> dict[str, Advice]:
    found = manager.call_results(org, "haven_case_advice", case=case(org=org, **kw))
    return {a.id.removeprefix(org + "-"): msgspec.convert(msgspec.to_builtins(a), Advice) for a in found}


def opts(manager, org, **kw) -> dict[str, HousingOption]:
    return {k.removeprefix(org + "-"): v for k, v in options(manager, case(org=org, **kw), org=org).items()}


@pytest.mark.rule("ag013.interview-next-working-day")
@pytest.mark.parametrize("org", ORGS)
def test_interview_before_the_end_of_the_next_working_day(manager, org):
    """003_8738e4ccc4c4272a.txt principle 1: "Victims of domestic violence will be interviewed before the
    end of the next working day from making a report to housing services"."""
    level = msgspec.convert(msgspec.to_builtins(manager.call(org, "haven_interview_service_level")), ServiceLevel)
    assert (level.amount, level.unit) == (1, "next_working_day_end")


@pytest.mark.rule("ag013.same-sex-interviewer")
@pytest.mark.parametrize("org", ORGS)
def test_same_sex_and_same_cultural_background_interviewer_where_possible(manager, org):
    """003_8738e4ccc4c4272a.txt principle 2: "Where possible, the victim will be offered an interview with
    someone of the same sex and/or cultural background"."""
    r = msgspec.convert(
        msgspec.to_builtins(manager.call(org, "haven_interview_routing", case=case(org=org))), InterviewRouting
    )
    assert r.same_sex_offered and r.same_culture_offered and r.fallback


@pytest.mark.rule("ag013.consent-before-agencies")
@pytest.mark.parametrize("org", ORGS)
def test_consent_before_contacting_agencies(manager, org):
    """003_8738e4ccc4c4272a.txt principle 5: "contact external agencies such as the Local Authority, Police,
    Solicitor, or the local advice agency with the permission of the victim"."""
    assert "permission" in advice(manager, org)["consent-before-agencies"].text
    external = opts(manager, org, unable_to_return_home=True)
    for key in ("reciprocal", "temporary-accommodation", "legal-remedies", "support-agencies"):
        assert external[key].needs_consent, key


@pytest.mark.rule("ag013.priority-transfer", "ag013.reciprocal-when-own-stock-cannot")
@pytest.mark.parametrize("org", ORGS)
def test_priority_transfer_like_for_like_away_from_the_area_then_reciprocal(manager, org):
    """003_8738e4ccc4c4272a.txt principles 7-8: "the option of offering him or her a priority transfer ... on a
    like for like basis and where possible, away from the victim's local area. If a transfer away from the local
    area cannot be achieved from within the Group's own stock, it will seek to make a reciprocal arrangement"."""
    away = opts(manager, org, unable_to_return_home=True)
    assert away["priority-transfer"].eligible and "like for like" in away["priority-transfer"].title
    assert away["reciprocal"].eligible and away["reciprocal"].kind == "reciprocal"
    home = opts(manager, org)
    assert not home["priority-transfer"].eligible and not home["reciprocal"].eligible
    ids = list(away)
    assert ids.index("priority-transfer") < ids.index("reciprocal")


@pytest.mark.rule("ag013.emergency-security-measures")
@pytest.mark.parametrize("org", ORGS)
def test_emergency_security_measures_for_a_victim_who_stays(manager, org):
    """003_8738e4ccc4c4272a.txt principle 8: "If the victim is able to remain in his or her own home ... but
    requests reasonable additional security measures, the Group will ... arrange for these to be provided on an
    emergency basis"."""
    security = opts(manager, org, perpetrator_at_property=False)["emergency-security"]
    assert security.eligible and security.replaces == "sanctuary_scheme"
    assert security.kind != "sanctuary_scheme"  # the Group takes the lead; no borough scheme is referred to
    assert not opts(manager, org, unable_to_return_home=True)["emergency-security"].eligible


@pytest.mark.rule("ag013.rent-arrears-disregarded")
@pytest.mark.parametrize("org", ORGS)
def test_rent_arrears_disregarded_now_apportioned_later(manager, org):
    """003_8738e4ccc4c4272a.txt principle 8: "Rent arrears will be disregarded at this stage, however a decision
    will be taken by the relevant manager as to how, or if, the arrears are apportioned following any transfer"."""
    text = advice(manager, org, rent_arrears=True)["rent-arrears-disregarded"].text
    assert "disregarded at this stage" in text and "apportioned" in text
    assert "rent-arrears-disregarded" not in advice(manager, org)


@pytest.mark.rule("ag013.property-damage")
@pytest.mark.parametrize("org", ORGS)
def test_property_damage_costs_sought_from_the_perpetrator(manager, org):
    """003_8738e4ccc4c4272a.txt principle 8: "The costs of making good any property damage should be sought
    from the perpetrator of violence wherever practicable"."""
    assert "perpetrator" in advice(manager, org)["property-damage"].text


@pytest.mark.rule("ag013.evict-perpetrator")
@pytest.mark.parametrize("org", ORGS)
def test_perpetrator_eviction_when_the_victim_has_left(manager, org):
    """003_8738e4ccc4c4272a.txt principle 7: "Where the victim has left the accommodation and does not wish to
    return, managers will consider taking action to evict the perpetrator"."""
    assert opts(manager, org, unable_to_return_home=True)["perpetrator-eviction"].eligible
    assert not opts(manager, org)["perpetrator-eviction"].eligible


@pytest.mark.parametrize("org", ORGS)
def test_every_quoted_source_is_in_the_seed(manager, org):
    """Every rule quotes ``003_8738e4ccc4c4272a.txt`` word for word (elisions as "...")."""
    c = case(org=org, rent_arrears=True, unable_to_return_home=True)
    records = list(options(manager, c, org=org).values()) + manager.call_results(org, "haven_case_advice", case=c)
    records += [
        manager.call(org, "haven_interview_routing", case=c),
        manager.call(org, "haven_interview_service_level"),
    ]
    assert_sources_in_seed(SEED, records)


@pytest.mark.parametrize("org", ORGS)
def test_option_ids_are_unique_within_each_landlord(manager, org):
    ids = [o.id for o in manager.call_results(org, "haven_housing_options", case=case(org=org))]
    assert len(ids) == len(set(ids)) and all(i.startswith(org + "-") for i in ids)


def test_landlord_hooks_reach_only_the_landlords(manager):
    """The plugin serves only Dales Housing and Seven Locks Housing; a borough gets none of its rules."""
    assert manager.call_results("bexley", "haven_housing_options", case=case(org="bexley")) == []
    assert manager.call("bexley", "haven_interview_service_level") is None
