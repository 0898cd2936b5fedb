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
matcher never builds it. Households with the same bedroom size, needs, set of *allowed*
areas and refusals are interchangeable, as are properties with the same size, area and
features; the problem becomes a flow problem between these compatibility classes (a few
hundred property classes, at most one household class per household), solved exactly.

Refusals are exclusions of single pairs, so they must not split the property classes
(every refusal would otherwise make a class of its own, and every refusing household
would be joined to each of them: millions of edges at 10k × 10k). Instead the members of
a property class are the leaves of a small balanced tree: its unrefused members form one
pool, each refused member is a leaf of its own, and every tree node reaches the leaves
below it. A household that refused nothing in the class joins the root; one that refused
a member joins the siblings along that member's path to the root — about log2 of the
class's size edges per refusal, and only in the classes where it refused something.
Above the classes, one group per (size, needs, area) reaches the classes of that area
meeting those needs, so a household joins one node per area it may move to; households
joining the same nodes form one household class.

1. households are taken in waiting order (oldest first): each is placed directly when a
   compatible class has room (its preferred areas first, else the roomiest), otherwise
   along an augmenting path from its class, or skipped when none exists. Matchable sets
   of households form a (transversal) matroid, so this greedy order gives a *maximum*
   matching whose matched households are lexicographically the longest-waiting; a failed
   search proves a whole Hall-tight region dead for good, which keeps the number of
   searches small;
2. the final residual network yields a minimum cut whose capacity is an upper bound on
   *any* matching — equal to the flow, so each result carries its own optimality
   certificate (:attr:`MatchResult.upper_bound`);
3. within each class the oldest households take the matched places, on properties in
   their preferred areas where the flow allows, earliest-available properties first.

Pure Python, no I/O: the service and ``bench/reciprocal_matching.py`` both call
:func:`match`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field


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


# Node kinds of the class network. Capacities sit only at the ends: a household class can
# send as many units as it has members, a property unit (pool or refused member) can take
# as many as it holds; every node in between (a group) only passes flow on and every edge is
# uncapacitated, so its residual capacity backwards is exactly the flow it carries.
_HOUSEHOLDS, _GROUP, _UNIT = 0, 1, 2


class _Network:
    """The class network and its flow: household classes -> groups -> property units."""

    def __init__(self) -> None:
        self.kind: list[int] = []
        self.area: list[str] = []
        self.size: list[int] = []  # members of a household class, properties of a unit
        self.used: list[int] = []  # flow through the node (matched members / taken properties)
        self.room: list[int] = []  # free properties at a unit or below a group (kept up to date)
        self.above: list[list[int]] = []  # every group a unit lies below
        self.out: list[list[int]] = []  # edge ids leaving the node
        self.carrying: list[dict[int, None]] = []  # edge ids entering the node with flow > 0
        self.tail: list[int] = []
        self.head: list[int] = []
        self.flow: list[int] = []

    def node(self, kind: int, area: str = "", size: int = 0) -> int:
        self.kind.append(kind)
        self.area.append(area)
        self.size.append(size)
        self.used.append(0)
        self.room.append(size if kind == _UNIT else 0)
        self.above.append([])
        self.out.append([])
        self.carrying.append({})
        return len(self.kind) - 1

    def edges(self, u: int, targets: list[int]) -> None:
        first = len(self.head)
        self.out[u].extend(range(first, first + len(targets)))
        self.tail.extend([u] * len(targets))
        self.head.extend(targets)
        self.flow.extend([0] * len(targets))

    def count_room(self) -> None:
        """Fill in each unit's groups and each group's room (once the network is built)."""
        below: dict[int, list[int]] = {}  # group -> the groups with an edge into it
        for v, kind in enumerate(self.kind):
            if kind == _GROUP:
                for e in self.out[v]:
                    below.setdefault(self.head[e], []).append(v)
        for u, kind in enumerate(self.kind):
            if kind != _UNIT:
                continue
            seen: dict[int, None] = {}
            stack = list(below.get(u, ()))
            while stack:
                g = stack.pop()
                if g not in seen:
                    seen[g] = None
                    stack.extend(below.get(g, ()))
            self.above[u] = list(seen)
            for g in seen:
                self.room[g] += self.room[u]

    def push(self, e: int, amount: int = 1) -> None:
        self.flow[e] += amount
        if self.flow[e]:
            self.carrying[self.head[e]][e] = None
        else:
            del self.carrying[self.head[e]][e]

    def take(self, unit: int) -> None:
        self.used[unit] += 1
        self.room[unit] -= 1
        for g in self.above[unit]:
            self.room[g] -= 1

    def place_directly(self, h: int, preferred: frozenset[str]) -> bool:
        """One more member of ``h`` onto a neighbour with room (preferred area, then roomiest)."""
        best_e, best_room, best_pref = -1, 0, False
        head, rooms, area = self.head, self.room, self.area
        for e in self.out[h]:
            v = head[e]
            room = rooms[v]
            if room <= 0:
                continue
            pref = area[v] in preferred
            if (pref and not best_pref) or (pref == best_pref and room > best_room):
                best_e, best_room, best_pref = e, room, pref
        if best_e < 0:
            return False
        self.push(best_e)
        v = head[best_e]
        while self.kind[v] != _UNIT:  # down through the groups to a unit with room
            e2 = next(e2 for e2 in self.out[v] if rooms[head[e2]] > 0)
            self.push(e2)
            v = head[e2]
        self.take(v)
        self.used[h] += 1
        return True

    def reach(self, sources: list[int], closed: list[bool] | None = None, stop_at_room: bool = False):
        """Breadth-first search of the residual network from ``sources``: forward along any
        edge, backwards along an edge carrying flow. Returns (reached nodes, a unit with room
        or -1, {node: edge it was reached by})."""
        via: dict[int, int] = dict.fromkeys(sources, -1)
        queue = deque(sources)
        order = list(sources)
        head, tail, kind = self.head, self.tail, self.kind
        while queue:
            u = queue.popleft()
            for e in self.out[u]:
                v = head[e]
                if v in via or (closed is not None and closed[v]):
                    continue
                via[v] = e
                order.append(v)
                if stop_at_room and kind[v] == _UNIT and self.room[v] > 0:
                    return order, v, via
                queue.append(v)
            for e in self.carrying[u]:
                v = tail[e]
                if v in via or (closed is not None and closed[v]):
                    continue
                via[v] = e
                order.append(v)
                queue.append(v)
        return order, -1, via

    def augment(self, h0: int, unit: int, via: dict[int, int]) -> None:
        """Shift one unit along the path found by :meth:`reach` from ``h0`` to ``unit``."""
        v = unit
        while v != h0:
            e = via[v]
            if self.head[e] == v:  # reached forwards along e
                self.push(e)
                v = self.tail[e]
            else:  # reached backwards: cancel one unit of e
                self.push(e, -1)
                v = self.head[e]
        self.take(unit)
        self.used[h0] += 1


class _PropertyClass:
    """Properties of one size, area and set of features: one unit for the unrefused pool and
    one per refused member, the leaves of a balanced tree of groups, so that "every member
    but the ones this household refused" is a few tree nodes (about log2 of the class's size
    per refusal) rather than an edge per member."""

    __slots__ = ("area", "bedrooms", "features", "leaves", "position", "root", "span")

    def __init__(
        self, net: _Network, key: tuple[int, str, frozenset[str]], props: list[Property], refused: set[str]
    ) -> None:
        self.bedrooms, self.area, self.features = key
        area = self.area
        rest = [p for p in props if p.key not in refused]
        singles = [p for p in props if p.key in refused]
        self.leaves = [(net.node(_UNIT, area, len(g)), g) for g in ([rest] if rest else []) + [[p] for p in singles]]
        self.position = {p.key: i for i, p in enumerate(singles, start=1 if rest else 0)}
        self.span: dict[tuple[int, int], int] = {}  # (first, end) leaf -> the node over them
        self.root = self._build(net, area, 0, len(self.leaves))

    def _build(self, net: _Network, area: str, lo: int, hi: int) -> int:
        if hi - lo == 1:
            node = self.leaves[lo][0]
        else:
            mid = (lo + hi) // 2
            node = net.node(_GROUP, area)
            net.edges(node, [self._build(net, area, lo, mid), self._build(net, area, mid, hi)])
        self.span[(lo, hi)] = node
        return node

    def cover(self, refused_keys: list[str]) -> list[int]:
        """The fewest tree nodes below which lie exactly the members not in ``refused_keys``:
        for one refused member, the siblings along its path from the root."""
        skip = sorted(self.position[k] for k in refused_keys)
        found: list[int] = []
        if len(skip) == 1:
            i, lo, hi = skip[0], 0, len(self.leaves)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if i < mid:
                    found.append(self.span[(mid, hi)])
                    hi = mid
                else:
                    found.append(self.span[(lo, mid)])
                    lo = mid
            return found

        def walk(lo: int, hi: int) -> None:
            if not any(lo <= i < hi for i in skip):
                found.append(self.span[(lo, hi)])
            elif hi - lo > 1:
                mid = (lo + hi) // 2
                walk(lo, mid)
                walk(mid, hi)

        walk(0, len(self.leaves))
        return found


def match(households: list[Household], properties: list[Property]) -> MatchResult:
    """A maximum set of safe moves, oldest households first (see the module docstring)."""
    net = _Network()
    refused = set().union(*(h.excluded for h in households)) if households else set()

    # -- property classes, and per size the classes of each area --------------------------
    members: dict[tuple, list[Property]] = defaultdict(list)
    for prop in properties:
        members[(prop.bedrooms, prop.area, prop.features)].append(prop)
    pclasses: list[_PropertyClass] = []
    class_of: dict[str, int] = {}  # property key -> class
    in_area: dict[tuple[int, str], list[int]] = defaultdict(list)  # (size, area) -> classes
    areas_of_size: dict[int, list[str]] = defaultdict(list)  # in a fixed order: ties break the same each run
    for (beds, area, features), props in members.items():
        c = len(pclasses)
        pclasses.append(_PropertyClass(net, (beds, area, features), props, refused))
        class_of.update((p.key, c) for p in props)
        if not in_area[(beds, area)]:
            areas_of_size[beds].append(area)
        in_area[(beds, area)].append(c)

    # -- per (size, needs): for each area, a group over the classes meeting the needs there --
    by_needs: dict[tuple, list[tuple[str, int, list[int]]]] = {}  # -> [(area, entry node, classes)]

    def entries(beds: int, needs: frozenset[str]) -> list[tuple[str, int, list[int]]]:
        found = by_needs.get((beds, needs))
        if found is None:
            found = by_needs[(beds, needs)] = []
            for area in areas_of_size.get(beds, ()):
                fit = [c for c in in_area[(beds, area)] if needs <= pclasses[c].features]
                if len(fit) == 1:
                    found.append((area, pclasses[fit[0]].root, fit))
                elif fit:
                    group = net.node(_GROUP, area)
                    net.edges(group, [pclasses[c].root for c in fit])
                    found.append((area, group, fit))
        return found

    # -- household classes: households with the same targets (only those with at least one) --
    hclass_of: dict[tuple[int, ...], int] = {}
    hmembers: dict[int, list[Household]] = {}
    hh_class = [-1] * len(households)
    for n, hh in enumerate(households):
        beds, needs, home, unsafe = hh.bedrooms, hh.needs, hh.area, hh.unsafe
        refused_in: dict[int, list[str]] = {}
        for key in hh.excluded:
            c = class_of.get(key, -1)
            if c >= 0:
                pc = pclasses[c]
                if pc.bedrooms == beds and pc.area != home and pc.area not in unsafe and needs <= pc.features:
                    refused_in.setdefault(c, []).append(key)
        if not refused_in:
            targets = [entry for area, entry, _ in entries(beds, needs) if area != home and area not in unsafe]
        else:
            refused_areas = {pclasses[c].area for c in refused_in}
            targets = []
            for area, entry, fit in entries(beds, needs):
                if area == home or area in unsafe:
                    continue
                if area not in refused_areas:
                    targets.append(entry)
                    continue
                for c in fit:
                    targets.extend(pclasses[c].cover(refused_in[c]) if c in refused_in else [pclasses[c].root])
        if not targets:
            continue
        k = tuple(targets)
        h = hclass_of.get(k)
        if h is None:
            h = hclass_of[k] = net.node(_HOUSEHOLDS, home)
            net.edges(h, targets)
            hmembers[h] = []
        hmembers[h].append(hh)
        net.size[h] += 1
        hh_class[n] = h

    net.count_room()
    _greedy(net, households, hh_class)
    short = [h for h in hmembers if net.used[h] < net.size[h]]
    reached, _, _ = net.reach(short)
    cut = set(reached)
    bound = sum(net.size[h] for h in hmembers if h not in cut) + sum(net.size[v] for v in cut if net.kind[v] == _UNIT)
    properties_at = {u: props for pc in pclasses for u, props in pc.leaves}
    pairs = _assign(net, hmembers, properties_at)
    return MatchResult(
        pairs=pairs, upper_bound=bound, household_classes=len(hmembers), property_classes=len(properties_at)
    )


def _greedy(net: _Network, households: list[Household], hh_class: list[int]) -> None:
    """Matroid greedy in waiting order: each household, oldest first, is matched if any
    maximum matching of the households before it can be extended to it.

    Directly when a compatible class has room (preferred areas first, else the roomiest),
    otherwise along an augmenting path from its class. Matchable household sets form a
    (transversal) matroid, so this greedy order yields a maximum matching whose matched
    households are lexicographically the longest-waiting. When no path exists, the region
    the search reached is closed under residual edges and every unit in it is full: no
    later augmenting path can end in it or pass through it, so its household classes are
    dead for good and later searches skip all of its nodes.
    """
    closed = [False] * len(net.kind)
    order = sorted(range(len(households)), key=lambda n: (households[n].waiting_since, households[n].key))
    for n in order:
        h0 = hh_class[n]
        if h0 < 0 or closed[h0]:
            continue
        if net.place_directly(h0, households[n].preferred):
            continue
        reached, unit, via = net.reach([h0], closed, stop_at_room=True)
        if unit < 0:
            for v in reached:
                closed[v] = True
            continue
        net.augment(h0, unit, via)


def _assign(
    net: _Network, hmembers: dict[int, list[Household]], properties_at: dict[int, list[Property]]
) -> list[tuple[str, str]]:
    """Turn class flows into pairs: oldest households, preferred areas, earliest properties."""
    queues = {u: deque(sorted(props, key=lambda p: (p.available_from, p.key))) for u, props in properties_at.items()}
    group_queue: dict[int, deque[Property]] = {}

    def next_property(v: int) -> Property:
        if net.kind[v] == _UNIT:
            return queues[v].popleft()
        if v not in group_queue:  # what flows through the group, earliest first
            taken = [next_property(net.head[e]) for e in net.out[v] for _ in range(net.flow[e])]
            group_queue[v] = deque(sorted(taken, key=lambda p: (p.available_from, p.key)))
        return group_queue[v].popleft()

    pairs: list[tuple[Household, Property]] = []
    for h, members in hmembers.items():
        k = net.used[h]
        if not k:
            continue
        members.sort(key=lambda hh: (hh.waiting_since, hh.key))
        left = {e: net.flow[e] for e in net.out[h] if net.flow[e] > 0}
        for hh in members[:k]:
            chosen = next((e for e in left if net.area[net.head[e]] in hh.preferred), None)
            if chosen is None:
                chosen = next(iter(left))
            left[chosen] -= 1
            if not left[chosen]:
                del left[chosen]
            pairs.append((hh, next_property(net.head[chosen])))
    pairs.sort(key=lambda hp: (hp[0].waiting_since, hp[0].key))
    return [(hh.key, prop.key) for hh, prop in pairs]
