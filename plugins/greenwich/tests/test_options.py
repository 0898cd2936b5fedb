"""Greenwich's options rules, loaded through the real plugin manager by entry point.

Each test quotes the rule of ``001_2a45bb55c36fcb52.txt`` ("Greenwich") it encodes.
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

ORG = "greenwich"
SEED = "001_2a45bb55c36fcb52.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("greenwich")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", ORG), **kw)


def options(manager, c: CaseFacts, org: str = ORG) -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


def routing(manager, tenure):
    r = manager.call(ORG, "haven_interview_routing", case=case(tenure=tenure))
    return msgspec.convert(msgspec.to_builtins(r), InterviewRouting)


@pytest.mark.rule("greenwich.routing-by-tenure")
def test_routing_by_tenure_private_and_owner_occupiers_to_housing_aid_centre(manager):
    """001_2a45bb55c36fcb52.txt: "Private sector tenants and owner occupiers are referred to Housing Aid
    Centre. Secure tenants are referred to Housing Options. ... No domestic violence specialist"."""
    assert routing(manager, "private_rented").interviewer == "housing_aid_centre"
    assert routing(manager, "owner_occupier").interviewer == "housing_aid_centre"
    assert routing(manager, "council_secure").interviewer == "housing_options"
    for tenure in ("private_rented", "council_secure", "housing_association", "unknown"):
        r = routing(manager, tenure)
        assert r.interviewer != "dv_specialist" and r.fallback_interviewer is None
        assert r.risk_assessment_at_interview


@pytest.mark.rule("greenwich.floating-support", "greenwich.sanctuary-cpo-assessment")
def test_sanctuary_always_with_floating_support_assessment_within_24_hours(manager):
    """001_2a45bb55c36fcb52.txt: "Undertakes a property risk assessment with crime prevention officer within
    24 hours ... They are always referred for floating support"."""
    opts = options(manager, case(perpetrator_at_property=False))
    s = opts["greenwich-sanctuary"]
    assert s.eligible and s.referral_level.amount == 24 and s.referral_level.unit == "hours"
    assert "floating support" in s.description
    assert opts["greenwich-floating-support"].eligible
    advice = {
        a.id: msgspec.convert(msgspec.to_builtins(a), Advice)
        for a in manager.call_results(ORG, "haven_case_advice", case=case())
    }
    assert "always" in advice["greenwich-sanctuary-floating-support"].text
    assert not options(manager, case(unable_to_return_home=True))["greenwich-sanctuary"].eligible


@pytest.mark.rule("greenwich.newtrack")
def test_rent_deposit_through_newtrack(manager):
    """001_2a45bb55c36fcb52.txt: "NewTrack which is a subsidiary of HACTRAC procure accommodation for
    vulnerable adults. Floating support is available from providers such as Asra, Refuge and Women's Aid"."""
    opts = options(manager, case())
    assert (
        opts["greenwich-rent-deposit"].refer_to == "NewTrack"
        and opts["greenwich-rent-deposit"].kind == "private_rented"
    )
    assert opts["greenwich-floating-support"].refer_to == "Asra; Refuge; Women's Aid"


@pytest.mark.rule("greenwich.idvas")
def test_three_idvas_employed_by_the_womens_trust(manager):
    """001_2a45bb55c36fcb52.txt: "There are three IDVAs in Greenwich and they are employed by the Women's Trust"."""
    idva = options(manager, case())["greenwich-idva"]
    assert "Three IDVAs" in idva.description and "Women's Trust" in idva.refer_to


@pytest.mark.rule("greenwich.substance-misuse-worker")
def test_substance_misuse_worker_is_a_referral_option(manager):
    """001_2a45bb55c36fcb52.txt: "70% of the women seen also have a substance misuse problem. Options officer
    can refer necessary cases to the worker for assessment"."""
    assert options(manager, case(substance_misuse=True))["greenwich-substance-misuse-worker"].eligible
    other = options(manager, case())["greenwich-substance-misuse-worker"]
    assert not other.eligible and "70%" in other.reason


@pytest.mark.rule("se-london.emergency-accommodation")
def test_emergency_accommodation_via_refugeline_or_council_overnight(manager):
    """001_2a45bb55c36fcb52.txt: "If emergency accommodation is required Housing Options staff contact
    Refugeline or if necessary can access the council's own emergency overnight accommodation"."""
    opts = options(manager, case(unable_to_return_home=True))
    assert opts["greenwich-refugeline"].eligible and opts["greenwich-emergency-overnight"].eligible
    assert not options(manager, case())["greenwich-emergency-overnight"].eligible


@pytest.mark.rule("se-london.marac")
def test_marac_is_live(manager):
    """001_2a45bb55c36fcb52.txt: "Greenwich MARAC – Reviews and coordinates service provision in high-risk
    and complex domestic violence cases"."""
    s = msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_marac_settings")), MaracSettings)
    assert s.marac_live and s.marac_name == "Greenwich MARAC"
    assert msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_jwa_settings")), JwaSettings).one_night_booking


def test_every_quoted_source_is_in_the_seed(manager):
    """Every option and advice quotes ``001_2a45bb55c36fcb52.txt`` word for word (elisions as "...")."""
    c = case(substance_misuse=True, unable_to_return_home=True)
    records = list(options(manager, c).values()) + manager.call_results(ORG, "haven_case_advice", case=c)
    records += [manager.call(ORG, "haven_interview_routing", case=c), manager.call(ORG, "haven_marac_settings")]
    assert_sources_in_seed(SEED, records)


def test_option_ids_are_unique_and_prefixed(manager):
    ids = [o.id for o in manager.call_results(ORG, "haven_housing_options", case=case())]
    assert len(ids) == len(set(ids)) and all(i.startswith("greenwich-") for i in ids)
