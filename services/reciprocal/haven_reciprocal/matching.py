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

1. a greedy pass in waiting order (oldest first, preferring the household's preferred
   areas, else the property class with most room) gives a large initial flow;
2. Dinic's algorithm on the class network augments it to a maximum. Augmenting paths
   start at the source, so a household class never loses a match it had, and the
   longest-waiting households the greedy pass placed stay placed;
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

    _greedy(households, hh_class, hadj, ep, pkeys, cap, flow, hflow, pflow)
    lh, lp = _dinic(nh, np_, supply, cap, hadj, padj, ep, eh, flow, hflow, pflow)
    bound = sum(supply[h] for h in range(nh) if lh[h] < 0) + sum(cap[p] for p in range(np_) if lp[p] >= 0)

    pairs = _assign(hmembers, hadj, ep, pkeys, pmembers, flow, hflow)
    return MatchResult(pairs=pairs, upper_bound=bound, household_classes=nh, property_classes=np_)


def _greedy(households, hh_class, hadj, ep, pkeys, cap, flow, hflow, pflow) -> None:
    """Initial flow: oldest households first, preferred areas first, else the roomiest class."""
    order = sorted(range(len(households)), key=lambda n: (households[n].waiting_since, households[n].key))
    for n in order:
        h = hh_class[n]
        if h < 0:
            continue
        preferred = households[n].preferred
        best_e, best_room, best_pref = -1, 0, False
        for e in hadj[h]:
            p = ep[e]
            room = cap[p] - pflow[p]
            if room <= 0:
                continue
            pref = pkeys[p][1] in preferred
            if (pref and not best_pref) or (pref == best_pref and room > best_room):
                best_e, best_room, best_pref = e, room, pref
        if best_e >= 0:
            flow[best_e] += 1
            hflow[h] += 1
            pflow[ep[best_e]] += 1


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
