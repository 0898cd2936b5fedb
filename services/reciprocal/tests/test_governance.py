"""Tracking and governance of the memorandum (seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_reciprocal.conflicts import escalate_overdue
from haven_reciprocal.reports import percentile
from haven_reciprocal.tracking import check_stuck

BOTH_DATABASES = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
"""HTTP-only tests: they also run on PostgreSQL when HAVEN_TEST_POSTGRES_DSN is set."""


async def _outbox_subjects(recip, part: str) -> list[str]:
    outbox = recip.ctx.store.tables.outbox
    return [r["subject"] for r in await outbox.select(outbox.subject) if f".{part}." in r["subject"]]


@pytest.mark.rule("reciprocal.conflict-escalation")
async def test_conflict_is_worked_by_named_leads_then_escalated(recip):
    """Seed 002 §4: "the named leads will work together to take a pro-active approach to resolve
    conflicts but where a resolution cannot be reached, the conflict will be escalated to the
    Chief Executives/Directors at the earliest instance"."""
    arc = await recip.accepted()
    c = recip.client
    r = await c.post(
        "/conflicts",
        json={"scheme": recip.coord, "partners": ["cambridge"], "arc": arc, "summary": "void costs dispute"},
        headers=recip.lead("fenland"),
    )
    assert r.status_code == 201, r.text
    conflict = r.json()
    assert conflict["partners"] == ["cambridge", "fenland"] and conflict["status"] == "open"
    ref = conflict["ref"]
    r = await c.post(
        f"/conflicts/{ref}/notes", json={"note": "call arranged between leads"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 201
    r = await c.get(f"/conflicts/{ref}", headers=recip.lead("huntingdonshire"))
    assert r.status_code == 403
    r = await c.post(f"/conflicts/{ref}/escalate", headers=recip.lead("cambridge"))
    assert r.status_code == 200
    body = r.json()
    assert (
        body["status"] == "escalated" and body["escalated_to"] == "Chief Executives/Directors" and body["escalated_at"]
    )
    assert (await c.post(f"/conflicts/{ref}/escalate", headers=recip.lead("cambridge"))).status_code == 409
    detail = (await c.get(f"/conflicts/{ref}", headers=recip.coordinator())).json()
    assert [n["note"] for n in detail["notes"]] == ["call arranged between leads"]
    assert (await c.post(f"/conflicts/{ref}/resolve", headers=recip.lead("fenland"))).json()["resolved_at"]
    assert await _outbox_subjects(recip, "conflict-escalated")


@pytest.mark.rule("reciprocal.conflict-escalation")
async def test_unresolved_conflict_escalates_automatically(recip):
    """Seed 002 §4: "where a resolution cannot be reached, the conflict will be escalated to the
    Chief Executives/Directors at the earliest instance" — a clock escalates it once, when it runs out."""
    r = await recip.client.post(
        "/conflicts", json={"scheme": recip.coord, "partners": ["cambridge"]}, headers=recip.lead("fenland")
    )
    ref = r.json()["ref"]
    due = datetime.fromisoformat(r.json()["escalation_due_at"])
    assert await escalate_overdue(recip.ctx, now=due - timedelta(minutes=1)) == []
    assert await escalate_overdue(recip.ctx, now=due + timedelta(minutes=1)) == [ref]
    assert await escalate_overdue(recip.ctx, now=due + timedelta(days=3)) == []
    body = (await recip.client.get(f"/conflicts/{ref}", headers=recip.lead("cambridge"))).json()
    assert body["status"] == "escalated"


@pytest.mark.rule("reciprocal.conflict-escalation")
@BOTH_DATABASES
async def test_a_conflict_needs_two_partners(recip):
    """Seed 002 §4: "the named leads will work together ... to resolve conflicts" — between partners of the scheme."""
    r = await recip.client.post(
        "/conflicts", json={"scheme": recip.coord, "partners": ["fenland"]}, headers=recip.lead("fenland")
    )
    assert r.status_code == 422 and "partners" in r.text
    r = await recip.client.post(
        "/conflicts", json={"scheme": recip.coord, "partners": ["bexley"]}, headers=recip.lead("fenland")
    )
    assert r.status_code == 422 and "partners" in r.text


@pytest.mark.rule("reciprocal.tracking")
async def test_stuck_referrals_warn_the_coordinator_once_per_stage(recip):
    """Seed 002: the coordinator is accountable for "Monitoring and tracking referrals"."""
    arc = await recip.accepted()
    status = await recip.status(arc)
    due = datetime.fromisoformat(status["stage_due_at"])
    assert status["stuck"] is False
    assert await check_stuck(recip.ctx, now=due - timedelta(minutes=1)) == []
    warned = await check_stuck(recip.ctx, now=due + timedelta(minutes=1))
    assert warned == [status["referral_ref"]]
    assert await check_stuck(recip.ctx, now=due + timedelta(days=1)) == []
    assert await _outbox_subjects(recip, "referral-stuck") == [
        f"haven.reciprocal.evt.referral-stuck.v1.{recip.coord}.{recip.coord}"
    ]
    r = await recip.client.get("/referrals/stuck", headers=recip.coordinator())
    assert r.status_code == 200  # listed once the clock has really passed; here not yet
    assert r.json() == []


@pytest.mark.rule("reciprocal.duty-of-care")
@BOTH_DATABASES
async def test_duty_of_care_is_tracked_for_a_referring_local_authority(recip):
    """Seed 002 §3: "Local authorities: Uphold statutory duty of care ... including temporary or
    emergency accommodation if needed whilst awaiting a reciprocal move"."""
    arc = await recip.accepted()
    r = await recip.client.post(
        f"/referrals/{arc}/duty-of-care",
        json={"accommodation": "temporary", "from_date": "2026-11-02"},
        headers=recip.token("fenland", "options_officer", sub="opt-1"),
    )
    assert r.status_code == 201, r.text
    status = await recip.status(arc, headers=recip.lead("fenland"))
    assert [d["accommodation"] for d in status["duty_of_care"]] == ["temporary"]
    r = await recip.client.post(
        f"/referrals/{arc}/duty-of-care",
        json={"accommodation": "temporary", "from_date": "2026-11-02"},
        headers=recip.lead("cambridge"),
    )
    assert r.status_code == 404  # not involved: refused like a made-up reference
    await recip.sign("dales-housing", area="huntingdonshire")
    rp = await recip.accepted(
        referring_partner="dales-housing", current_area="huntingdonshire", unsafe_areas=[], preferred_areas=[]
    )
    r = await recip.client.post(
        f"/referrals/{rp}/duty-of-care",
        json={"accommodation": "emergency", "from_date": "2026-11-02"},
        headers=recip.lead("dales-housing"),
    )
    assert r.status_code == 409 and "local authority" in r.json()["detail"]


@pytest.mark.rule("reciprocal.idva-support")
@BOTH_DATABASES
async def test_idva_support_and_local_services_in_the_new_area(recip):
    """Seed 002 §3: "Providing specialist IDVA or outreach support to all applicants throughout their
    relocation and linking to local services in the new area"."""
    arc = await recip.accepted()
    r = await recip.client.post(
        f"/referrals/{arc}/support", json={"kind": "idva", "started_on": "2026-11-02"}, headers=recip.coordinator()
    )
    assert r.status_code == 201
    r = await recip.client.post(
        f"/referrals/{arc}/support",
        json={"kind": "local_service", "started_on": "2026-11-02", "reference": "svc-cambridge-womens-aid"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 409
    await recip.offer("cambridge")
    await recip.offered(arc)
    r = await recip.client.post(
        f"/referrals/{arc}/support",
        json={"kind": "local_service", "started_on": "2026-11-02"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 422 and "reference" in r.text
    r = await recip.client.post(
        f"/referrals/{arc}/support",
        json={"kind": "local_service", "started_on": "2026-11-02", "reference": "svc-cambridge-womens-aid"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 201 and r.json()["area"] == "cambridge"
    status = await recip.status(arc)
    assert [s["kind"] for s in status["support"]] == ["idva", "local_service"]


@pytest.mark.rule("reciprocal.named-leads-staffing")
@BOTH_DATABASES
async def test_named_lead_change_of_staff_is_recorded(recip):
    """Seed 002 §3: partners identify "named leads ... and [inform] Cambridgeshire Specialist DA
    Services of any changes in staffing"."""
    ref = (await recip.refer())["referral_ref"]
    await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())
    r = await recip.client.post(
        f"/schemes/{recip.coord}/partners/fenland/named-leads",
        json={"officer_id": "fenland-lead-2", "name": "New Lead", "replaces": "fenland-lead-1"},
        headers=recip.token("fenland", "team_manager", sub="fen-tm"),
    )
    assert r.status_code == 201, r.text
    old = await recip.client.post(
        f"/referrals/{ref}/signoff", json={"decision": "approved"}, headers=recip.lead("fenland")
    )
    assert old.status_code == 403
    recip.leads["fenland"] = "fenland-lead-2"
    assert (
        await recip.client.post(
            f"/referrals/{ref}/signoff", json={"decision": "approved"}, headers=recip.lead("fenland")
        )
    ).status_code == 200
    partners = (await recip.client.get(f"/schemes/{recip.coord}/partners", headers=recip.coordinator())).json()
    leads = next(p for p in partners if p["org"] == "fenland")["named_leads"]
    assert [(l["officer_id"], l["end"] is not None) for l in leads] == [
        ("fenland-lead-1", True),
        ("fenland-lead-2", False),
    ]
    r = await recip.client.post(
        f"/schemes/{recip.coord}/partners/fenland/named-leads",
        json={"officer_id": "x", "name": "X"},
        headers=recip.token("cambridge", "team_manager"),
    )
    assert r.status_code == 403


@pytest.mark.rule("reciprocal.signing")
@BOTH_DATABASES
async def test_signing_is_recorded_once(recip):
    """Seed 002 §5: "Signed on behalf of Cambridgeshire Specialist DA Services ... Signed on behalf of
    [LA/RP.....]" — the coordinator records each signature once; an unsigned candidate stays a candidate."""
    r = await recip.client.post(
        f"/schemes/{recip.coord}/partners",
        headers=recip.coordinator(),
        json={"org": "fenland", "signed_on": "2026-10-02", "partner_signatory": "A", "coordinator_signatory": "B"},
    )
    assert r.status_code == 409
    r = await recip.client.post(
        f"/schemes/{recip.coord}/partners",
        headers=recip.lead("fenland"),
        json={"org": "peterborough", "signed_on": "2026-10-02", "partner_signatory": "A", "coordinator_signatory": "B"},
    )
    assert r.status_code == 403
    partners = (await recip.client.get(f"/schemes/{recip.coord}/partners", headers=recip.coordinator())).json()
    assert {p["org"]: p["status"] for p in partners}["peterborough"] == "candidate"


@pytest.mark.rule("reciprocal.tracking")
@BOTH_DATABASES
async def test_report_counts_referrals_moves_and_time_to_move(recip):
    """Seed 002 §3: "Monitoring and tracking referrals and keeping all partners up-to-date with progress"."""
    arc = await recip.accepted()
    await recip.refer()
    await recip.offer("cambridge")
    await recip.offered(arc)
    await recip.client.post(f"/referrals/{arc}/offer", json={"accepted": True}, headers=recip.coordinator())
    await recip.client.post(
        f"/referrals/{arc}/move", json={"tenancy_start": "2026-12-01"}, headers=recip.lead("cambridge")
    )
    report = (await recip.client.get(f"/schemes/{recip.coord}/report", headers=recip.coordinator())).json()
    assert report["referrals"] == 2 and report["moves"] == 1
    assert report["days_to_move_average"] is not None and report["days_to_move_p90"] is not None
    assert {(b["partner"], b["balance"]) for b in report["ledger_balances"]} == {("fenland", -1), ("cambridge", 1)}
    r = await recip.client.get(
        f"/schemes/{recip.coord}/report",
        params={"start": "2026-12-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"},
        headers=recip.coordinator(),
    )
    assert r.status_code == 422 and "end" in r.text


def test_percentile_is_nearest_rank():
    assert percentile([], 90) is None
    assert percentile([5.0], 90) == 5.0
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile(list(range(1, 101)), 90) == 90


@pytest.mark.rule("reciprocal.multi-agency-panels")
async def test_partners_invite_the_coordinator_to_multi_agency_panels(recip):
    """Seed 002 §3: partners are responsible for "Inviting Cambridgeshire Specialist DA Services or
    supporting partner representatives to multi-agency panels/meetings as relevant"."""
    arc = await recip.accepted()
    path = f"/schemes/{recip.coord}/partners/fenland/panel-invitations"
    r = await recip.client.post(
        path, json={"panel": "marac", "meeting_on": "2026-12-03", "arc": arc}, headers=recip.lead("fenland")
    )
    assert r.status_code == 201, r.text
    r = await recip.client.post(
        path, json={"panel": "marac", "meeting_on": "2026-12-03"}, headers=recip.lead("cambridge")
    )
    assert r.status_code == 403
    r = await recip.client.post(
        f"/schemes/{recip.coord}/partners/cambridge/panel-invitations",
        json={"panel": "marac", "meeting_on": "2026-12-03", "arc": arc},
        headers=recip.lead("cambridge"),
    )
    assert r.status_code == 422 and "arc" in r.text
    listed = (await recip.client.get(f"/schemes/{recip.coord}/panel-invitations", headers=recip.coordinator())).json()
    assert [(i["partner"], i["panel"], i["arc"]) for i in listed] == [("fenland", "marac", arc)]
    assert await _outbox_subjects(recip, "panel-invited") == [
        f"haven.reciprocal.evt.panel-invited.v1.fenland.{recip.coord}"
    ]
