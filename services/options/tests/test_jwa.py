"""The Joint Working Agreement between two boroughs over a real nats-server (``000_93a7cd5d2a8b6030.txt``).

Path 1: "Where borough A has accepted a duty to a client who then decides to approach borough B
... borough A will make contact with borough B in advance using a list of named officers with DV
leads and team managers ... an email/fax providing relevant information as appropriate".
Path 2: "Where a client approaches borough B without borough A's knowledge, information will be
sent through by email/fax as soon as requested. In this instance, if necessary and time
depending boroughs agree that a one night booking for temporary accommodation will be provided
by borough B."
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import nats
import pytest

from haven_contracts.plugin.directory import DirectoryData, OfficerRecord
from haven_options import jwa_requests
from haven_options.clocks import check_overdue
from haven_runtime.app import context_of
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.testing import eventually, flushed
from haven_runtime.testing.plugins import normalise, seed_text

REFERRAL = {"purpose": "referral"}  # haven_runtime.audit.PURPOSES


A, B = "bexley", "bromley"
JWA = "000_93a7cd5d2a8b6030.txt"


def _subgroup_plugin(h):
    def haven_directory_data(org):
        return DirectoryData(
            officers=(
                OfficerRecord(
                    key=f"{org}-homelessness-subgroup",
                    org=org,
                    name=f"{org} sub-group member (invented)",
                    positions=("homelessness_subgroup_member",),
                ),
            )
        )

    return h.plugin("test-subgroup", (A, B), haven_directory_data=haven_directory_data)


@pytest.fixture
async def suite(start_service, haven_settings, nats_server, h):
    """Directory (shipped plugins plus invented sub-group members) and options, and a tap on every subject."""
    manager = build_plugin_manager(haven_settings)
    assert manager.register(_subgroup_plugin(h), name="test-subgroup") is not None
    directory = await start_service("directory", plugins=manager)
    options = await start_service("options")
    nc = await nats.connect(nats_server.url)
    seen: list = []

    async def collect(msg):
        seen.append(msg)

    await nc.subscribe(">", cb=collect)
    await flushed(nc)
    yield options, directory, seen
    await nc.close()


async def _settle(seen, quiet: float = 0.5) -> None:
    """Wait until the tap has seen no new Haven subject for ``quiet`` seconds (the in-process
    test client runs the app beside this loop, so the tap reads its backlog a little later).
    JetStream's own traffic (pull requests every second from each durable consumer, their
    replies) never stops, so only ``haven.`` subjects count."""

    def published() -> int:
        return sum(1 for m in seen if m.subject.startswith("haven."))

    count, last = -1, asyncio.get_running_loop().time()
    while asyncio.get_running_loop().time() - last < quiet:
        if published() != count:
            count, last = published(), asyncio.get_running_loop().time()
        await asyncio.sleep(0.05)


async def _assert_no_personal_fields(seen, values):
    await _settle(seen)
    published = [m for m in seen if not m.subject.startswith("_INBOX")]
    assert published, "the tap saw nothing"
    for msg in published:
        blob = (msg.subject + msg.data.decode(errors="replace") + repr(dict(msg.headers or {}))).lower()
        leaked = [v for v in values if v.lower() in blob]
        assert not leaked, f"{msg.subject} carries {leaked}"
    replies = [m for m in seen if m.subject.startswith("_INBOX")]
    assert any(values[0] in m.data.decode(errors="replace") for m in replies), (
        "the tap must see the authorised reply on _INBOX"
    )


@pytest.mark.rule("jwa.advance-notification")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_advance_contact_shares_consented_information_with_b_named_officers(suite, token, h):
    """Path 1 end to end: consent-checked sharing, B's inbox with the information, acknowledgement; no personal field on
    the bus."""
    options, _, seen = suite
    a_case = await h.open_case(options, token(A), duty_accepted=True)
    notify = {"case_ref": a_case["ref"], "to_org": B, "share_information": True}
    refused = await options.post("/jwa/notifications", json=notify, headers=token(A))
    assert refused.status_code == 409 and "consent" in refused.json()["detail"]
    await options.post(
        f"/cases/{a_case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": B}, headers=token(A)
    )
    r = await options.post("/jwa/notifications", json=notify, headers=token(A))
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["addressed_to"] == ["bromley-dv-lead", "bromley-team-manager"] and sent["information_shared"] is True

    inbox = await eventually(lambda: _get(options, "/jwa/inbox", token(B, "dv_lead")))
    assert inbox[0]["ref"] == sent["ref"] and inbox[0]["information_shared"] is True
    item = await options.get(
        f"/jwa/inbox/{sent['ref']}", params=REFERRAL, headers=token(B, "dv_lead", sub="bromley-dv-lead")
    )
    assert item.status_code == 200, item.text
    info = item.json()["information"]
    assert info["person"]["name"] == h.PERSON["name"] and info["person"]["phone"] == h.PERSON["phone"]
    assert (
        info["person"]["date_of_birth"] == h.PERSON["date_of_birth"]
        and info["person"]["safe_contact"] == h.PERSON["safe_contact"]
    )
    assert (
        await options.get(f"/jwa/inbox/{sent['ref']}", params=REFERRAL, headers=token(A, "dv_lead"))
    ).status_code == 403
    not_named = await options.get(
        f"/jwa/inbox/{sent['ref']}", params=REFERRAL, headers=token(B, "options_officer", sub="officer-9")
    )
    assert not_named.status_code == 403 and "named" in not_named.json()["detail"]

    ack = await options.post(f"/jwa/inbox/{sent['ref']}/acknowledge", headers=token(B, "dv_lead"))
    assert ack.status_code == 200
    assert (await options.post(f"/jwa/inbox/{sent['ref']}/acknowledge", headers=token(B, "dv_lead"))).status_code == 409
    await eventually(lambda: [m for m in seen if m.subject == f"haven.options.evt.move-acknowledged.v1.{B}.{A}"])

    audit = await h.on_app(
        options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", a_case["ref"])
    )
    shares = [e for e in audit if e.action == "share"]
    assert shares and shares[0].actor_org == B and shares[0].actor == "bromley:bromley-dv-lead"
    await _assert_no_personal_fields(seen, h.PERSONAL_VALUES)


@pytest.mark.rule("jwa.information-as-soon-as-requested", "jwa.one-night-ta", "jwa.monitoring")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_approach_to_b_without_a_knowing_information_request_one_night_and_monitoring(suite, token, h):
    """Path 2 end to end, then the sub-group's monitoring of the pair; no personal field on the bus."""
    options, _, seen = suite
    a_case = await h.open_case(options, token(A), duty_accepted=True)
    await options.post(
        f"/cases/{a_case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": B}, headers=token(A)
    )
    b_case = await h.open_case(options, token(B), from_org=A, unable_to_return_home=True, homelessness="homeless")
    r = await options.post(
        "/jwa/information-requests",
        json={"case_ref": b_case["ref"], "to_org": A, "their_case_ref": a_case["ref"]},
        headers=token(B),
    )
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]

    received = await eventually(lambda: _due(options, ref, token(A, "dv_lead")))
    assert received["responder_org"] == A and received["due_at"] is not None
    assert (
        await options.post(
            f"/jwa/information-requests/{ref}/respond",
            json={"share": True, "case_ref": a_case["ref"]},
            headers=token(B),
        )
    ).status_code == 403
    r = await options.post(
        f"/jwa/information-requests/{ref}/respond", json={"share": True, "case_ref": a_case["ref"]}, headers=token(A)
    )
    assert r.status_code == 200, r.text
    again = await options.post(f"/jwa/information-requests/{ref}/respond", json={"share": False}, headers=token(A))
    assert again.status_code == 409

    answered = await eventually(lambda: _answered(options, ref, token(B)))
    other = await options.get(f"/jwa/information-requests/{ref}", params=REFERRAL, headers=token(B, sub="officer-9"))
    assert other.status_code == 403
    assert answered["information"]["person"]["name"] == h.PERSON["name"]
    assert answered["information"]["household_children"] == 0

    ta = await options.post(
        f"/cases/{b_case['ref']}/temporary-accommodation", json={"night_of": "2026-11-27"}, headers=token(B)
    )
    assert ta.status_code == 201 and ta.json()["ends_on"] == "2026-11-28" and ta.json()["from_org"] == A
    double = await options.post(
        f"/cases/{b_case['ref']}/temporary-accommodation", json={"night_of": "2026-11-27"}, headers=token(B)
    )
    assert double.status_code == 409
    extend = f"/cases/{b_case['ref']}/temporary-accommodation/{ta.json()['ref']}/extend"
    assert (
        await options.post(extend, json={"until": "2026-11-30", "reason": "refuge space from Monday"}, headers=token(B))
    ).status_code == 403
    ext = await options.post(
        extend, json={"until": "2026-11-30", "reason": "refuge space from Monday"}, headers=token(B, "team_manager")
    )
    assert ext.status_code == 200 and ext.json()["ends_on"] == "2026-11-30"

    await options.post(
        f"/cases/{b_case['ref']}/options/offer", json={"option_ids": ["bromley-refugeline"]}, headers=token(B)
    )
    listed = {o["id"]: o for o in (await options.get(f"/cases/{b_case['ref']}/options", headers=token(B))).json()}
    refugeline = {"purpose": "contact_agency", "recipient": listed["bromley-refugeline"]["consent_recipient"]}
    assert (
        await options.post(f"/cases/{b_case['ref']}/consents", json=refugeline, headers=token(B))
    ).status_code == 201
    chosen = await options.post(
        f"/cases/{b_case['ref']}/options/bromley-refugeline/decision", json={"decision": "chosen"}, headers=token(B)
    )
    assert chosen.status_code == 200, chosen.text
    await options.post("/jwa/notifications", json={"case_ref": a_case["ref"], "to_org": B}, headers=token(A))
    window = {
        "from": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "to": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
    }
    report = await eventually(lambda: _report(options, window, token(B, "subgroup_member")))
    pair = next(p for p in report["pairs"] if (p["from_org"], p["to_org"]) == (A, B))
    assert pair["notifications"] == 1 and pair["information_requests"] == 1 and pair["information_provided"] == 1
    assert pair["one_night_bookings"] == 1 and pair["breaches"] == 0
    assert pair["options_offered"] == {"refuge": 1} and pair["outcomes"] == {"refuge:chosen": 1}
    assert (
        pair["response_minutes_median"] is not None and pair["response_minutes_p90"] >= pair["response_minutes_median"]
    )
    csv_r = await options.get("/monitoring/jwa", params=window | {"format": "csv"}, headers=token(B, "subgroup_member"))
    rows = list(csv.DictReader(io.StringIO(csv_r.text)))
    assert any(
        r["from_org"] == A and r["to_org"] == B and r["notifications"] == "1" and r["outcomes"] == "refuge:chosen=1"
        for r in rows
    )
    bad = await options.get(
        "/monitoring/jwa", params={"from": window["to"], "to": window["from"]}, headers=token(B, "subgroup_member")
    )
    assert bad.status_code == 422 and "to" in bad.json()["detail"]
    await _assert_no_personal_fields(seen, h.PERSONAL_VALUES)


@pytest.mark.rule("jwa.information-as-soon-as-requested")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_unanswered_request_breaches_and_escalates_to_a_team_manager(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "as soon as requested" — a clock (default the same working day); a breach escalates to
    A's team manager."""
    options, _, seen = suite
    b_case = await h.open_case(options, token(B), from_org=A)
    ref = (
        await options.post("/jwa/information-requests", json={"case_ref": b_case["ref"], "to_org": A}, headers=token(B))
    ).json()["ref"]
    received = await eventually(lambda: _due(options, ref, token(A)))
    due = datetime.fromisoformat(received["due_at"])
    ctx = context_of(options.app)

    async def check(now):
        return (await h.on_app(options, lambda: check_overdue(ctx, now)))["information_requests"]

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(minutes=1)) == [ref]
    assert await check(due + timedelta(hours=1)) == []
    msg = (
        await eventually(lambda: [m for m in seen if m.subject == f"haven.options.evt.information-overdue.v1.{A}.{B}"])
    )[0]
    assert msg_json(msg)["escalated_to"] == ["bexley-team-manager"]
    window = {"from": (due - timedelta(days=2)).isoformat(), "to": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}
    report = (await options.get("/monitoring/jwa", params=window, headers=token(A, "dv_lead"))).json()
    assert next(p for p in report["pairs"] if (p["from_org"], p["to_org"]) == (A, B))["breaches"] == 1


@pytest.mark.rule("jwa.dispute-escalation")
async def test_disputes_escalate_to_each_boroughs_homelessness_subgroup_member(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "the disputed case should be referred to the appropriate member of the homelessness sub
    group for each borough concerned"."""
    options, _, _ = suite
    r = await options.post(
        "/jwa/disputes",
        json={"other_org": B, "case_ref": "CASE-7K3QD9X2MB", "summary": "who owes the duty"},
        headers=token(A, "team_manager"),
    )
    assert r.status_code == 201, r.text
    ref = r.json()["ref"]
    assert [d["ref"] for d in (await options.get("/jwa/disputes", headers=token(B, "dv_lead"))).json()] == [ref]
    assert (
        await options.post(f"/jwa/disputes/{ref}/escalate", headers=token("lewisham", "dv_lead"))
    ).status_code == 403
    await _table(options, token, ref)
    esc = await options.post(f"/jwa/disputes/{ref}/escalate", headers=token(B, "subgroup_member"))
    assert esc.status_code == 200
    members = esc.json()["escalated_to"]
    # each borough concerned, and only those: the shipped plugins' members and the test plugin's
    assert {m.split("-")[0] for m in members} == {A, B}
    assert {"bexley-subgroup-member", "bromley-subgroup-member", "bexley-homelessness-subgroup"} <= set(members)
    assert (await options.post(f"/jwa/disputes/{ref}/escalate", headers=token(B, "dv_lead"))).status_code == 409
    assert (await options.post(f"/jwa/disputes/{ref}/resolve", headers=token(A, "dv_lead"))).status_code == 200
    assert (await options.post(f"/jwa/disputes/{ref}/resolve", headers=token(A, "dv_lead"))).status_code == 409


def _london_today():
    return datetime.now(ZoneInfo("Europe/London")).date()


async def _table(options, token, ref, meeting_on=None):
    r = await options.post(
        f"/jwa/disputes/{ref}/tabled",
        json={"meeting_on": (meeting_on or _london_today()).isoformat()},
        headers=token(A, "team_manager"),
    )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.rule("jwa.dispute-tabled-at-subgroup", "jwa.quarterly-sub-group")
async def test_a_dispute_is_escalated_only_after_the_dv_subgroup_met_on_it(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "A DV sub-group will meet quarterly ... In the unlikely event of boroughs not being
    able to reach agreement at this forum, the disputed case should be referred to the appropriate member of the
    homelessness sub group": the forum is in the directory with its quarterly schedule, and escalation waits for a
    tabled meeting."""
    options, directory, _ = suite
    forums = (await directory.get("/catalogue/forums", params={"org": A}, headers=token(A, "dv_lead"))).json()
    subgroup = next(f for f in forums if f["key"] == f"{A}-jwa-dv-subgroup")
    assert subgroup["cadence"] == "quarterly"
    assert (subgroup["schedule"]["freq"], subgroup["schedule"]["interval"]) == ("MONTHLY", 3)
    assert set(subgroup["members"]) == {"bexley", "bromley", "greenwich", "lewisham", "southwark"}
    assert "A DV sub-group will meet quarterly" in normalise(seed_text(JWA))

    r = await options.post(
        "/jwa/disputes", json={"other_org": B, "case_ref": "CASE-7K3QD9X2MC"}, headers=token(A, "team_manager")
    )
    ref = r.json()["ref"]
    early = await options.post(f"/jwa/disputes/{ref}/escalate", headers=token(B, "subgroup_member"))
    assert early.status_code == 409 and "has not been tabled at a DV sub-group meeting" in early.json()["detail"]
    future = await options.post(
        f"/jwa/disputes/{ref}/tabled",
        json={"meeting_on": (_london_today() + timedelta(days=1)).isoformat()},
        headers=token(A, "team_manager"),
    )
    assert future.status_code == 422 and "meeting_on" in future.text
    before = await options.post(
        f"/jwa/disputes/{ref}/tabled",
        json={"meeting_on": (_london_today() - timedelta(days=3)).isoformat()},
        headers=token(A, "team_manager"),
    )
    assert before.status_code == 422 and "before the dispute was raised" in before.text
    assert (
        await options.post(
            f"/jwa/disputes/{ref}/tabled",
            json={"meeting_on": _london_today().isoformat()},
            headers=token("lewisham", "dv_lead"),
        )
    ).status_code == 403
    tabled = await _table(options, token, ref)
    assert (tabled["tabled_meeting_on"], tabled["tabled_forum"]) == (
        _london_today().isoformat(),
        f"{A}-jwa-dv-subgroup",
    )
    again = await options.post(
        f"/jwa/disputes/{ref}/tabled", json={"meeting_on": _london_today().isoformat()}, headers=token(B, "dv_lead")
    )
    assert again.status_code == 409
    # the other borough's row (its consumer) shows the meeting too, so either side may then escalate
    seen = await eventually(lambda: _tabled_for(options, token(B, "dv_lead"), ref))
    assert seen["tabled_meeting_on"] == _london_today().isoformat()
    assert (await options.post(f"/jwa/disputes/{ref}/escalate", headers=token(B, "subgroup_member"))).status_code == 200


async def _tabled_for(options, headers, ref):
    rows = (await options.get("/jwa/disputes", headers=headers)).json()
    return next((d for d in rows if d["ref"] == ref and d["tabled_meeting_on"]), None)


ACCEPTED_A_DUTY = (
    "Where borough A has accepted a duty to a client who then decides to approach borough B and where they notify "
    "Borough A of their intention to do so, borough A will make contact with borough B in advance"
)


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_advance_contact_needs_a_case_here_on_which_a_duty_was_accepted(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "Where borough A has accepted a duty to a client ... borough A will make contact with
    borough B in advance". A reference that is no case of A's is refused (422 naming case_ref); a case with no accepted
    duty is refused (409) until an officer records the duty accepted after opening (not in the future, audited)."""
    assert normalise(ACCEPTED_A_DUTY) in seed_text(JWA)
    options, _, seen = suite
    nowhere = await options.post(
        "/jwa/notifications", json={"case_ref": "CASE-7K3QD9X2MB", "to_org": B}, headers=token(A)
    )
    assert nowhere.status_code == 422 and "case_ref" in nowhere.json()["detail"]
    b_case = await h.open_case(options, token(B), duty_accepted=True)
    theirs = await options.post(
        "/jwa/notifications", json={"case_ref": b_case["ref"], "to_org": "lewisham"}, headers=token(A)
    )
    assert theirs.status_code == 422 and "case_ref" in theirs.json()["detail"]  # the same answer as for no case at all

    a_case = await h.open_case(options, token(A))
    notify = {"case_ref": a_case["ref"], "to_org": B}
    no_duty = await options.post("/jwa/notifications", json=notify, headers=token(A))
    assert no_duty.status_code == 409 and "accepted a duty" in no_duty.json()["detail"]
    assert (await options.get("/jwa/notifications", headers=token(A))).json() == []

    url = f"/cases/{a_case['ref']}/duty-accepted"
    assert (await options.get(url, headers=token(A))).json()["duty_accepted"] is False
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ahead = await options.post(url, json={"accepted_at": future}, headers=token(A))
    assert ahead.status_code == 422 and "accepted_at" in ahead.json()["detail"]
    accepted = await options.post(url, json={}, headers=token(A, sub="bexley-officer-2"))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["duty_accepted"] is True and accepted.json()["accepted_by"] == "bexley-officer-2"
    assert (await options.post(url, json={}, headers=token(A))).status_code == 409
    assert (await options.post(url, json={}, headers=token(B))).status_code == 403
    trail = (
        await options.get("/-/audit", params={"entity": "case", "ref": a_case["ref"]}, headers=token(A, "auditor"))
    ).json()
    assert [e["actor"] for e in trail if e["action"] == "accept_duty"] == ["bexley-officer-2"]

    sent = await options.post("/jwa/notifications", json=notify, headers=token(A))
    assert sent.status_code == 201, sent.text
    await eventually(lambda: [m for m in seen if m.subject == f"haven.options.evt.move-notified.v1.{A}.{B}"])


AS_SOON_AS_REQUESTED = "information will be sent through by email/fax as soon as requested"


async def test_information_request_answers_its_due_time_at_once_by_the_responders_rule(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: "information will be sent through by email/fax as soon as requested".

    The asking borough learns by when A must answer in the reply to its POST, computed by the one
    rule A's consumer uses when the request arrives (``response_deadline``): A's receipt keeps it."""
    assert AS_SOON_AS_REQUESTED in seed_text(JWA)
    options = await start_service("options")
    b_case = await h.open_case(options, token(B), from_org=A)
    r = await options.post("/jwa/information-requests", json={"case_ref": b_case["ref"], "to_org": A}, headers=token(B))
    assert r.status_code == 201, r.text
    made = r.json()
    requested_at = datetime.fromisoformat(made["requested_at"])
    assert made["due_at"] is not None
    ctx = context_of(options.app)
    assert (
        datetime.fromisoformat(made["due_at"])
        == jwa_requests.response_deadline(ctx, A, requested_at).due_at
        > requested_at
    )
    received = await eventually(lambda: _received(options, made["ref"], token(A, "dv_lead")))
    assert received["due_at"] == made["due_at"]


async def test_a_request_made_by_phone_and_keyed_later_runs_the_clock_from_the_call(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: "information will be sent through by email/fax as soon as requested" — the clock runs
    from when B asked A (a telephone call on Friday at 16:50), not from when B's officer keyed the request in; the time
    may not be in the future nor before the client approached B, and is audited beside the keying time."""
    assert AS_SOON_AS_REQUESTED in seed_text(JWA)
    options = await start_service("options")
    approached = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    phoned = datetime(2026, 11, 20, 16, 50, tzinfo=UTC)
    b_case = await h.open_case(options, token(B), from_org=A, approached_at=approached.isoformat())
    body = {"case_ref": b_case["ref"], "to_org": A}
    future = await options.post(
        "/jwa/information-requests",
        json=body | {"requested_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
        headers=token(B),
    )
    assert future.status_code == 422 and "requested_at" in future.json()["detail"]
    before = await options.post(
        "/jwa/information-requests",
        json=body | {"requested_at": (approached - timedelta(hours=1)).isoformat()},
        headers=token(B),
    )
    assert before.status_code == 422 and "approached" in before.json()["detail"]

    r = await options.post(
        "/jwa/information-requests", json=body | {"requested_at": phoned.isoformat()}, headers=token(B)
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert datetime.fromisoformat(made["requested_at"]) == phoned
    expected = jwa_requests.response_deadline(context_of(options.app), A, phoned).due_at
    assert datetime.fromisoformat(made["due_at"]) == expected
    received = await eventually(lambda: _received(options, made["ref"], token(A)))
    assert datetime.fromisoformat(received["due_at"]) == expected  # A's consumer computes the same clock from the call
    trail = (
        await options.get(
            "/-/audit", params={"entity": "jwa_information_request", "ref": made["ref"]}, headers=token(B, "auditor")
        )
    ).json()
    assert [e["action"] for e in trail] == ["create"]
    table = context_of(options.app).store.audit_writer.table
    (row,) = await h.on_app(
        options,
        lambda: table.select(table.detail).where((table.entity_ref == made["ref"]) & (table.action == "create")),
    )
    detail = msgspec.json.decode(row["detail"]) if isinstance(row["detail"], (str, bytes)) else row["detail"]
    assert (
        datetime.fromisoformat(detail["requested_at"]) == phoned and datetime.fromisoformat(detail["keyed_at"]) > phoned
    )


async def test_an_answer_refused_for_want_of_consent_is_in_the_requests_audit_trail(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: information is sent "as soon as requested" — but details move
    only with recorded consent; a share refused for want of it (409) is audited on the request, and changes nothing."""
    options = await start_service("options")
    a_case = await h.open_case(options, token(A), duty_accepted=True)
    b_case = await h.open_case(options, token(B), from_org=A)
    ref = (
        await options.post("/jwa/information-requests", json={"case_ref": b_case["ref"], "to_org": A}, headers=token(B))
    ).json()["ref"]
    await eventually(lambda: _received(options, ref, token(A)))
    answer = {"share": True, "case_ref": a_case["ref"]}
    refused = await options.post(
        f"/jwa/information-requests/{ref}/respond", json=answer, headers=token(A, sub="bexley-officer-3")
    )
    assert refused.status_code == 409 and "share_with_borough" in refused.json()["detail"]
    still = (
        await options.get(f"/jwa/information-requests/{ref}", params={"purpose": "casework"}, headers=token(A))
    ).json()
    assert still["provided_at"] is None and still["information_shared"] is False
    trail = await options.get(
        "/-/audit", params={"entity": "jwa_information_request", "ref": ref}, headers=token(A, "auditor")
    )
    assert trail.status_code == 200, trail.text
    refusals = [e for e in trail.json() if e["action"] == "refuse"]
    assert [(e["actor"], e["actor_org"]) for e in refusals] == [("bexley-officer-3", A)]
    await options.post(
        f"/cases/{a_case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": B}, headers=token(A)
    )
    assert (
        await options.post(f"/jwa/information-requests/{ref}/respond", json=answer, headers=token(A))
    ).status_code == 200
    actions = [
        e["action"]
        for e in (
            await options.get(
                "/-/audit", params={"entity": "jwa_information_request", "ref": ref}, headers=token(A, "auditor")
            )
        ).json()
    ]
    assert actions.count("refuse") == 1 and actions[-1] == "respond"


def msg_json(msg):
    return msgspec.json.decode(msg.data)


async def _get(client, path, headers):
    r = await client.get(path, params=REFERRAL, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def _due(client, ref, headers):
    body = await _get(client, f"/jwa/information-requests/{ref}", headers)
    return body if body["due_at"] else None


async def _received(client, ref, headers):
    body = await _get(client, f"/jwa/information-requests/{ref}", headers)
    return body if body["received_at"] else None


async def _answered(client, ref, headers):
    body = await _get(client, f"/jwa/information-requests/{ref}", headers)
    return body if body["provided_at"] and body["information"] else None


async def _report(client, window, headers):
    r = await client.get("/monitoring/jwa", params=window, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    pairs = {(p["from_org"], p["to_org"]): p for p in body["pairs"]}
    ready = pairs.get((A, B), {})
    return body if ready.get("notifications") and ready.get("information_provided") else None


@pytest.mark.rule("jwa.information-as-soon-as-requested")
async def test_the_borough_asked_identifies_its_client_from_the_requesters_details_with_consent(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "Where a client approaches borough B without borough A's knowledge, information will be
    sent through by email/fax as soon as requested" — A cannot answer until it knows which of its clients B means. A
    fetches the name and date of birth of B's client from B over request/reply (consent-checked by B, audited on both
    sides, never an event) and matches them against its own cases."""
    options, _, seen = suite
    person = h.PERSON
    a_case = await h.open_case(options, token(A), duty_accepted=True)  # the same person, known to A
    await h.open_case(options, token(A), person={"name": "Someone Else-Invented", "date_of_birth": "1985-06-07"})
    await h.open_case(
        options, token(A), person={"name": person["name"], "date_of_birth": "1970-01-01"}
    )  # same name, not her
    b_case = await h.open_case(options, token(B))
    ref = (
        await options.post("/jwa/information-requests", json={"case_ref": b_case["ref"], "to_org": A}, headers=token(B))
    ).json()["ref"]
    await eventually(lambda: _received(options, ref, token(A)))
    url = f"/jwa/information-requests/{ref}/identify"

    # without B's client's consent to share with A, B refuses and both sides audit it
    refused = await options.post(url, params={"purpose": "casework"}, headers=token(A, sub="bexley-officer-7"))
    assert refused.status_code == 409 and "no_consent" in refused.json()["detail"]
    b_trail = (
        await options.get("/-/audit", params={"entity": "case", "ref": b_case["ref"]}, headers=token(B, "auditor"))
    ).json()
    assert [(e["action"], e["actor_org"]) for e in b_trail if e["action"] == "refuse"] == [("refuse", A)]
    # only the borough asked may identify; the requester may not use it on its own request
    assert (await options.post(url, params={"purpose": "casework"}, headers=token(B))).status_code == 403
    assert (await options.post(url, headers=token(A))).status_code == 400  # the purpose of the read is required

    assert (
        await options.post(
            f"/cases/{b_case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": A}, headers=token(B)
        )
    ).status_code == 201
    r = await options.post(url, params={"purpose": "casework"}, headers=token(A, sub="bexley-officer-7"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["details"] == {"name": person["name"], "date_of_birth": person["date_of_birth"]}
    assert [c["case_ref"] for c in body["candidates"]] == [a_case["ref"]]
    assert body["candidates"][0]["matched_on"] == ["name", "date_of_birth"]
    b_trail = (
        await options.get("/-/audit", params={"entity": "case", "ref": b_case["ref"]}, headers=token(B, "auditor"))
    ).json()
    assert [e["actor_org"] for e in b_trail if e["action"] == "share"] == [A]
    a_trail = (
        await options.get(
            "/-/audit", params={"entity": "jwa_information_request", "ref": ref}, headers=token(A, "auditor")
        )
    ).json()
    assert [e["actor"] for e in a_trail if e["action"] == "match"] == ["bexley-officer-7"]
    # the details crossed on A's reply inbox only, never in an event on a Haven subject
    await _settle(seen)
    assert not [m.subject for m in seen if m.subject.startswith("haven.") and person["name"].encode() in m.data]
    assert [m for m in seen if not m.subject.startswith("haven.") and person["name"].encode() in m.data]

    # A then answers, sharing from the case it found
    await options.post(
        f"/cases/{a_case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": B}, headers=token(A)
    )
    assert (
        await options.post(
            f"/jwa/information-requests/{ref}/respond",
            json={"share": True, "case_ref": a_case["ref"]},
            headers=token(A),
        )
    ).status_code == 200
    assert (await options.post(url, params={"purpose": "casework"}, headers=token(A))).status_code == 409


@pytest.mark.rule("jwa.advance-notification")
async def test_advance_contact_made_by_phone_records_when_it_was_made(suite, token, h):
    """000_93a7cd5d2a8b6030.txt: "borough A will make contact with borough B in advance" — a contact made by telephone
    on Friday at 16:50 and keyed in later records the call's time: not in the future nor before the client approached A,
    and audited beside the keying time."""
    options, _, _ = suite
    approached = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    phoned = datetime(2026, 11, 20, 16, 50, tzinfo=UTC)
    a_case = await h.open_case(options, token(A), duty_accepted=True, approached_at=approached.isoformat())
    body = {"case_ref": a_case["ref"], "to_org": B}
    future = await options.post(
        "/jwa/notifications",
        json=body | {"notified_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
        headers=token(A),
    )
    assert future.status_code == 422 and "notified_at" in future.json()["detail"]
    before = await options.post(
        "/jwa/notifications",
        json=body | {"notified_at": (approached - timedelta(hours=1)).isoformat()},
        headers=token(A),
    )
    assert before.status_code == 422 and "approached" in before.json()["detail"]
    r = await options.post("/jwa/notifications", json=body | {"notified_at": phoned.isoformat()}, headers=token(A))
    assert r.status_code == 201, r.text
    assert datetime.fromisoformat(r.json()["at"]) == phoned
    table = context_of(options.app).store.audit_writer.table
    (row,) = await h.on_app(
        options,
        lambda: table.select(table.detail).where((table.entity_ref == r.json()["ref"]) & (table.action == "create")),
    )
    detail = msgspec.json.decode(row["detail"]) if isinstance(row["detail"], (str, bytes)) else row["detail"]
    assert (
        datetime.fromisoformat(detail["notified_at"]) == phoned and datetime.fromisoformat(detail["keyed_at"]) > phoned
    )
