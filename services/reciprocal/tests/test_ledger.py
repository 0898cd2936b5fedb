"""The owed-property ledger (seed ``002_c1c7b199d9a53274.txt``): "The referring Local Authority
or registered provider then owes an equal size property to another household at risk in
Cambridgeshire through a centralised system."

Property-based: after any sequence of moves between any partners, every bedroom size's
balances sum to zero across all partners, and each partner's balance is what it received
minus what it referred.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_reciprocal import ledger
from haven_reciprocal.tables import RUNTIME, LedgerEntry
from haven_runtime import db
from haven_runtime.schema import create_tables
from haven_runtime.store import Store

PARTNERS = [
    "cambridge",
    "east-cambridgeshire",
    "fenland",
    "huntingdonshire",
    "south-cambridgeshire",
    "peterborough",
    "dales-housing",
]
SCHEME = "cambridgeshire-da-services"

moves = st.lists(
    st.tuples(st.sampled_from(PARTNERS), st.sampled_from(PARTNERS), st.integers(0, 5), st.integers(0, 400)).filter(
        lambda m: m[0] != m[1]
    ),
    max_size=30,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'reciprocal.sqlite3'}")

    async def open_store() -> None:
        await db.start(engine, [*RUNTIME.all(), LedgerEntry])
        await create_tables(engine, [*RUNTIME.all(), LedgerEntry])

    asyncio.run(open_store())
    return Store(engine, RUNTIME)


@pytest.mark.rule("reciprocal.owed-property")
@settings(max_examples=40, deadline=None)
@given(moves)
def test_ledger_balances_to_zero_after_any_sequence_of_moves(store, sequence):
    """Seed 002 §1: "The referring Local Authority or registered provider then owes an equal size
    property" — one debit and one credit of that size per move."""
    start = datetime(2026, 1, 1, tzinfo=UTC)

    async def scenario():
        db.bind(store.engine, [*RUNTIME.all(), LedgerEntry])  # a service started by another test rebinds them
        await LedgerEntry.delete(force=True)
        for n, (referring, receiving, bedrooms, day) in enumerate(sequence):
            async with store.transaction() as uow:
                await ledger.post(
                    uow, SCHEME, f"ARC-{n:012d}", referring, receiving, bedrooms, start + timedelta(days=day)
                )
        return await ledger.balances(SCHEME), await ledger.history(SCHEME)

    balances, history = asyncio.run(scenario())
    per_size: Counter = Counter()
    for b in balances:
        per_size[b.bedrooms] += b.balance
    assert all(total == 0 for total in per_size.values())
    expected: Counter = Counter()
    for referring, receiving, bedrooms, _ in sequence:
        expected[(referring, bedrooms)] -= 1
        expected[(receiving, bedrooms)] += 1
    assert {(b.partner, b.bedrooms): b.balance for b in balances if b.balance} == {
        k: v for k, v in expected.items() if v
    }
    assert len(history) == 2 * len(sequence)
    # every transaction balances on its own
    per_txn: Counter = Counter()
    for p in history:
        per_txn[p.txn_ref] += p.amount
    assert set(per_txn.values()) <= {0}


@pytest.mark.rule("reciprocal.owed-property")
@settings(max_examples=20, deadline=None)
@given(moves)
def test_quarterly_movements_add_up_to_the_closing_balances(store, sequence):
    """Balances "available at any time and per quarter": the closing balance of the last
    quarter equals the sum of every quarter's movements."""
    start = datetime(2026, 1, 1, tzinfo=UTC)

    async def scenario():
        db.bind(store.engine, [*RUNTIME.all(), LedgerEntry])  # a service started by another test rebinds them
        await LedgerEntry.delete(force=True)
        for n, (referring, receiving, bedrooms, day) in enumerate(sequence):
            async with store.transaction() as uow:
                await ledger.post(
                    uow, SCHEME, f"ARC-{n:012d}", referring, receiving, bedrooms, start + timedelta(days=day)
                )
        return [
            await ledger.quarter(SCHEME, label)
            for label in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1", "2027Q2")
        ]

    quarters = asyncio.run(scenario())
    summed: Counter = Counter()
    for q in quarters:
        for m in q["movements"]:
            summed[(m.partner, m.bedrooms)] += m.balance
    closing = {(b.partner, b.bedrooms): b.balance for b in quarters[-1]["closing"]}
    assert {k: v for k, v in summed.items() if v} == {k: v for k, v in closing.items() if v}


def test_quarter_labels():
    assert ledger.quarter_bounds("2026Q4") == (datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert ledger.quarter_of(datetime(2026, 2, 3, tzinfo=UTC)) == "2026Q1"
    with pytest.raises(ValueError):
        ledger.quarter_bounds("2026Q5")


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_ledger_over_the_api_after_several_moves(recip):
    """Two moves in opposite directions and one more: balances per partner and size, zero in total."""

    async def move(referring, receiving, bedrooms):
        arc = await recip.accepted(
            referring_partner=referring,
            current_area=referring,
            unsafe_areas=[referring],
            preferred_areas=[],
            bedrooms=bedrooms,
        )
        await recip.offer(receiving, bedrooms=bedrooms)
        assert await recip.offered(arc) == receiving
        await recip.client.post(f"/referrals/{arc}/offer", json={"accepted": True}, headers=recip.coordinator())
        r = await recip.client.post(
            f"/referrals/{arc}/move", json={"tenancy_start": "2026-12-01"}, headers=recip.lead(receiving)
        )
        assert r.status_code == 200, r.text

    await move("fenland", "cambridge", 2)
    await move("cambridge", "fenland", 2)
    await move("huntingdonshire", "cambridge", 3)
    body = (await recip.client.get(f"/schemes/{recip.coord}/ledger", headers=recip.lead("fenland"))).json()
    assert {(b["partner"], b["bedrooms"]): b["balance"] for b in body["balances"] if b["balance"]} == {
        ("huntingdonshire", 3): -1,
        ("cambridge", 3): 1,
    }
    assert body["total"] == 0
    history = (
        await recip.client.get(
            f"/schemes/{recip.coord}/ledger/history", params={"partner_org": "fenland"}, headers=recip.coordinator()
        )
    ).json()
    assert [h["amount"] for h in history] == [-1, 1]
    label = ledger.quarter_of(datetime.now(UTC))
    quarter = (
        await recip.client.get(f"/schemes/{recip.coord}/ledger/quarters/{label}", headers=recip.coordinator())
    ).json()
    assert len(quarter["postings"]) == 6
    r = await recip.client.get(f"/schemes/{recip.coord}/ledger/quarters/2026Q9", headers=recip.coordinator())
    assert r.status_code == 422 and "label" in r.text
    r = await recip.client.get(f"/schemes/{recip.coord}/ledger", headers=recip.token("bexley", "dv_lead"))
    assert r.status_code == 403
