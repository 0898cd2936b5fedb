"""Benchmark N6: reciprocal matching, 10,000 households x 10,000 properties with unsafe
areas and per-household refused properties (<= 2 s and a maximum matching).

Prints the matcher's time and number of matches against two baselines taken in the same run:

* the minimum-cut upper bound the matcher returns with its result (no matching of the
  instance can be larger: a certificate of optimality when it equals the matches);
* an exact maximum bipartite matching computed independently of the class-based
  matcher: Hopcroft-Karp over the explicit household x property graph (millions of
  edges at full size; its time is printed for comparison, not held to the budget).

Every household has refused up to ``--refusals`` properties of its own size (default 3,
about 1.5 on average: most properties end up refused by someone).

Usage: ``uv run python bench/reciprocal_matching.py [--households N] [--properties N] [--areas N] [--seed S]``
Exit status 1 when the matcher finds fewer matches than the baseline or exceeds ``--budget``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import deque
from dataclasses import replace

from haven_reciprocal.matching import Household, Property, compatible, match

FEATURES = [frozenset(), frozenset({"step_free"}), frozenset({"step_free", "wheelchair"})]


def instance(n_households: int, n_properties: int, n_areas: int, seed: int, refusals: int = 3):
    rng = random.Random(seed)
    areas = [f"area-{i:02d}" for i in range(n_areas)]
    households = [
        Household(
            key=f"H{i}",
            area=rng.choice(areas),
            bedrooms=rng.choices([1, 2, 3, 4], [35, 35, 22, 8])[0],
            needs=rng.choices(FEATURES[:2] + FEATURES[2:], [80, 14, 6])[0],
            unsafe=frozenset(rng.sample(areas, rng.randint(0, min(6, n_areas - 1)))),
            preferred=frozenset(rng.sample(areas, rng.randint(0, 3))),
            waiting_since=rng.uniform(0, 1_000_000),
        )
        for i in range(n_households)
    ]
    properties = [
        Property(
            key=f"P{j}",
            area=rng.choice(areas),
            bedrooms=rng.choices([1, 2, 3, 4], [38, 34, 20, 8])[0],
            features=rng.choices(FEATURES, [70, 20, 10])[0],
            available_from=rng.uniform(0, 100),
        )
        for j in range(n_properties)
    ]
    if refusals:
        same_size: dict[int, list[str]] = {}
        for p in properties:
            same_size.setdefault(p.bedrooms, []).append(p.key)
        households = [
            replace(
                h,
                excluded=frozenset(
                    rng.sample(
                        same_size.get(h.bedrooms, []), min(len(same_size.get(h.bedrooms, [])), rng.randint(0, refusals))
                    )
                ),
            )
            for h in households
        ]
    return households, properties


def _edges(households, properties):
    """Explicit compatible pairs, built per (size, area) bucket to stay tractable."""
    buckets: dict[tuple[int, str], list[int]] = {}
    for j, p in enumerate(properties):
        buckets.setdefault((p.bedrooms, p.area), []).append(j)
    areas = {p.area for p in properties}
    for i, h in enumerate(households):
        for area in areas - h.unsafe - {h.area}:
            for j in buckets.get((h.bedrooms, area), ()):
                if h.needs <= properties[j].features and properties[j].key not in h.excluded:
                    yield i, j


def hopcroft_karp(households, properties) -> int:
    adj: list[list[int]] = [[] for _ in households]
    for i, j in _edges(households, properties):
        adj[i].append(j)
    n = len(households)
    match_h, match_p = [-1] * n, [-1] * len(properties)
    INF = 1 << 30
    while True:
        dist = [INF] * n
        q = deque(i for i in range(n) if match_h[i] < 0)
        for i in q:
            dist[i] = 0
        reachable_free = False
        while q:
            i = q.popleft()
            for j in adj[i]:
                k = match_p[j]
                if k < 0:
                    reachable_free = True
                elif dist[k] == INF:
                    dist[k] = dist[i] + 1
                    q.append(k)
        if not reachable_free:
            return sum(1 for x in match_h if x >= 0)

        def dfs(i: int) -> bool:
            for j in adj[i]:
                k = match_p[j]
                if k < 0 or (dist[k] == dist[i] + 1 and dfs(k)):
                    match_h[i], match_p[j] = j, i
                    return True
            dist[i] = INF
            return False

        for i in range(n):
            if match_h[i] < 0:
                dfs(i)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=10_000)
    ap.add_argument("--properties", type=int, default=10_000)
    ap.add_argument("--areas", type=int, default=32, help="local-authority areas (Pan-London: 32)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--refusals", type=int, default=3, help="most properties one household has refused")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds allowed for the matcher")
    args = ap.parse_args(argv)
    sys.setrecursionlimit(100_000)

    households, properties = instance(args.households, args.properties, args.areas, args.seed, args.refusals)
    started = time.perf_counter()
    result = match(households, properties)
    elapsed = time.perf_counter() - started
    unsafe_total = sum(len(h.unsafe) for h in households)
    refused = sum(len(h.excluded) for h in households)
    print(
        f"households={len(households)} properties={len(properties)} areas={args.areas} unsafe-area "
        f"entries={unsafe_total} refusals={refused}"
    )
    print(f"classes: households={result.household_classes} properties={result.property_classes}")
    print(f"matcher: {elapsed:.3f} s, {len(result.pairs)} safe moves (budget {args.budget:.1f} s)")
    print(f"min-cut upper bound: {result.upper_bound}")
    ok = elapsed <= args.budget and len(result.pairs) == result.upper_bound

    t = time.perf_counter()
    exact = hopcroft_karp(households, properties)
    print(f"maximum matching (Hopcroft-Karp, explicit graph): {exact} in {time.perf_counter() - t:.3f} s")
    ok = ok and len(result.pairs) == exact
    for h, p in result.pairs[:1000]:
        assert compatible(households[int(h[1:])], properties[int(p[1:])])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
