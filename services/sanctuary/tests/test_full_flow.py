"""A full referral → assessment → works → survey flow over a real nats-server, for Dartford
(seed ``004_d4b796f614d2cfd3.txt``, the reference process) and for SE London variants from
their plugins (seed ``001_2a45bb55c36fcb52.txt``: Lewisham's timescales, Bexley's Bobby Van).
Every step is an HTTP call and an event; no event carries a personal field."""

from __future__ import annotations

from datetime import datetime

import pytest

from haven_runtime.testing import eventually

PERSONAL = (
    "Alex Invented",
    "Example Road",
    "DA1 1AA",
    "01322 000000",
    "1990-01-02",
    "Invented reason",
    "Sam Referrer",
    "sam@example.org",
    "01322 111111",
    "Example Homes",
    "private_sector_tenant",
)

DARTFORD_STEPS = [
    "referral-received",
    "landlord-permission-requested",
    "funding-decided",
    "landlord-permission-given",
    "eligibility-decided",
    "inspection-requested",
    "inspection-booked",
    "recommendations-received",
    "works-ordered",
    "works-completed",
    "survey-sent",
    "survey-returned",
    "referral-closed",
]


def _assert_no_personal_data(events) -> None:
    for msg in events.messages:
        text = msg.data.decode() + str(msg.headers)
        for value in PERSONAL:
            assert value not in text, (msg.subject, value)


@pytest.mark.rule(
    "dartford.case-logged",
    "dartford.satisfaction-survey",
    "dartford.police-within-3-working-days",
    "dartford.works-within-24-hours",
)
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_dartford_full_flow(start_service, token, form, walk, bus_events, db_backend):
    """Seed 004_d4b796f614d2cfd3.txt: referral form (Appendix A) → landlord permission (s.7) →
    eligibility (s.7) → police inspection and recommendations (s.9) → works arranged and
    completed (s.9) → customer-satisfaction survey (s.11) → case logged (s.9)."""
    client = await start_service("sanctuary")
    w = walk(client, "dartford")
    r = await client.post(
        "/referrals", json=form(tenure="private_sector_tenant"), headers=token("bexley", "options_officer")
    )
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    await w.ok("POST", f"/referrals/{ref}/landlord-permission", json={"decision": "given"})
    await w.meet_all(ref)
    await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    body = await w.ok("POST", f"/referrals/{ref}/inspection/request", json={})
    assert body["status"] == "inspection_requested" and body["clocks"] == []
    police = token("kent-police", "police_cpo", sub="kent-cpo-1")
    await w.ok(
        "POST", f"/referrals/{ref}/inspection/booking", headers=police, json={"appointment_at": "2026-12-01T10:00:00Z"}
    )
    body = await w.ok(
        "POST",
        f"/referrals/{ref}/inspection/recommendations",
        headers=police,
        json={"measures": ["mortice_lock", "door_viewer", "security_lighting"], "note": "invented note"},
    )
    assert [c["key"] for c in body["clocks"]] == ["works_arranged"]
    body = await w.ok(
        "POST",
        f"/referrals/{ref}/works",
        json={"contractor": "Example Locks Ltd", "contractor_due_at": "2099-01-10T12:00:00Z"},
    )
    assert [c["key"] for c in body["clocks"]] == ["works_completion"] and body["works_due_at"] == "2099-01-10T12:00:00Z"
    body = await w.ok("POST", f"/referrals/{ref}/works/complete", json={"cost_pence": 65000})
    assert body["status"] == "survey_sent"
    await w.ok(
        "POST", f"/referrals/{ref}/survey", json={"satisfaction": 5, "felt_safer": True, "comments": "Invented comment"}
    )
    body = await w.ok("POST", f"/referrals/{ref}/close", json={"outcome": "completed"})
    assert body["status"] == "closed" and body["funding"] == "preventing_homelessness_grant"

    assert (await client.get(f"/referrals/{ref}/status", headers=token("bexley", "options_officer"))).json()[
        "status"
    ] == "closed"
    history = [h["step"] for h in (await client.get(f"/referrals/{ref}/history", headers=w.officer)).json()]
    assert history[0] == "referral_received" and history[-1] == "closed" and "survey_returned" in history
    await eventually(lambda: "referral-closed" in bus_events.names())
    assert bus_events.names() == DARTFORD_STEPS
    assert {m.subject.split(".")[-1] for m in bus_events.messages} == {"dartford"}
    assert bus_events.of("inspection-requested")[0]["due_at"] is None  # Dartford's clock stops at the request
    assert bus_events.of("recommendations-received")[0]["measures"] == [
        "mortice_lock",
        "door_viewer",
        "security_lighting",
    ]
    _assert_no_personal_data(bus_events)


@pytest.mark.rule("lewisham.sanctuary-assessment", "lewisham.sanctuary-installation")
async def test_lewisham_variant_complex_sanctuary_from_its_plugin(start_service, token, form, walk, bus_events):
    """Seed 001_2a45bb55c36fcb52.txt (Lewisham): "Between 24-48 hours to complete a Risk
    Assessment. Within two working days, appointment made for CPO to assess property. Within 5
    working days, contractor will install the security measures. For more complicated
    sanctuary, within 10 working days." The clocks run and stop at their steps."""
    client = await start_service("sanctuary")
    w = walk(client, "lewisham")
    lewisham_form = form(scheme="lewisham", tenure="council_tenant")
    r = await client.post("/referrals", json=lewisham_form, headers=token("lewisham", "options_officer"))
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    item = (await client.get("/referrals", headers=w.officer)).json()[0]
    assert {c["key"] for c in item["clocks"]} == {"risk_assessment", "cpo_appointment"}
    risk = next(c for c in item["clocks"] if c["key"] == "risk_assessment")
    cpo_due = next(c for c in item["clocks"] if c["key"] == "cpo_appointment")["due_at"]
    assert risk["target_at"] < risk["due_at"]
    await w.meet_all(ref)
    body = await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    assert [c["key"] for c in body["clocks"]] == ["cpo_appointment"]
    await w.ok("POST", f"/referrals/{ref}/inspection/request", json={})
    body = await w.ok(
        "POST",
        f"/referrals/{ref}/inspection/booking",
        headers=w.police,
        json={"appointment_at": "2026-12-01T10:00:00Z"},
    )
    assert body["clocks"] == []
    await w.ok(
        "POST",
        f"/referrals/{ref}/inspection/recommendations",
        headers=w.police,
        json={"measures": ["pas_24_door", "fencing_2m"]},
    )
    body = await w.ok("POST", f"/referrals/{ref}/works", json={"contractor": "Example Builders", "category": "complex"})
    assert [c["key"] for c in body["clocks"]] == ["installation_complex"]
    await w.ok("POST", f"/referrals/{ref}/works/complete", json={"cost_pence": 250000})
    await w.ok("POST", f"/referrals/{ref}/survey", json={"satisfaction": 4})
    body = await w.ok("POST", f"/referrals/{ref}/close", json={"outcome": "completed"})
    assert body["funding"] == "existing_budget" and body["landlord_permission"] == "not_applicable"
    await eventually(lambda: "referral-closed" in bus_events.names())
    assert bus_events.of("works-ordered")[0]["category"] == "complex"
    requested = bus_events.of("inspection-requested")[0]
    assert datetime.fromisoformat(requested["due_at"]) == datetime.fromisoformat(cpo_due)
    assert {m.subject.split(".")[-1] for m in bus_events.messages} == {"lewisham"}
    _assert_no_personal_data(bus_events)


@pytest.mark.rule("bexley.bobby-van")
async def test_bexley_bobby_van_measures_extend_the_catalogue(start_service, token, form, walk, bus_events):
    """Seed 001_2a45bb55c36fcb52.txt (Bexley): "Bobby Van — Secures windows/doors/new front door,
    spy-holes, link-line alarms in client's property directly linked to local police"."""
    client = await start_service("sanctuary")
    w = walk(client, "bexley")
    catalogue = {m["key"] for m in (await client.get("/schemes/bexley")).json()["catalogue"]}
    assert {"link_line_alarm", "spy_hole", "new_front_door", "door_chain"} <= catalogue
    assert "link_line_alarm" not in {m["key"] for m in (await client.get("/schemes/dartford")).json()["catalogue"]}
    ref = (
        await client.post("/referrals", json=form(scheme="bexley"), headers=token("bexley", "options_officer"))
    ).json()["ref"]
    await w.to_recommendations(ref, measures=("link_line_alarm", "spy_hole"))
    await w.ok("POST", f"/referrals/{ref}/works", json={"contractor": "Bobby Van", "category": "emergency"})
    await w.ok("POST", f"/referrals/{ref}/works/complete", json={"cost_pence": 0})
    await eventually(lambda: "survey-sent" in bus_events.names())
    assert bus_events.of("works-ordered")[0]["measures"] == ["link_line_alarm", "spy_hole"]
