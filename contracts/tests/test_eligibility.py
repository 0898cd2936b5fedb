"""The shared predicates and option builders (``001_2a45bb55c36fcb52.txt``), defined once for
every SE London borough that states them; each borough's tests check its own options too."""

from __future__ import annotations

import pytest

from haven_contracts.plugin.eligibility import (
    SE_LONDON_SEED,
    cannot_remain_at_home,
    council_emergency_overnight_option,
    council_temporary_accommodation_option,
    refuge_list_option,
    refugeline_option,
    stays_in_property,
)
from haven_contracts.plugin.options import CaseFacts


def case(**facts) -> CaseFacts:
    return CaseFacts(org="lewisham", case_ref="CASE-TEST000001", channel="reception", **facts)


@pytest.mark.parametrize(
    ("facts", "stays"),
    [
        ({}, True),
        ({"perpetrator_at_property": False, "tenure": "council_secure"}, True),
        ({"unable_to_return_home": True}, False),
        ({"perpetrator_at_property": True}, False),
        ({"tenure": "no_fixed_abode"}, False),
        ({"tenure": "temporary_accommodation"}, False),
    ],
)
def test_sanctuary_secures_a_home_the_client_stays_in_without_the_perpetrator(facts, stays):
    """Bexley: Bobby Van "Secures windows/doors/new front door ... in client's property"."""
    assert stays_in_property(case(**facts)) is stays


def test_emergency_routes_open_only_when_the_client_cannot_go_home():
    """As required: "If emergency accommodation is required Housing Options staff contact Refugeline or if necessary can
    access the council's own emergency overnight accommodation"; "Applicant is provided with a list of
    refuges if they cannot return home on the day"."""
    home, away = case(), case(unable_to_return_home=True)
    assert not cannot_remain_at_home(home) and cannot_remain_at_home(away)
    for build in (refugeline_option, refuge_list_option):
        assert not build("lewisham", home).eligible and build("lewisham", away).eligible
    for build in (council_emergency_overnight_option, council_temporary_accommodation_option):
        option = build("lewisham", away, "London Borough of Lewisham")
        assert option.eligible and option.refer_to == "London Borough of Lewisham"
        assert option.id.startswith("lewisham-") and option.refer_to_key.startswith("lewisham-")
    assert refugeline_option("bexley", away).source.startswith(f"{SE_LONDON_SEED}: ")
