"""The matcher: which household for which offered property (seed ``002_c1c7b199d9a53274.txt``).

The reciprocal "allows tenants ... to move to another local authority area and keep a
social tenancy", and the referring partner "owes an equal size property". So a household
may be proposed for a property only when the property is

* in a different local-authority area from the household's current home,
* not in an area recorded as unsafe for that household,
* of exactly the bedroom size the household needs (the owed property is "equal size"),
* offers every accessibility feature the household needs, and
* is not one the household already refused, or whose partner declined it for them.

Goal: the largest number of safe moves, then the longest-waiting households first.

A bipartite graph of 10,000 households × 10,000 properties can hold 10^8 edges, so the
matcher never builds it. Households with the same bedroom size, needs and set of
*allowed* areas are interchangeable, as are properties with the same size, area and
features; the problem becomes a transportation problem between these compatibility
classes (a few hundred property classes, at most one household class per household),
solved exactly as a maximum flow:

1. households are taken in waiting order (oldest first): each is placed directly when a
   compatible property class has room (its preferred areas first, else the roomiest),
   otherwise along an augmenting path from its class, or skipped when none exists.
   Matchable sets of households form a (transversal) matroid, so this greedy order gives
   a *maximum* matching whose matched households are lexicographically the
   longest-waiting; a failed search proves a whole Hall-tight region dead for good, which
   keeps the number of searches small;
2. Dinic's algorithm on the class network then confirms no augmenting path is left;
3. the final residual network yields a minimum cut whose capacity is an upper bound on
   *any* matching — equal to the flow, so each result carries its own optimality
   certificate (:attr:`MatchResult.upper_bound`);
4. within each class the oldest households take the matched places, on properties in
   their preferred areas where the flow allows, earliest-available properties first.

Pure Python, no I/O: the service and ``bench/reciprocal_matching.py`` both call
:func:`match`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Hashable


@dataclass(frozen=True, slots=True)
class Household:
    key: str
    area: str
    bedrooms: int
    needs: frozenset[str] = frozenset()
    unsafe: frozenset[str] = frozenset()
    preferred: frozenset[str] = frozenset()
    waiting_since: float = 0.0
    """Any sortable number (e.g. a POSIX timestamp): smaller has waited longer."""
    excluded: frozenset[str] = frozenset()
    """Property keys never to propose again (already refused by or declined for it)."""


@dataclass(frozen=True, slots=True)
class Property:
    key: str
    area: str
    bedrooms: int
    features: frozenset[str] = frozenset()
    available_from: float = 0.0


@dataclass
class MatchResult:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    """(household key, property key), oldest household first."""
    upper_bound: int = 0
    """Capacity of a minimum cut: no matching of these households and properties is larger."""
    household_classes: int = 0
    property_classes: int = 0


def compatible(h: Household, p: Property) -> bool:
    """The safety and suitability rule for one pair (see the module docstring)."""
    return (
        p.area != h.area
        and p.area not in h.unsafe
        and p.bedrooms == h.bedrooms
        and h.needs <= p.features
        and p.key not in h.excluded
    )


def match(households: list[Household], properties: list[Property]) -> MatchResult:
    """A maximum set of safe moves, oldest households first (see the module docstring)."""
    # -- property classes ------------------------------------------------------------------
    # A property some household must not be offered again is a class of its own.
    singled = set().union(*(h.excluded for h in households)) if households else set()
    pclass_of: dict[tuple, int] = {}
    pmembers: list[list[Property]] = []
    for prop in properties:
        k = (prop.bedrooms, prop.area, prop.features, prop.key if prop.key in singled else None)
        idx = pclass_of.get(k)
        if idx is None:
            idx = pclass_of[k] = len(pmembers)
            pmembers.append([])
        pmembers[idx].append(prop)
    pkeys = list(pclass_of)
    cap = [len(m) for m in pmembers]
    areas_by_size: dict[int, set[str]] = defaultdict(set)
    by_size_area: dict[tuple[int, str], list[int]] = defaultdict(list)
    for idx, (beds, area, _features, _single) in enumerate(pkeys):
        areas_by_size[beds].add(area)
        by_size_area[(beds, area)].append(idx)

    # -- household classes (only households with at least one compatible class) -------------
    hclass_of: dict[Hashable, int] = {}
    hmembers: list[list[Household]] = []
    hadj: list[list[int]] = []  # edge ids
    ep: list[int] = []  # edge -> property class
    eh: list[int] = []  # edge -> household class
    hh_class = [-1] * len(households)
    for n, hh in enumerate(households):
        allowed = areas_by_size.get(hh.bedrooms, set()) - hh.unsafe - {hh.area}
        if not allowed:
            continue
        k = (hh.bedrooms, hh.needs, frozenset(allowed), hh.excluded)
        idx = hclass_of.get(k)
        if idx is None:
            edges = []
            h_id = len(hmembers)
            for area in allowed:
                for p in by_size_area[(hh.bedrooms, area)]:
                    if hh.needs <= pkeys[p][2] and pkeys[p][3] not in hh.excluded:
                        edges.append(len(ep))
                        ep.append(p)
                        eh.append(h_id)
            if not edges:
                hclass_of[k] = -1
                continue
            idx = hclass_of[k] = h_id
            hmembers.append([])
            hadj.append(edges)
        if idx >= 0:
            hmembers[idx].append(hh)
            hh_class[n] = idx
    for members in hmembers:
        members.sort(key=lambda h: (h.waiting_since, h.key))

    nh, np_ = len(hmembers), len(pmembers)
    supply = [len(m) for m in hmembers]
    flow = [0] * len(ep)
    hflow = [0] * nh
    pflow = [0] * np_
    padj: list[list[int]] = [[] for _ in range(np_)]
    for e, p in enumerate(ep):
        padj[p].append(e)

    _greedy(households, hh_class, hadj, padj, ep, eh, pkeys, cap, flow, hflow, pflow)
    lh, lp = _dinic(nh, np_, supply, cap, hadj, padj, ep, eh, flow, hflow, pflow)
    bound = sum(supply[h] for h in range(nh) if lh[h] < 0) + sum(cap[p] for p in range(np_) if lp[p] >= 0)

    pairs = _assign(hmembers, hadj, ep, pkeys, pmembers, flow, hflow)
    return MatchResult(pairs=pairs, upper_bound=bound, household_classes=nh, property_classes=np_)


def _greedy(households, hh_class, hadj, padj, ep, eh, pkeys, cap, flow, hflow, pflow) -> None:
    """Matroid greedy in waiting order: each household, oldest first, is matched if any
    maximum matching of the households before it can be extended to it.

    Directly when a compatible class has room (preferred areas first, else the roomiest),
    otherwise along an augmenting path from its class. Matchable household sets form a
    (transversal) matroid, so this greedy order yields a maximum matching whose matched
    households are lexicographically the longest-waiting. When no path exists, every
    household class the search reached is dead for good (its next member is in the closure
    of those already matched), so later members of those classes are skipped. The property
    classes it reached are full and fed only by those dead classes, so no augmenting path
    can ever pass through them again: later searches skip them.
    """
    nh, np_ = len(hadj), len(cap)
    dead = [False] * nh
    closed = [False] * np_
    seen_h = [0] * nh
    seen_p = [0] * np_
    via_p = [0] * np_  # edge by which a P class was reached (forward h -> p)
    via_h = [0] * nh  # edge by which an H class was reached (reverse of h -> p with flow)
    stamp = 0
    # edges carrying flow into each property class: the only ways back to a household class
    carrying: list[dict[int, None]] = [{} for _ in range(np_)]
    order = sorted(range(len(households)), key=lambda n: (households[n].waiting_since, households[n].key))
    for n in order:
        h0 = hh_class[n]
        if h0 < 0 or dead[h0]:
            continue
        preferred = households[n].preferred
        best_e, best_room, best_pref = -1, 0, False
        for e in hadj[h0]:
            p = ep[e]
            room = cap[p] - pflow[p]
            if room <= 0:
                continue
            pref = pkeys[p][1] in preferred
            if (pref and not best_pref) or (pref == best_pref and room > best_room):
                best_e, best_room, best_pref = e, room, pref
        if best_e >= 0:
            flow[best_e] += 1
            hflow[h0] += 1
            pflow[ep[best_e]] += 1
            carrying[ep[best_e]][best_e] = None
            continue
        stamp += 1
        seen_h[h0] = stamp
        queue = deque([h0])
        reached = [h0]
        reached_p: list[int] = []
        found = -1
        while queue and found < 0:
            h = queue.popleft()
            for e in hadj[h]:
                p = ep[e]
                if seen_p[p] == stamp or closed[p]:
                    continue
                seen_p[p] = stamp
                via_p[p] = e
                reached_p.append(p)
                if pflow[p] < cap[p]:
                    found = p
                    break
                for e2 in carrying[p]:
                    h2 = eh[e2]
                    if seen_h[h2] != stamp:
                        seen_h[h2] = stamp
                        via_h[h2] = e2
                        queue.append(h2)
                        reached.append(h2)
        if found < 0:
            for h in reached:
                dead[h] = True
            for p in reached_p:
                closed[p] = True
            continue
        p = found
        pflow[p] += 1
        hflow[h0] += 1
        while True:
            e = via_p[p]
            flow[e] += 1
            carrying[p][e] = None
            h = eh[e]
            if h == h0:
                break
            e2 = via_h[h]
            flow[e2] -= 1
            p = ep[e2]
            if not flow[e2]:
                del carrying[p][e2]


def _dinic(nh, np_, supply, cap, hadj, padj, ep, eh, flow, hflow, pflow):
    """Augment to a maximum flow; returns the final BFS levels (reachable = level >= 0)."""
    while True:
        lh = [-1] * nh
        lp = [-1] * np_
        queue: deque[int] = deque()
        for h in range(nh):
            if hflow[h] < supply[h]:
                lh[h] = 0
                queue.append(h)
        found = False
        # queue holds H nodes as h and P nodes as ~p (negative)
        while queue:
            u = queue.popleft()
            if u >= 0:
                nxt = lh[u] + 1
                for e in hadj[u]:
                    p = ep[e]
                    if lp[p] < 0:
                        lp[p] = nxt
                        if pflow[p] < cap[p]:
                            found = True
                        elif not found:
                            queue.append(~p)
            else:
                p = ~u
                nxt = lp[p] + 1
                for e in padj[p]:
                    if flow[e] > 0:
                        h = eh[e]
                        if lh[h] < 0:
                            lh[h] = nxt
                            queue.append(h)
        if not found:
            return lh, lp
        _blocking_flow(nh, supply, cap, hadj, padj, ep, eh, flow, hflow, pflow, lh, lp)


def _blocking_flow(nh, supply, cap, hadj, padj, ep, eh, flow, hflow, pflow, lh, lp) -> None:
    ptr_h = [0] * nh
    ptr_p = [0] * len(lp)
    for h0 in range(nh):
        if lh[h0] != 0:
            continue
        nodes = [h0]  # H nodes as h, P nodes as ~p
        path: list[int] = []  # edges; even positions forward (h->p), odd reverse (p->h)
        while nodes and hflow[h0] < supply[h0]:
            u = nodes[-1]
            if u >= 0:
                adj, i, want, nxt = hadj[u], ptr_h[u], lh[u] + 1, -1
                while i < len(adj):
                    p = ep[adj[i]]
                    if lp[p] == want:
                        nxt = p
                        break
                    i += 1
                ptr_h[u] = i
                if nxt < 0:
                    lh[u] = -2  # dead end this phase
                    nodes.pop()
                    if path:
                        path.pop()
                        ptr_p[~nodes[-1]] += 1
                    continue
                path.append(adj[i])
                nodes.append(~nxt)
                continue
            p = ~u
            if pflow[p] < cap[p]:
                b = min(supply[h0] - hflow[h0], cap[p] - pflow[p])
                for k in range(1, len(path), 2):
                    b = min(b, flow[path[k]])
                hflow[h0] += b
                pflow[p] += b
                for k, e in enumerate(path):
                    flow[e] += -b if k & 1 else b
                nodes, path = [h0], []
                continue
            adj, i, want, nxt = padj[p], ptr_p[p], lp[p] + 1, -1
            while i < len(adj):
                e = adj[i]
                if flow[e] > 0 and lh[eh[e]] == want:
                    nxt = eh[e]
                    break
                i += 1
            ptr_p[p] = i
            if nxt < 0:
                lp[p] = -2
                nodes.pop()
                path.pop()
                ptr_h[nodes[-1]] += 1
                continue
            path.append(adj[i])
            nodes.append(nxt)


def _assign(hmembers, hadj, ep, pkeys, pmembers, flow, hflow) -> list[tuple[str, str]]:
    """Turn class flows into pairs: oldest households, preferred areas, earliest properties."""
    queues = [sorted(m, key=lambda p: (p.available_from, p.key)) for m in pmembers]
    heads = [0] * len(queues)
    pairs: list[tuple[Household, Property]] = []
    for h, members in enumerate(hmembers):
        k = hflow[h]
        if not k:
            continue
        left = {e: flow[e] for e in hadj[h] if flow[e] > 0}
        for hh in members[:k]:
            chosen = next((e for e in left if pkeys[ep[e]][1] in hh.preferred), None)
            if chosen is None:
                chosen = next(iter(left))
            left[chosen] -= 1
            if not left[chosen]:
                del left[chosen]
            p = ep[chosen]
            pairs.append((hh, queues[p][heads[p]]))
            heads[p] += 1
    pairs.sort(key=lambda hp: (hp[0].waiting_since, hp[0].key))
    return [(hh.key, prop.key) for hh, prop in pairs]
