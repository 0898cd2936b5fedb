"""The owed-property ledger (seed ``002_c1c7b199d9a53274.txt``).

"The referring Local Authority or registered provider then owes an equal size property to
another household at risk in Cambridgeshire through a centralised system."

Double entry per partner and bedroom size: a completed move posts one transaction of two
entries — the referring partner is debited one property of that size (−1: owed to the
pool) and the receiving partner credited one (+1). Every transaction sums to zero, so
the balances of all partners of a scheme sum to zero for every size, at any time.
Balances are available at any moment and per quarter, with the history behind them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import msgspec

from haven_contracts.events.reciprocal import LedgerPosted
from haven_contracts.ids import new_reference
from haven_reciprocal.tables import LedgerEntry
from haven_runtime.errors import forbidden
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork


class Balance(msgspec.Struct, kw_only=True):
    partner: str
    bedrooms: int
    balance: int
    """Negative: properties of this size the partner owes the pool; positive: credited."""


class Posting(msgspec.Struct, kw_only=True):
    txn_ref: str
    arc: str
    partner: str
    bedrooms: int
    amount: int
    posted_at: datetime


async def may_read(principal: Principal, scheme: str) -> None:
    """The coordinator, an auditor of it, or any signed partner of the scheme reads its ledger; else 403."""
    from haven_reciprocal.partners import is_coordinator, partner  # partners' domain sits above the ledger

    if is_coordinator(principal, scheme) or (principal.org == scheme and "auditor" in principal.roles):
        return
    row = await partner(scheme, principal.org)
    if row is None or row.status != "signed":
        raise forbidden()


async def post(uow: UnitOfWork, scheme: str, arc: str, debit: str, credit: str, bedrooms: int, now: datetime) -> str:
    """Post one move: ``debit`` owes the pool one ``bedrooms`` property, ``credit`` is credited."""
    txn = new_reference("TXN", 12)
    await LedgerEntry.insert(
        LedgerEntry(txn_ref=txn, scheme=scheme, arc=arc, partner=debit, bedrooms=bedrooms, amount=-1, posted_at=now),
        LedgerEntry(txn_ref=txn, scheme=scheme, arc=arc, partner=credit, bedrooms=bedrooms, amount=1, posted_at=now),
    )
    await uow.emit(
        LedgerPosted(
            org=scheme,
            scheme=scheme,
            txn_ref=txn,
            arc=arc,
            debit_partner=debit,
            credit_partner=credit,
            bedrooms=bedrooms,
            posted_at=now,
        ),
        ref=arc,
    )
    return txn


async def history(
    scheme: str, *, partner: str | None = None, start: datetime | None = None, end: datetime | None = None
) -> list[Posting]:
    q = LedgerEntry.select().where(LedgerEntry.scheme == scheme)
    if partner:
        q = q.where(LedgerEntry.partner == partner)
    if start:
        q = q.where(LedgerEntry.posted_at >= start)
    if end:
        q = q.where(LedgerEntry.posted_at < end)
    rows = await q.order_by(LedgerEntry.posted_at).order_by(LedgerEntry.id)
    return [
        Posting(
            txn_ref=r["txn_ref"],
            arc=r["arc"],
            partner=r["partner"],
            bedrooms=r["bedrooms"],
            amount=r["amount"],
            posted_at=r["posted_at"],
        )
        for r in rows
    ]


def balances_of(postings: list[Posting]) -> list[Balance]:
    totals: dict[tuple[str, int], int] = defaultdict(int)
    for p in postings:
        totals[(p.partner, p.bedrooms)] += p.amount
    return [Balance(partner=k[0], bedrooms=k[1], balance=v) for k, v in sorted(totals.items())]


async def balances(scheme: str, *, at: datetime | None = None) -> list[Balance]:
    return balances_of(await history(scheme, end=at))


def quarter_bounds(label: str) -> tuple[datetime, datetime]:
    """``2026Q4`` → [1 Oct 2026, 1 Jan 2027) in UTC; raises ``ValueError`` for a bad label."""
    year, _, q = label.upper().partition("Q")
    y, n = int(year), int(q)
    if not 1 <= n <= 4:
        raise ValueError("quarter must be 1-4")
    start = date(y, 3 * (n - 1) + 1, 1)
    end = date(y + (n == 4), 1 if n == 4 else 3 * n + 1, 1)
    return datetime.combine(start, time(), UTC), datetime.combine(end, time(), UTC)


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


async def quarter(scheme: str, label: str) -> dict:
    """Movements in one quarter and the closing balances at its end."""
    start, end = quarter_bounds(label)
    moves = await history(scheme, start=start, end=end)
    closing = await balances(scheme, at=end)
    return {
        "quarter": label,
        "from": start,
        "to": end - timedelta(microseconds=1),
        "movements": balances_of(moves),
        "closing": closing,
        "postings": moves,
    }
