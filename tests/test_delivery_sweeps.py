"""Overdue sweeps on replicas raise each overdue event exactly once.

Every replica of a service runs the periodic sweeps. Two replicas reading the same unflagged
clocks and flagging them afterwards raised one event per replica (300 cases → 598 events),
so each sweep claims its rows with one conditional ``UPDATE ... RETURNING``
(:meth:`haven_runtime.store.UnitOfWork.claim`).

The replicas here are two service contexts over one PostgreSQL database, each sweeping in
its own task, so each runs its own transactions on its own connection, concurrently — the
race lives in the database. (Two app instances in one process would rebind the same
module-level Piccolo tables to the last engine started, so the contexts share one engine.)
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from haven_runtime.app import context_of
from haven_runtime.context import BusStats, ServiceContext
from haven_runtime.testing import serve_in_loop

CASES = 300
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=120)


def _replica(ctx: ServiceContext) -> ServiceContext:
    """A second replica's context: its own counters and caches, the same database."""
    return dataclasses.replace(ctx, bus_stats=BusStats(), extras={})


async def _both_sweep(ctx: ServiceContext, sweep) -> None:
    """Run ``sweep`` on two replicas at once, each in its own task (own transactions)."""
    await asyncio.gather(sweep(ctx), sweep(_replica(ctx)))


async def _raised(ctx: ServiceContext, event_cls, key: str) -> Counter:
    """How many times the outbox holds ``event_cls`` for each value of its ``key`` field."""
    outbox = ctx.store.tables.outbox
    rows = await outbox.select(outbox.payload).where(outbox.type == event_cls.type_name())
    return Counter(msgspec.json.decode(bytes(r["payload"]))[key] for r in rows)


def _services(name: str):
    from haven_runtime.plugins import build_plugin_manager
    from haven_runtime.serve import service_definitions

    def start(settings):
        return service_definitions()[name].load()(settings=settings, plugins=build_plugin_manager(settings))

    return start


@pytest.mark.parametrize("db_backend", ["postgres", "sqlite"], indirect=True)
async def test_options_sweeps_on_two_replicas_raise_each_overdue_event_once(haven_settings):
    from haven_contracts.events.options import DutyClockExpired, InformationOverdue, InterviewOverdue
    from haven_options.clocks import check_overdue
    from haven_options.tables import Case, DutyClock, InfoRequest

    async with serve_in_loop(_services("options")(haven_settings)) as client:
        ctx = context_of(client._transport.app)
        refs = [f"CASE-{i:010d}" for i in range(CASES)]
        await Case.insert(
            *[
                Case(
                    ref=ref,
                    org="bexley",
                    channel="phone",
                    tenure="private",
                    approached_at=LONG_AGO,
                    opened_by="officer-1",
                    name_enc="x",
                    name_index=f"idx-{ref}",
                    interview_due_at=LONG_AGO,
                )
                for ref in refs
            ]
        )
        await DutyClock.insert(
            *[
                DutyClock(case_ref=ref, org="bexley", duty="relief", started_at=LONG_AGO, due_at=LONG_AGO)
                for ref in refs
            ]
        )
        await InfoRequest.insert(
            *[
                InfoRequest(
                    ref=f"INFO-{i:010d}",
                    requester_org="bromley",
                    responder_org="bexley",
                    case_ref=refs[i],
                    requested_by="officer-2",
                    requested_at=LONG_AGO,
                    due_at=LONG_AGO,
                )
                for i in range(CASES)
            ]
        )

        await _both_sweep(ctx, lambda c: check_overdue(c, NOW))
        await _both_sweep(ctx, lambda c: check_overdue(c, NOW + timedelta(hours=1)))  # a later sweep raises nothing new

        interviews = await _raised(ctx, InterviewOverdue, "case_ref")
        duties = await _raised(ctx, DutyClockExpired, "case_ref")
        requests = await _raised(ctx, InformationOverdue, "request_ref")
    assert set(interviews) == set(refs) and set(interviews.values()) == {1}
    assert set(duties) == set(refs) and set(duties.values()) == {1}
    assert len(requests) == CASES and set(requests.values()) == {1}


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_reciprocal_sweep_on_two_replicas_warns_once_per_stuck_referral(haven_settings):
    from haven_contracts.events.reciprocal import PreviousTenancyOverdue, ReferralStuck
    from haven_reciprocal.moves import check_overdue as check_previous_tenancies
    from haven_reciprocal.tables import Move, Referral
    from haven_reciprocal.tracking import check_stuck

    scheme = "cambridgeshire-da-services"
    async with serve_in_loop(_services("reciprocal")(haven_settings)) as client:
        ctx = context_of(client._transport.app)
        refs = [f"RREF-{i:010d}" for i in range(CASES)]
        await Referral.insert(
            *[
                Referral(
                    ref=ref,
                    scheme=scheme,
                    referring_partner="fenland",
                    status="received",
                    stage_since=LONG_AGO,
                    created_at=LONG_AGO,
                    created_by="coord-1",
                    abuse_category="domestic_violence",
                    tenancy="social",
                    bedrooms=2,
                    current_area="fenland",
                    lead_name_enc="x",
                    name_index=f"idx-{ref}",
                )
                for ref in refs
            ]
        )
        await Move.insert(
            *[
                Move(
                    scheme=scheme,
                    referral_ref=refs[i],
                    arc=f"ARC-{i:06d}",
                    property_ref=f"PROP-{i:06d}",
                    referring_partner="fenland",
                    receiving_partner="cambridge",
                    bedrooms=2,
                    tenancy_start=LONG_AGO.date(),
                    completed_at=LONG_AGO,
                    granted_by="lead-1",
                    previous_tenancy_due_at=LONG_AGO,
                )
                for i in range(50)
            ]
        )

        await _both_sweep(ctx, lambda c: check_stuck(c, NOW))
        await _both_sweep(ctx, lambda c: check_previous_tenancies(c, NOW))

        stuck = await _raised(ctx, ReferralStuck, "referral_ref")
        overdue = await _raised(ctx, PreviousTenancyOverdue, "arc")
    assert set(stuck) == set(refs) and set(stuck.values()) == {1}
    assert len(overdue) == 50 and set(overdue.values()) == {1}


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_sanctuary_sweep_on_two_replicas_raises_each_overdue_clock_once(haven_settings):
    from haven_contracts.events.sanctuary import SanctuaryClockOverdue
    from haven_sanctuary.clocks import check_overdue
    from haven_sanctuary.tables import SanctuaryClockRow

    async with serve_in_loop(_services("sanctuary")(haven_settings)) as client:
        ctx = context_of(client._transport.app)
        refs = [f"SREF-{i:010d}" for i in range(CASES)]
        await SanctuaryClockRow.insert(
            *[
                SanctuaryClockRow(
                    referral_ref=ref,
                    org="dartford",
                    key="risk_assessment",
                    awaiting="risk_assessed",
                    started_at=LONG_AGO,
                    due_at=LONG_AGO,
                )
                for ref in refs
            ]
        )
        await _both_sweep(ctx, lambda c: check_overdue(c, NOW))
        raised = await _raised(ctx, SanctuaryClockOverdue, "referral_ref")
    assert set(raised) == set(refs) and set(raised.values()) == {1}
