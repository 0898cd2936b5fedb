"""Lewisham's options rules, loaded through the real plugin manager by entry point.

Each test quotes the rule of ``001_2a45bb55c36fcb52.txt`` ("Lewisham") it encodes.
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
from haven_runtime.testing.plugins import assert_sources_in_seed, case_facts, housing_options, manager_for

ORG = "lewisham"
SEED = "001_2a45bb55c36fcb52.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("lewisham")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", ORG), **kw)


def options(manager, c: CaseFacts, org: str = ORG) -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


@pytest.mark.rule("lewisham.triage")
def test_triage_interview_then_options_interview(manager):
    """001_2a45bb55c36fcb52.txt: "Client approaches reception and is referred for a triage interview ... No
    domestic violence specialist. If necessary a housing options appointment is made"."""
    r = msgspec.convert(
        msgspec.to_builtins(manager.call(ORG, "haven_interview_routing", case=case())), InterviewRouting
    )
    assert r.interviewer == "triage_then_options" and r.fallback_interviewer is None


@pytest.mark.rule("lewisham.risk-sources")
def test_risk_established_through_gp_police_and_housing_provider(manager):
    """001_2a45bb55c36fcb52.txt: "Establish level of risk/instances through the GP, police, housing provider"."""
    advice = {
        a.id: msgspec.convert(msgspec.to_builtins(a), Advice)
        for a in manager.call_results(ORG, "haven_case_advice", case=case())
    }
    text = advice["lewisham-risk-evidence"].text
    assert "GP" in text and "police" in text and "housing provider" in text


@pytest.mark.rule("lewisham.sanctuary-assessment")
def test_sanctuary_risk_assessment_between_24_and_48_hours(manager):
    """001_2a45bb55c36fcb52.txt: "Between 24-48 hours to complete a Risk Assessment"."""
    s = options(manager, case(perpetrator_at_property=False))["lewisham-sanctuary"]
    assert s.eligible and (s.referral_level.target, s.referral_level.amount, s.referral_level.unit) == (24, 48, "hours")


@pytest.mark.rule("lewisham.rent-incentive-floating-support")
def test_rent_incentive_scheme_with_refuge_floating_support(manager):
    """001_2a45bb55c36fcb52.txt: "Rent incentive scheme In any cases where this is taken up, referral is made
    to the floating support providers, Refuge"."""
    opts = options(manager, case())
    assert (
        opts["lewisham-rent-incentive"].kind == "private_rented"
        and "Refuge" in opts["lewisham-rent-incentive"].description
    )
    assert opts["lewisham-floating-support"].refer_to == "Refuge"


@pytest.mark.rule("lewisham.idva")
def test_one_idva_at_the_police_station_who_can_look_at_legal_remedies(manager):
    """001_2a45bb55c36fcb52.txt: "There is one IDVA in Lewisham, based at the police station. The IDVA can
    also look at legal remedies"."""
    opts = options(manager, case())
    assert "police station" in opts["lewisham-idva"].refer_to
    legal = opts["lewisham-idva-legal-remedies"]
    assert legal.kind == "legal_remedies" and legal.refer_to == opts["lewisham-idva"].refer_to


@pytest.mark.rule("lewisham.landlord-transfer-priority")
def test_landlord_transfer_priority_only_with_a_social_landlord(manager):
    """001_2a45bb55c36fcb52.txt: "Speak with their landlord, housing association or ALMO about making them a
    transfer priority"."""
    assert options(manager, case(tenure="housing_association"))["lewisham-landlord-transfer"].eligible
    assert options(manager, case(tenure="council_secure"))["lewisham-landlord-transfer"].eligible
    assert not options(manager, case(tenure="private_rented"))["lewisham-landlord-transfer"].eligible


@pytest.mark.rule("se-london.refuge-list-and-ta")
def test_refuge_list_and_council_ta_until_a_refuge_is_available(manager):
    """001_2a45bb55c36fcb52.txt: "Applicant is provided with a list of refuges if they cannot return home on
    the day. When necessary the Council can provide their own temporary accommodation until a refuge becomes
    available"."""
    opts = options(manager, case(unable_to_return_home=True))
    assert opts["lewisham-refuge-list"].eligible and opts["lewisham-temporary-accommodation"].eligible
    assert "until a refuge" in opts["lewisham-temporary-accommodation"].title
    assert not options(manager, case())["lewisham-refuge-list"].eligible


@pytest.mark.rule("se-london.marac")
def test_marac_is_being_set_up(manager):
    """001_2a45bb55c36fcb52.txt: "Lewisham MARAC ... Currently being set up"."""
    s = msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_marac_settings")), MaracSettings)
    assert s.marac_live is False
    assert msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_jwa_settings")), JwaSettings).one_night_booking


def test_every_quoted_source_is_in_the_seed(manager):
    """Every option and advice quotes ``001_2a45bb55c36fcb52.txt`` word for word (elisions as "...")."""
    c = case(tenure="housing_association", unable_to_return_home=True)
    records = list(options(manager, c).values()) + manager.call_results(ORG, "haven_case_advice", case=c)
    records += [manager.call(ORG, "haven_interview_routing", case=c), manager.call(ORG, "haven_marac_settings")]
    assert_sources_in_seed(SEED, records)


def test_option_ids_are_unique_and_prefixed(manager):
    ids = [o.id for o in manager.call_results(ORG, "haven_housing_options", case=case())]
    assert len(ids) == len(set(ids)) and all(i.startswith("lewisham-") for i in ids)
