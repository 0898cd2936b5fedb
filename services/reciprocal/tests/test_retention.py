"""Retention of reciprocal referrals.

"closed cases past a configured period can be erased (personal fields)
leaving anonymous statistics; erasure is audited."
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from haven_reciprocal.retention import erase_closed
from haven_reciprocal.tables import Referral
from haven_runtime.privacy import assert_no_plaintext


async def on_app(client, make_awaitable):
    """Run ``make_awaitable()`` on the app's own event loop (PostgreSQL connections belong to it)."""

    async def run():
        return await make_awaitable()

    return await asyncio.to_thread(client.blocking_portal.call, run)


def _row(client, **where):
    ((key, value),) = where.items()
    return on_app(client, lambda: Referral.select().where(getattr(Referral, key) == value).first())


def _age(client, ref: str, days: int):
    since = datetime.now(UTC) - timedelta(days=days)
    return on_app(client, lambda: Referral.update({Referral.stage_since: since}).where(Referral.ref == ref))


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_closed_referral_past_the_period_is_erased_audited_and_still_reported(recip):
    """As required: "Closed cases past a configured period can be erased (personal fields) leaving anonymous statistics;
    erasure is audited." A live referral and a recently closed one keep their details."""
    ctx, c = recip.ctx, recip.client
    arc = await recip.accepted()
    old = (await _row(c, arc=arc))["ref"]
    recent = (await recip.refer())["referral_ref"]
    live = (await recip.refer())["referral_ref"]
    for ref in (old, recent):
        assert (await c.post(f"/referrals/{ref}/withdraw", headers=recip.coordinator())).status_code == 200
    await _age(c, old, ctx.settings.retention_days + 1)
    await _age(c, live, ctx.settings.retention_days + 1)  # old but still live: kept

    assert await on_app(c, lambda: erase_closed(ctx)) == [old]
    row = await _row(c, ref=old)
    assert row["erased_at"] is not None and row["lead_name_enc"] == "" and row["name_index"] == ""
    assert row["contact_enc"] is None and row["address_enc"] is None
    assert (row["status"], row["tenancy"], row["bedrooms"]) == ("withdrawn", "social", 2)
    for ref in (recent, live):
        kept = await _row(c, ref=ref)
        assert kept["erased_at"] is None and kept["lead_name_enc"] and kept["address_enc"]
    identity = await c.get(f"/referrals/{arc}/identity", params={"purpose": "audit"}, headers=recip.coordinator())
    assert identity.status_code == 200, identity.text
    assert identity.json()["lead_name"] == "" and identity.json()["current_address"] is None

    audit = await on_app(c, lambda: ctx.store.audit_writer.who_has_seen("reciprocal_referral", arc))
    assert [e.action for e in audit].count("erase") == 1
    assert await on_app(c, lambda: erase_closed(ctx)) == []
    report = (await c.get("/schemes/cambridgeshire-da-services/report", headers=recip.coordinator())).json()
    assert report["referrals"] == 3 and report["referrals_by_status"]["withdrawn"] == 2
    await assert_no_plaintext(ctx.settings.database_url("reciprocal"), recip.personal)


async def test_retention_admin_endpoint_needs_admin(recip):
    """Erasure "is audited"; only an administrator may run it by hand."""
    ctx, c = recip.ctx, recip.client
    ref = (await recip.refer())["referral_ref"]
    await c.post(f"/referrals/{ref}/withdraw", headers=recip.coordinator())
    await _age(c, ref, ctx.settings.retention_days + 2)
    assert (await c.post("/admin/retention/erase", headers=recip.coordinator())).status_code == 403
    # another organisation's admin erases only its own organisation's referrals
    r = await c.post("/admin/retention/erase", headers=recip.token("bexley", "admin", sub="admin-9"))
    assert r.status_code == 200 and r.json()["erased"] == [], r.text
    r = await c.post(
        "/admin/retention/erase", headers=recip.token("cambridgeshire-da-services", "admin", sub="admin-1")
    )
    assert r.status_code == 200 and r.json()["erased"] == [ref]
    audit = await on_app(c, lambda: ctx.store.audit_writer.who_has_seen("reciprocal_referral", ref))
    assert [e.actor for e in audit if e.action == "erase"] == ["admin-1"]
