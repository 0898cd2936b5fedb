"""Monitoring for the quarterly DV sub-group (``000_93a7cd5d2a8b6030.txt``, Monitoring).

"The DV sub-group will have responsibility for monitoring the effectiveness of the working
agreement." The report is computed from the service's own events (its outbox, which holds
every event it has published) and the events other organisations addressed to it
(:class:`JwaReceivedEvent`, kept by the ``jwa-monitoring`` consumer), each once by event id
and dated by when it was published, so two deployments' reports for a pair agree; for any date range, per borough pair
``from_org → to_org``: notifications, acknowledgements, information requests, response times (median and 90th
percentile, in minutes), breaches, one-night bookings, disputes raised and escalated; and
options offered by type and outcomes (options chosen / refused by type, cases closed by
outcome) for the cases borough B opened for clients who came from borough A; and per
organisation: options offered, outcomes and safeguarding overrides for all its cases.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from haven_contracts.events.options import CaseOpened, TemporaryAccommodationBooked
from haven_contracts.messages import Envelope, Event, decode_event, encode
from haven_contracts.subjects import event_filter
from haven_options.tables import JwaReceivedEvent
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

PAIR_COUNTS = (
    "notifications",
    "acknowledgements",
    "information_requests",
    "information_provided",
    "breaches",
    "one_night_bookings",
    "disputes_raised",
    "disputes_escalated",
)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


async def events_between(ctx: ServiceContext, start: datetime, end: datetime) -> tuple[list[Any], dict[str, str]]:
    """The options events in ``[start, end)``, and which borough each cross-borough case came
    from (from every ``case-opened`` event, whenever it was opened)."""
    outbox = ctx.store.tables.outbox
    rows = await outbox.select(outbox.event_id, outbox.type, outbox.payload, outbox.created_at).order_by(outbox.seq)
    sent = {row["event_id"] for row in rows}
    received = await JwaReceivedEvent.select().order_by(JwaReceivedEvent.created_at)
    rows += [row for row in received if row["event_id"] not in sent]
    found: list[Any] = []
    came_from: dict[str, str] = {}
    for row in rows:
        if not row["type"].startswith("haven.options."):
            continue
        opened = row["type"] == "haven.options.case-opened.v1"
        if not opened and not (start <= row["created_at"] < end):
            continue
        try:
            event = decode_event(row["type"], bytes(row["payload"]))
        except Exception:  # noqa: BLE001 - an event of a newer version this build cannot read
            continue
        if opened and isinstance(event, CaseOpened) and event.from_org:
            came_from[event.case_ref] = event.from_org
        if start <= row["created_at"] < end:
            found.append(event)
    return found, came_from


def _pair(event: Any, *, reverse: bool = False) -> tuple[str, str]:
    return (event.to_org, event.org) if reverse else (event.org, event.to_org)


async def report(ctx: ServiceContext, start: datetime, end: datetime, orgs: set[str] | None = None) -> dict[str, Any]:
    """The sub-group report; ``orgs`` limits it to pairs and organisations involving them."""
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    response_minutes: dict[tuple[str, str], list[float]] = defaultdict(list)
    offered: dict[str, Counter] = defaultdict(Counter)
    outcomes: dict[str, Counter] = defaultdict(Counter)
    overrides: Counter = Counter()
    pair_offered: dict[tuple[str, str], Counter] = defaultdict(Counter)
    pair_outcomes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    events, came_from = await events_between(ctx, start, end)
    for ev in events:
        source = came_from.get(getattr(ev, "case_ref", ""))
        name = ev.name
        if name == "move-notified":
            pairs[_pair(ev)]["notifications"] += 1
        elif name == "move-acknowledged":
            pairs[_pair(ev, reverse=True)]["acknowledgements"] += 1
        elif name == "information-requested":
            pairs[_pair(ev, reverse=True)]["information_requests"] += 1
        elif name == "information-provided":
            pairs[_pair(ev)]["information_provided"] += 1
            response_minutes[_pair(ev)].append((ev.provided_at - ev.requested_at).total_seconds() / 60)
        elif name == "information-overdue":
            pairs[_pair(ev)]["breaches"] += 1
        elif name == "temporary-accommodation-booked" and ev.from_org and not ev.extended:
            pairs[(ev.from_org, ev.org)]["one_night_bookings"] += 1
        elif name == "dispute-raised":
            pairs[_pair(ev)]["disputes_raised"] += 1
        elif name == "dispute-escalated":
            pairs[_pair(ev)]["disputes_escalated"] += 1
        elif name == "options-offered":
            offered[ev.org].update(ev.kinds)
            if source:
                pair_offered[(source, ev.org)].update(ev.kinds)
        elif name == "option-decided":
            outcomes[ev.org][f"{ev.kind}:{ev.decision}"] += 1
            if source:
                pair_outcomes[(source, ev.org)][f"{ev.kind}:{ev.decision}"] += 1
        elif name == "case-closed":
            outcomes[ev.org][f"case_closed:{ev.outcome or 'unspecified'}"] += 1
            if source:
                pair_outcomes[(source, ev.org)][f"case_closed:{ev.outcome or 'unspecified'}"] += 1
        elif name == "safeguarding-override-recorded":
            overrides[ev.org] += 1

    def wanted(*names: str) -> bool:
        return orgs is None or any(n in orgs for n in names)

    pair_rows = []
    for a, b in sorted(set(pairs) | set(pair_offered) | set(pair_outcomes)):
        if not wanted(a, b):
            continue
        times = response_minutes.get((a, b), [])
        pair_rows.append(
            {
                "from_org": a,
                "to_org": b,
                **{k: pairs[(a, b)][k] for k in PAIR_COUNTS},
                "response_minutes_median": median(times),
                "response_minutes_p90": percentile(times, 90),
                "options_offered": dict(sorted(pair_offered[(a, b)].items())),
                "outcomes": dict(sorted(pair_outcomes[(a, b)].items())),
            }
        )
    org_rows = [
        {
            "org": org,
            "options_offered": dict(sorted(offered[org].items())),
            "outcomes": dict(sorted(outcomes[org].items())),
            "safeguarding_overrides": overrides[org],
        }
        for org in sorted(set(offered) | set(outcomes) | set(overrides))
        if wanted(org)
    ]
    return {"from": start.isoformat(), "to": end.isoformat(), "pairs": pair_rows, "organisations": org_rows}


#: Roles that see every borough pair; anyone else sees the pairs their own organisation is in
ALL_PAIRS_ROLES = frozenset({"subgroup_member", "auditor", "admin"})


async def jwa_report(ctx: ServiceContext, principal: Principal, start: datetime, end: datetime) -> dict[str, Any]:
    """The JWA monitoring report for [start, end) as the officer may see it (the read is audited)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise unprocessable("from" if start.tzinfo is None else "to", "needs a timezone, e.g. 2026-01-01T00:00:00Z")
    if end <= start:
        raise unprocessable("to", "must be after from")
    orgs = None if principal.roles & ALL_PAIRS_ROLES else {principal.org}
    data = await report(ctx, start, end, orgs)
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal, "read", "monitoring", "jwa", entity_org=principal.org, purpose="DV sub-group monitoring"
        )
    return data


def pairs_csv(data: dict[str, Any]) -> str:
    """The per-pair table as CSV (one row per borough pair)."""
    out = io.StringIO()
    fields = ["from_org", "to_org", *PAIR_COUNTS, "response_minutes_median", "response_minutes_p90"]
    writer = csv.DictWriter(out, fieldnames=[*fields, "options_offered", "outcomes"], lineterminator="\n")
    writer.writeheader()
    for row in data["pairs"]:
        flat = {k: ("" if row[k] is None else row[k]) for k in fields}
        flat["options_offered"] = ";".join(f"{k}={v}" for k, v in row["options_offered"].items())
        flat["outcomes"] = ";".join(f"{k}={v}" for k, v in row["outcomes"].items())
        writer.writerow(flat)
    return out.getvalue()


async def receive_addressed(ctx: ServiceContext, event: Event, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep an options event addressed to an organisation hosted here, for monitoring (one a
    hosted organisation sent is already in this deployment's outbox)."""
    if not ctx.deployment.hosts(event.org) and not await JwaReceivedEvent.exists().where(
        JwaReceivedEvent.event_id == envelope.id
    ):
        await JwaReceivedEvent.insert(
            JwaReceivedEvent(event_id=envelope.id, type=envelope.type, payload=encode(event), created_at=envelope.time)
        )


async def receive_booking(ctx: ServiceContext, event: Event, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep another deployment's one-night booking for a client who came from an organisation
    hosted here. The booking is a fact about borough B's case (not addressed to A), so A's
    deployment reads B's bookings as a broadcast and keeps those that name A as ``from_org``:
    both sides' pair tables then count it."""
    from_org = getattr(event, "from_org", None)
    if (
        from_org
        and ctx.deployment.hosts(from_org)
        and not ctx.deployment.hosts(event.org)
        and not await JwaReceivedEvent.exists().where(JwaReceivedEvent.event_id == envelope.id)
    ):
        await JwaReceivedEvent.insert(
            JwaReceivedEvent(event_id=envelope.id, type=envelope.type, payload=encode(event), created_at=envelope.time)
        )


CONSUMER = ConsumerSpec(
    purpose="jwa-monitoring",
    from_service="options",
    filter_subject=event_filter("options", addressed=True),
    handler=receive_addressed,
)
BOOKINGS = ConsumerSpec(
    purpose="jwa-ta-bookings",
    from_service="options",
    filter_subject=event_filter("options", TemporaryAccommodationBooked.name, addressed=False),
    handler=receive_booking,
)
