"""Retention of sanctuary referrals.

"closed cases past a configured period can be erased (personal fields)
leaving anonymous statistics; erasure is audited."
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from haven_runtime.privacy import assert_no_plaintext
from haven_sanctuary.retention import erase_closed
from haven_sanctuary.tables import SanctuaryCriterion, SanctuaryReferral

NOTE = "Invented note: neighbour Pat Example confirmed"
VALUES = [
    "Alex Invented",
    "1 Example Road",
    "01322 000000",
    "Sam Referrer",
    "sam@example.org",
    "Invented reason",
    "Pat Example",
]


async def on_app(client, make_awaitable):
    """Run ``make_awaitable()`` on the app's own event loop (PostgreSQL connections belong to it)."""

    async def run():
        return await make_awaitable()

    return await asyncio.to_thread(client.blocking_portal.call, run)


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_closed_referral_past_the_period_is_erased_audited_and_still_counted(
    start_service, token, form, walk, ctx_of
):
    """As required: "Closed cases past a configured period can be erased (personal fields) leaving anonymous statistics;
    erasure is audited." An open referral and a recently closed one keep their details."""
    client = await start_service("sanctuary")
    ctx, w = ctx_of(client), walk(client)
    old, recent, still_open = [
        (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
        for _ in range(3)
    ]
    await w.ok("PUT", f"/referrals/{old}/criteria/lives_in_borough", json={"status": "met", "note": NOTE})
    for ref in (old, recent):
        await w.ok("POST", f"/referrals/{ref}/close", json={"outcome": "withdrawn"})
    now = datetime.now(UTC)
    await on_app(
        client,
        lambda: SanctuaryReferral.update(
            {SanctuaryReferral.closed_at: now - timedelta(days=ctx.settings.retention_days + 1)}
        ).where(SanctuaryReferral.ref == old),
    )

    def row_of(ref):
        return on_app(client, lambda: SanctuaryReferral.select().where(SanctuaryReferral.ref == ref).first())

    assert await on_app(client, lambda: erase_closed(ctx, now)) == [old]
    row = await row_of(old)
    assert row["erased_at"] is not None and row["name_index"] is None
    assert all(v is None for k, v in row.items() if k.endswith("_enc"))
    assert (row["outcome"], row["tenure"], row["property_type"]) == ("withdrawn", "owner_occupier", "house")
    assert (
        await on_app(
            client,
            lambda: SanctuaryCriterion.select(SanctuaryCriterion.note_enc).where(
                (SanctuaryCriterion.referral_ref == old) & SanctuaryCriterion.note_enc.is_not_null()
            ),
        )
        == []
    )
    for ref in (recent, still_open):
        kept = await row_of(ref)
        assert kept["erased_at"] is None and kept["person_name_enc"] and kept["name_index"]
    read = await w.ok("GET", f"/referrals/{old}", params={"purpose": "audit"})
    assert read["form"]["person"]["name"] is None

    audit = await on_app(client, lambda: ctx.store.audit_writer.who_has_seen("sanctuary_referral", old))
    assert [e.action for e in audit].count("erase") == 1
    assert await on_app(client, lambda: erase_closed(ctx, now)) == []
    closed = await w.ok("GET", "/referrals", params={"state": "closed"})
    assert {r["ref"] for r in closed} == {old, recent}
    await assert_no_plaintext(ctx.settings.database_url("sanctuary"), VALUES)


async def test_retention_admin_endpoint_needs_admin(start_service, token, form, walk, ctx_of):
    """Erasure "is audited"; only an administrator may run it by hand."""
    client = await start_service("sanctuary")
    ctx, w = ctx_of(client), walk(client)
    ref = (await client.post("/referrals", json=form(), headers=token("bexley", "options_officer"))).json()["ref"]
    await w.ok("POST", f"/referrals/{ref}/close", json={"outcome": "withdrawn"})
    past = datetime.now(UTC) - timedelta(days=ctx.settings.retention_days + 2)
    await on_app(
        client,
        lambda: SanctuaryReferral.update({SanctuaryReferral.closed_at: past}).where(SanctuaryReferral.ref == ref),
    )
    assert (await client.post("/admin/retention/erase", headers=w.officer)).status_code == 403
    # another organisation's admin erases only its own organisation's referrals
    r = await client.post("/admin/retention/erase", headers=token("bexley", "admin", sub="admin-9"))
    assert r.status_code == 200 and r.json()["erased"] == [], r.text
    r = await client.post("/admin/retention/erase", headers=token("dartford", "admin", sub="admin-1"))
    assert r.status_code == 200 and r.json()["erased"] == [ref]
    audit = await on_app(client, lambda: ctx.store.audit_writer.who_has_seen("sanctuary_referral", ref))
    assert [e.actor for e in audit if e.action == "erase"] == ["admin-1"]
