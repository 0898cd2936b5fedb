"""The matcher against an exact maximum bipartite matching on small random instances.

Seed ``002_c1c7b199d9a53274.txt``: the reciprocal lets a household "move to another local
authority area and keep a social tenancy" and the referring partner "owes an equal size
property"; the DESIGN target is "as many safe moves as a maximum matching".
"""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_reciprocal.matching import Household, Property, compatible, match

AREAS = ["cambridge", "east-cambridgeshire", "fenland", "huntingdonshire", "south-cambridgeshire", "peterborough"]
FEATURES = [frozenset(), frozenset({"step_free"}), frozenset({"step_free", "wheelchair"})]


def exact_maximum(households, properties) -> int:
    """Kuhn's augmenting-path algorithm on the explicit graph (small instances only)."""
    adj = [[j for j, p in enumerate(properties) if compatible(h, p)] for h in households]
    owner = [-1] * len(properties)

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] < 0 or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    sys.setrecursionlimit(10_000)
    return sum(augment(i, set()) for i in range(len(households)))


def random_instance(rng: random.Random, nh: int, np_: int, areas=AREAS, exclusions: bool = False):
    households = [
        Household(
            key=f"H{i}",
            area=rng.choice(areas),
            bedrooms=rng.randint(1, 3),
            needs=rng.choice(FEATURES[:2] + [frozenset()]),
            unsafe=frozenset(rng.sample(areas, rng.randint(0, len(areas) - 1))),
            preferred=frozenset(rng.sample(areas, rng.randint(0, 2))),
            waiting_since=rng.random(),
            excluded=frozenset(f"P{rng.randrange(np_)}" for _ in range(rng.randint(0, 3)))
            if exclusions
            else frozenset(),
        )
        for i in range(nh)
    ]
    properties = [
        Property(
            key=f"P{j}",
            area=rng.choice(areas),
            bedrooms=rng.randint(1, 3),
            features=rng.choice(FEATURES),
            available_from=rng.random(),
        )
        for j in range(np_)
    ]
    return households, properties


def check(households, properties):
    result = match(households, properties)
    hh = {h.key: h for h in households}
    pp = {p.key: p for p in properties}
    assert len({h for h, _ in result.pairs}) == len(result.pairs)
    assert len({p for _, p in result.pairs}) == len(result.pairs)
    for h, p in result.pairs:
        assert compatible(hh[h], pp[p]), (hh[h], pp[p])
    best = exact_maximum(households, properties)
    assert len(result.pairs) == best
    assert result.upper_bound == best
    return result


@pytest.mark.rule("reciprocal.another-area")
@pytest.mark.parametrize("seed", range(40))
def test_as_many_safe_moves_as_a_maximum_matching(seed):
    """DESIGN target: "as many safe moves as a maximum matching" — never into the current
    area or an unsafe area, on bedroom size and accessibility."""
    rng = random.Random(seed)
    check(*random_instance(rng, rng.randint(1, 60), rng.randint(1, 60), exclusions=seed % 2 == 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(1, 40), st.integers(1, 40), st.integers(2, 4))
def test_maximum_on_tight_instances(seed, nh, np_, n_areas):
    """Few areas and many unsafe areas make augmenting paths necessary beyond the greedy pass."""
    rng = random.Random(seed)
    check(*random_instance(rng, nh, np_, AREAS[:n_areas], exclusions=seed % 3 == 0))


@pytest.mark.rule("reciprocal.another-area")
def test_never_the_current_area_or_an_unsafe_area():
    """Seed 002: the reciprocal moves a household "to another local authority area"."""
    households = [Household(key="H1", area="fenland", bedrooms=2, unsafe=frozenset({"peterborough"}))]
    properties = [
        Property(key="same-area", area="fenland", bedrooms=2),
        Property(key="unsafe", area="peterborough", bedrooms=2),
        Property(key="too-small", area="cambridge", bedrooms=1),
    ]
    assert match(households, properties).pairs == []
    properties.append(Property(key="ok", area="cambridge", bedrooms=2))
    assert match(households, properties).pairs == [("H1", "ok")]


def test_accessibility_needs_must_be_met():
    """A property is proposed only when it has every accessibility feature the household needs."""
    households = [Household(key="H1", area="fenland", bedrooms=1, needs=frozenset({"wheelchair"}))]
    properties = [
        Property(key="stairs", area="cambridge", bedrooms=1),
        Property(key="level", area="cambridge", bedrooms=1, features=frozenset({"wheelchair", "step_free"})),
    ]
    assert match(households, properties).pairs == [("H1", "level")]


def test_longest_waiting_household_is_preferred_when_only_one_can_move():
    """As required: "Maximising the number of safe moves and then waiting time"."""
    households = [
        Household(key="new", area="fenland", bedrooms=1, waiting_since=200.0),
        Household(key="old", area="fenland", bedrooms=1, waiting_since=100.0),
    ]
    properties = [Property(key="P", area="cambridge", bedrooms=1)]
    assert match(households, properties).pairs == [("old", "P")]


def test_preferred_area_is_used_when_it_costs_no_move():
    """Preferred areas are honoured when that does not cost a safe move."""
    households = [Household(key="H", area="fenland", bedrooms=1, preferred=frozenset({"peterborough"}))]
    properties = [Property(key="C", area="cambridge", bedrooms=1), Property(key="PB", area="peterborough", bedrooms=1)]
    assert match(households, properties).pairs == [("H", "PB")]


def test_greedy_choice_is_repaired_by_augmenting():
    """The oldest household could take either property; the next can use only one of them."""
    households = [
        Household(key="A", area="fenland", bedrooms=1, waiting_since=1, preferred=frozenset({"cambridge"})),
        Household(key="B", area="fenland", bedrooms=1, waiting_since=2, unsafe=frozenset({"peterborough"})),
    ]
    properties = [Property(key="C", area="cambridge", bedrooms=1), Property(key="PB", area="peterborough", bedrooms=1)]
    assert sorted(match(households, properties).pairs) == [("A", "PB"), ("B", "C")]


def test_a_refused_property_is_not_proposed_again():
    """A refusal (reason recorded) is final for that household and property, not for others."""
    households = [
        Household(key="H", area="fenland", bedrooms=1, excluded=frozenset({"P1"})),
        Household(key="G", area="fenland", bedrooms=1, waiting_since=5),
    ]
    properties = [Property(key="P1", area="cambridge", bedrooms=1), Property(key="P2", area="cambridge", bedrooms=1)]
    assert sorted(match(households, properties).pairs) == [("G", "P1"), ("H", "P2")]
    assert match(households[:1], properties[:1]).pairs == []


def test_benchmark_script_runs_and_matches_the_baseline(capsys):
    """``bench/reciprocal_matching.py`` on a small instance: the matcher equals the exact baseline."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "bench" / "reciprocal_matching.py"
    spec = importlib.util.spec_from_file_location("reciprocal_matching_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--households", "800", "--properties", "700", "--areas", "7"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "maximum matching" in out


def _matchable(households, properties) -> bool:
    return exact_maximum(households, properties) == len(households)


@pytest.mark.parametrize("seed", range(25))
def test_matched_households_are_the_longest_waiting_possible(seed):
    """As required: "Maximising the number of safe moves and then waiting time": the matched set equals the
    matroid-greedy set — oldest first, each kept if the older ones plus it can all move."""
    rng = random.Random(1000 + seed)
    households, properties = random_instance(rng, rng.randint(1, 30), rng.randint(1, 30), AREAS[: rng.randint(2, 4)])
    chosen: list[Household] = []
    for h in sorted(households, key=lambda h: (h.waiting_since, h.key)):
        if _matchable(chosen + [h], properties):
            chosen.append(h)
    result = match(households, properties)
    assert {h for h, _ in result.pairs} == {h.key for h in chosen}


@pytest.mark.parametrize("seed", range(30))
def test_maximum_when_most_properties_were_refused_by_someone(seed):
    """Refusals are per pair: they must not cost a move. Dense refusals over few areas make
    nearly every property refused by some household, so almost every class is a group of a
    pool and refused units — checked against the independent exact matching."""
    rng = random.Random(5000 + seed)
    areas = AREAS[: rng.randint(2, 4)]
    np_ = rng.randint(5, 40)
    households, properties = random_instance(rng, rng.randint(5, 50), np_, areas)
    households = [
        Household(
            key=h.key,
            area=h.area,
            bedrooms=h.bedrooms,
            needs=h.needs,
            unsafe=h.unsafe & set(areas[:1]),
            preferred=h.preferred,
            waiting_since=h.waiting_since,
            excluded=frozenset(f"P{rng.randrange(np_)}" for _ in range(rng.randint(0, 6))),
        )
        for h in households
    ]
    check(households, properties)


@pytest.mark.parametrize("seed", range(15))
def test_longest_waiting_possible_with_refusals(seed):
    """With refusals too, the matched set is the matroid-greedy set (oldest first)."""
    rng = random.Random(7000 + seed)
    households, properties = random_instance(
        rng, rng.randint(1, 25), rng.randint(1, 25), AREAS[: rng.randint(2, 3)], exclusions=True
    )
    chosen: list[Household] = []
    for h in sorted(households, key=lambda h: (h.waiting_since, h.key)):
        if _matchable(chosen + [h], properties):
            chosen.append(h)
    assert {h for h, _ in match(households, properties).pairs} == {h.key for h in chosen}
