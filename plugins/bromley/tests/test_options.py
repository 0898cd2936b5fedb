"""Bromley's options rules, loaded through the real plugin manager by entry point.

Each test quotes the rule of ``001_2a45bb55c36fcb52.txt`` ("Bromley") it encodes.
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

ORG = "bromley"
SEED = "001_2a45bb55c36fcb52.txt"


@pytest.fixture(scope="module")
def manager():
    return manager_for("bromley")


def case(**kw) -> CaseFacts:
    return case_facts(kw.pop("org", ORG), **kw)


def options(manager, c: CaseFacts, org: str = ORG) -> dict[str, HousingOption]:
    assert c.org == org
    return housing_options(manager, c)


@pytest.mark.rule("bromley.female-officer")
def test_reception_then_initial_assessment_then_options_team_and_a_female_officer(manager):
    """001_2a45bb55c36fcb52.txt: "Client is seen at reception and referred to an Initial Assessment Officer
    ... They then refer to the Options and Assessment Team if necessary ... Any DV cases are always offered a
    female officer to conduct the interview"."""
    r = msgspec.convert(
        msgspec.to_builtins(manager.call(ORG, "haven_interview_routing", case=case())), InterviewRouting
    )
    assert r.same_sex_offered is True
    team = r.team.lower()
    assert (
        team.index("reception") < team.index("initial assessment officer") < team.index("options and assessment team")
    )
    topics = [a.topic for a in manager.call_results(ORG, "haven_case_advice", case=case())]
    assert "interviewer" in topics


@pytest.mark.rule("bromley.dv-officer-single-point")
def test_dv_officer_is_the_single_point_of_reference(manager):
    """001_2a45bb55c36fcb52.txt: "The DV officer leads on domestic violence and acts as a single point of
    reference for external agencies"."""
    advice = {
        a.id: msgspec.convert(msgspec.to_builtins(a), Advice)
        for a in manager.call_results(ORG, "haven_case_advice", case=case())
    }
    assert "single point of reference" in advice["bromley-dv-officer"].text


@pytest.mark.rule("bromley.one-stop-shop")
def test_one_stop_shop_is_first_port_of_call_open_two_mornings(manager):
    """001_2a45bb55c36fcb52.txt: "a police officer from Bromley Community Safety Unit; a local solicitor who
    specialises in family law; a representative from HPU, representative from Bromley Women's Aid and Victim
    Support. The one-stop shop is very often the first port of call ... It is open two mornings a week"."""
    opts = list(options(manager, case()).values())
    shop = opts[0]
    assert shop.id == "bromley-one-stop-shop" and shop.replaces == "signposting"
    for staff in (
        "Community Safety Unit",
        "family law",
        "HPU",
        "Bromley Women's Aid",
        "Victim Support",
        "two mornings a week",
    ):
        assert staff in shop.description
    legal = next(o for o in opts if o.id == "bromley-one-stop-shop-legal")
    assert legal.kind == "legal_remedies"


@pytest.mark.rule("bromley.sanctuary-referral-form")
def test_sanctuary_by_referral_form_mostly_from_police(manager):
    """001_2a45bb55c36fcb52.txt: "Staff complete a referral form for the scheme. Majority of referrals come
    from the police and not through Housing Options"."""
    s = options(manager, case(perpetrator_at_property=False))["bromley-sanctuary"]
    assert s.kind == "sanctuary_scheme" and s.eligible and "referral form" in s.description
    assert "already referred" in options(manager, case(channel="police_referral"))["bromley-sanctuary"].description
    assert not options(manager, case(unable_to_return_home=True))["bromley-sanctuary"].eligible


@pytest.mark.rule("bromley.rent-deposit-floating-support")
def test_rent_deposit_with_floating_support(manager):
    """001_2a45bb55c36fcb52.txt: "Rent deposit/ private sector Family caseworker within the support and
    resettlement team provides floating support. Additionally Bromley Women's Aid provide outreach and
    floating support when necessary"."""
    opts = options(manager, case())
    assert opts["bromley-rent-deposit"].kind == "private_rented"
    assert "family caseworker" in opts["bromley-floating-support"].refer_to
    assert "Bromley Women's Aid" in opts["bromley-floating-support"].refer_to


@pytest.mark.rule("bromley.housing-association-transfer")
def test_landlord_negotiation_only_for_housing_association_tenants(manager):
    """001_2a45bb55c36fcb52.txt: "If the landlord is a housing association, staff will negotiate for a
    transfer or look to entering into a reciprocal move with another local authority or housing association"."""
    ha = options(manager, case(tenure="housing_association", landlord_org="dales-housing"))[
        "bromley-landlord-negotiation"
    ]
    assert ha.eligible and ha.refer_to_key == "dales-housing"
    assert "transfer" in ha.description and "reciprocal move" in ha.description
    for tenure in ("council_secure", "private_rented", "owner_occupier", "unknown"):
        assert not options(manager, case(tenure=tenure))["bromley-landlord-negotiation"].eligible


@pytest.mark.rule("bromley.payment-plan")
def test_payment_plan_where_debt_blocks_rehousing(manager):
    """001_2a45bb55c36fcb52.txt: "In cases where the client is in debt and this might be a barrier from being
    rehoused by the same association, staff will negotiate a payment plan with the client"."""
    assert options(manager, case(tenure="housing_association", rent_arrears=True))["bromley-payment-plan"].eligible
    assert not options(manager, case(tenure="housing_association"))["bromley-payment-plan"].eligible
    assert not options(manager, case(tenure="private_rented", rent_arrears=True))["bromley-payment-plan"].eligible


@pytest.mark.rule("se-london.emergency-accommodation")
def test_emergency_accommodation_via_refugeline_or_council_overnight(manager):
    """001_2a45bb55c36fcb52.txt: "If emergency accommodation is required Housing Options staff contact
    Refugeline or if necessary can access the council's own emergency overnight accommodation"."""
    opts = options(manager, case(unable_to_return_home=True))
    assert opts["bromley-refugeline"].eligible and opts["bromley-emergency-overnight"].eligible
    assert opts["bromley-emergency-overnight"].kind == "temporary_accommodation"
    assert not options(manager, case())["bromley-refugeline"].eligible


@pytest.mark.rule("se-london.marac")
def test_marac_is_live(manager):
    """001_2a45bb55c36fcb52.txt: "DV Forums & Panels in Bromley 1. MARAC"."""
    s = msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_marac_settings")), MaracSettings)
    assert s.marac_live and s.marac_name == "Bromley MARAC"
    assert msgspec.convert(msgspec.to_builtins(manager.call(ORG, "haven_jwa_settings")), JwaSettings).one_night_booking


def test_every_quoted_source_is_in_the_seed(manager):
    """Every option and advice quotes ``001_2a45bb55c36fcb52.txt`` word for word (elisions as "...")."""
    c = case(tenure="housing_association", rent_arrears=True, unable_to_return_home=True)
    records = list(options(manager, c).values()) + manager.call_results(ORG, "haven_case_advice", case=c)
    records += [manager.call(ORG, "haven_interview_routing", case=c), manager.call(ORG, "haven_marac_settings")]
    assert_sources_in_seed(SEED, records)


def test_option_ids_are_unique_and_prefixed(manager):
    ids = [o.id for o in manager.call_results(ORG, "haven_housing_options", case=case())]
    assert len(ids) == len(set(ids)) and all(i.startswith("bromley-") for i in ids)
