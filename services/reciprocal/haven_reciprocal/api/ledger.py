"""The owed-property ledger and scheme reports."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Controller, get

from haven_reciprocal import ledger, moves, reports
from haven_reciprocal.partners import is_coordinator, scheme_of
from haven_reciprocal.responses import LedgerBalances, LedgerQuarter, PreviousTenancyTask, SchemeReport
from haven_runtime.context import ServiceContext
from haven_runtime.errors import unprocessable
from haven_runtime.identity import Principal
from haven_runtime.openapi import as_response


class LedgerController(Controller):
    path = "/schemes/{scheme:str}/ledger"
    tags = ["ledger"]

    @get("", summary="Balances per partner and bedroom size, now or at a moment")
    async def balances(
        self, scheme: str, ctx: ServiceContext, principal: Principal, at: datetime | None = None
    ) -> LedgerBalances:
        scheme_of(ctx, scheme)
        await ledger.may_read(principal, scheme)
        rows = await ledger.balances(scheme, at=at)
        return LedgerBalances(
            scheme=scheme, at=at or datetime.now(UTC), balances=rows, total=sum(b.balance for b in rows)
        )

    @get("/history", summary="Postings, optionally for one partner")
    async def history(
        self, scheme: str, ctx: ServiceContext, principal: Principal, partner_org: str | None = None
    ) -> list[ledger.Posting]:
        scheme_of(ctx, scheme)
        await ledger.may_read(principal, scheme)
        return await ledger.history(scheme, partner=partner_org)

    @get("/quarters/{label:str}", summary="Movements and closing balances of one quarter, e.g. 2026Q4")
    async def quarter(self, scheme: str, label: str, ctx: ServiceContext, principal: Principal) -> LedgerQuarter:
        scheme_of(ctx, scheme)
        await ledger.may_read(principal, scheme)
        try:
            quarter = await ledger.quarter(scheme, label)
        except ValueError as exc:
            raise unprocessable("label", f"expected a quarter like 2026Q4 ({exc})") from None
        return as_response(quarter, LedgerQuarter)

    @get("/previous-tenancies", summary="Previous tenancies still to be ended after a move")
    async def tasks(self, scheme: str, ctx: ServiceContext, principal: Principal) -> list[PreviousTenancyTask]:
        scheme_of(ctx, scheme)
        await ledger.may_read(principal, scheme)
        tasks = await moves.open_tasks(scheme, None if is_coordinator(principal, scheme) else principal.org)
        return as_response(tasks, list[PreviousTenancyTask])


class ReportsController(Controller):
    path = "/schemes/{scheme:str}/report"
    tags = ["reports"]

    @get("", summary="Referrals, moves, time to move, refusals and ledger balances for a period")
    async def report(
        self,
        scheme: str,
        ctx: ServiceContext,
        principal: Principal,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> SchemeReport:
        scheme_of(ctx, scheme)
        await ledger.may_read(principal, scheme)
        end = end or datetime.now(UTC)
        start = start or datetime(2000, 1, 1, tzinfo=UTC)
        if start.tzinfo is None or end.tzinfo is None:
            raise unprocessable("start" if start.tzinfo is None else "end", "must include a time zone")
        if end <= start:
            raise unprocessable("end", "must be after start")
        return as_response(await reports.report(scheme, start, end), SchemeReport)
