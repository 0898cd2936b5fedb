"""Retention of options cases.

"closed cases past a configured period can be erased (personal fields)
leaving anonymous statistics; erasure is audited."
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven_options.retention import erase_closed
from haven_options.tables import Case
from haven_runtime.app import context_of
from haven_runtime.privacy import assert_no_plaintext

CASEWORK = {"purpose": "casework"}  # haven_runtime.audit.PURPOSES


A = "bexley"
FORMER = "3 Old Shared Street, Testville TV9 9ZZ"


async def _row(options, h, ref):
    return await h.on_app(options, lambda: Case.select().where(Case.ref == ref).first())


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_closed_case_past_the_period_is_erased_audited_and_still_counted(start_service, token, h):
    """As required: "Closed cases past a configured period can be erased (personal fields) leaving anonymous statistics;
    erasure is audited." An open case and a recently closed one keep their details."""
    options = await start_service("options")
    ctx = context_of(options.app)
    old, recent, still_open = [await h.open_case(options, token(A)) for _ in range(3)]
    await options.put(
        f"/cases/{old['ref']}/address", json={"address_kind": "safe", "former_address": FORMER}, headers=token(A)
    )
    for case in (old, recent):
        r = await options.post(f"/cases/{case['ref']}/close", json={"outcome": "rehoused"}, headers=token(A))
        assert r.status_code == 200, r.text
    now = datetime.now(UTC)
    past = now - timedelta(days=ctx.settings.retention_days + 1)
    await h.on_app(options, lambda: Case.update({Case.closed_at: past}).where(Case.ref == old["ref"]))

    assert await h.on_app(options, lambda: erase_closed(ctx, now)) == [old["ref"]]
    erased = await _row(options, h, old["ref"])
    assert erased["erased_at"] is not None and erased["name_enc"] == "" and erased["name_index"] == ""
    assert all(
        erased[f] is None
        for f in ("address_enc", "former_address_enc", "phone_enc", "date_of_birth_enc", "safe_contact_enc")
    )
    assert (erased["status"], erased["outcome"], erased["channel"], erased["tenure"]) == (
        "closed",
        "rehoused",
        "reception",
        "council_secure",
    )
    for kept in (recent, still_open):
        row = await _row(options, h, kept["ref"])
        assert row["erased_at"] is None and row["name_enc"] and row["address_enc"]
        person = (await options.get(f"/cases/{kept['ref']}", params=CASEWORK, headers=token(A))).json()["person"]
        assert person["name"] == h.PERSON["name"]
    read = (await options.get(f"/cases/{old['ref']}", params=CASEWORK, headers=token(A))).json()
    assert read["person"]["name"] == "" and read["person"]["address"] is None

    audit = await h.on_app(options, lambda: ctx.store.audit_writer.who_has_seen("case", old["ref"]))
    assert [e.purpose for e in audit if e.action == "erase"] == [
        f"retention: closed before {(now - timedelta(days=ctx.settings.retention_days)).date().isoformat()}"
    ]
    assert await h.on_app(options, lambda: erase_closed(ctx, now)) == []

    closed = (await options.get("/cases", params={"status": "closed"}, headers=token(A))).json()
    assert {c["ref"] for c in closed} == {old["ref"], recent["ref"]}
    window = {"from": (now - timedelta(days=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    report = (await options.get("/monitoring/jwa", params=window, headers=token(A, "dv_lead"))).json()
    assert next(o for o in report["organisations"] if o["org"] == A)["outcomes"]["case_closed:rehoused"] == 2
    await assert_no_plaintext(ctx.settings.database_url("options"), [*h.PERSONAL_VALUES, "Old Shared Street"])


async def test_retention_admin_endpoint_needs_admin_and_audits(start_service, token, h):
    """Erasure "is audited"; only an administrator may run it by hand (it is irreversible)."""
    options = await start_service("options")
    ctx = context_of(options.app)
    case = await h.open_case(options, token(A))
    await options.post(f"/cases/{case['ref']}/close", json={"outcome": "closed"}, headers=token(A))
    past = datetime.now(UTC) - timedelta(days=ctx.settings.retention_days + 2)
    await h.on_app(options, lambda: Case.update({Case.closed_at: past}).where(Case.ref == case["ref"]))
    assert (await options.post("/admin/retention/erase", headers=token(A, "team_manager"))).status_code == 403
    assert (await _row(options, h, case["ref"]))["erased_at"] is None
    # another organisation's admin erases only its own organisation's cases
    r = await options.post("/admin/retention/erase", headers=token("lewisham", "admin", sub="admin-9"))
    assert r.status_code == 200 and r.json()["erased"] == [], r.text
    assert (await _row(options, h, case["ref"]))["erased_at"] is None
    r = await options.post("/admin/retention/erase", headers=token(A, "admin", sub="admin-1"))
    assert r.status_code == 200, r.text
    assert r.json()["erased"] == [case["ref"]]
    audit = await h.on_app(options, lambda: ctx.store.audit_writer.who_has_seen("case", case["ref"]))
    assert [e.actor for e in audit if e.action == "erase"] == ["admin-1"]
