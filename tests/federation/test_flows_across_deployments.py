"""More cross-organisation flows between deployments that each run as their own processes,
and a deployment killed with -9 catching up once it is back.

Seed ``000_93a7cd5d2a8b6030.txt``: "Where a client approaches borough B without borough A's
knowledge, information will be sent through by email/fax as soon as requested", and
disputes unresolved at the DV sub-group go "to the appropriate member of the homelessness
sub group for each borough concerned".
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import case_with_accepted_duty

# Invented: no real survivor data exists anywhere in this project.
PERSON = {
    "name": "Sam Invented-Federation",
    "date_of_birth": "1991-03-04",
    "address": "3 Nowhere Row, Testville",
    "phone": "07000 900456",
    "safe_contact": "email only",
}


async def _open_case(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    r = await client.post(
        "/cases", json={"person": PERSON, "channel": "reception", "tenure": "council_secure"}, headers=headers
    )
    assert r.status_code == 201, r.text
    return r.json()["ref"]


async def test_information_request_answered_with_consent_across_deployments(federation):
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    a_officer, b_officer = (
        bexley.token("bexley", "options_officer"),
        lewisham.token("lewisham", "options_officer", sub="lewisham-officer-7"),
    )
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        a_case, b_case = await _open_case(a, a_officer), await _open_case(b, b_officer)
        r = await a.post(
            f"/cases/{a_case}/consents",
            json={"purpose": "share_with_borough", "recipient": "lewisham"},
            headers=a_officer,
        )
        assert r.status_code in (200, 201), r.text
        r = await b.post(
            "/jwa/information-requests",
            json={"case_ref": b_case, "to_org": "bexley", "their_case_ref": a_case},
            headers=b_officer,
        )
        assert r.status_code == 201, r.text
        ref = r.json()["ref"]

        async def at_bexley():
            r = await a.get("/jwa/information-requests", headers=a_officer)
            return [i for i in r.json() if i["ref"] == ref and i["due_at"]]

        await eventually(at_bexley)
        r = await a.post(
            f"/jwa/information-requests/{ref}/respond", json={"share": True, "case_ref": a_case}, headers=a_officer
        )
        assert r.status_code == 200, r.text

        async def provided_at_lewisham():
            r = await b.get(f"/jwa/information-requests/{ref}", params={"purpose": "referral"}, headers=b_officer)
            return r.json() if r.status_code == 200 and r.json()["provided_at"] else None

        body = await eventually(provided_at_lewisham)
        # fetched from Bexley's deployment over request/reply, consent-checked and audited there
        assert body["information"]["person"]["name"] == PERSON["name"]


@pytest.mark.rule("jwa.information-as-soon-as-requested")
async def test_the_borough_asked_identifies_the_client_from_the_other_deployment(federation):
    """000_93a7cd5d2a8b6030.txt: "Where a client approaches borough B without borough A's knowledge, information will be
    sent through ... as soon as requested": Bexley, asked by Lewisham (another deployment) without Lewisham knowing its
    reference, fetches the client's name and date of birth from Lewisham over request/reply — refused until Lewisham's
    client consents — and matches them against its own cases."""
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    a_officer, b_officer = bexley.token("bexley", "options_officer"), lewisham.token("lewisham", "options_officer")
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        a_case, b_case = await _open_case(a, a_officer), await _open_case(b, b_officer)
        r = await b.post("/jwa/information-requests", json={"case_ref": b_case, "to_org": "bexley"}, headers=b_officer)
        assert r.status_code == 201, r.text
        ref = r.json()["ref"]

        async def at_bexley():
            r = await a.get("/jwa/information-requests", headers=a_officer)
            return [i for i in r.json() if i["ref"] == ref and i["due_at"]]

        await eventually(at_bexley)
        url = f"/jwa/information-requests/{ref}/identify"
        refused = await a.post(url, params={"purpose": "casework"}, headers=a_officer)
        assert refused.status_code == 409 and "no_consent" in refused.text
        r = await b.post(
            f"/cases/{b_case}/consents",
            json={"purpose": "share_with_borough", "recipient": "bexley"},
            headers=b_officer,
        )
        assert r.status_code in (200, 201), r.text
        r = await a.post(url, params={"purpose": "casework"}, headers=a_officer)
        assert r.status_code == 200, r.text
        assert r.json()["details"] == {"name": PERSON["name"], "date_of_birth": PERSON["date_of_birth"]}
        assert a_case in [c["case_ref"] for c in r.json()["candidates"]]


async def test_a_dispute_is_visible_to_both_deployments_escalated_and_resolved(federation):
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        r = await a.post(
            "/jwa/disputes",
            json={"other_org": "lewisham", "case_ref": "CASE-7K3QD9X2FD", "summary": "who owes the duty"},
            headers=bexley.token("bexley", "team_manager"),
        )
        assert r.status_code == 201, r.text
        ref = r.json()["ref"]
        b_member = lewisham.token("lewisham", "subgroup_member")

        async def dispute_at(client, headers, status):
            r = await client.get("/jwa/disputes", headers=headers)
            return [d for d in r.json() if d["ref"] == ref and d["status"] == status]

        await eventually(lambda: dispute_at(b, b_member, "open"))
        # tabled at the DV sub-group by Bexley first; Lewisham's deployment learns it from the event
        assert (await b.post(f"/jwa/disputes/{ref}/escalate", headers=b_member)).status_code == 409
        r = await a.post(
            f"/jwa/disputes/{ref}/tabled",
            json={"meeting_on": datetime.now(ZoneInfo("Europe/London")).date().isoformat()},
            headers=bexley.token("bexley", "team_manager"),
        )
        assert r.status_code == 200, r.text

        async def tabled_at_lewisham():
            return [d for d in await dispute_at(b, b_member, "open") if d["tabled_meeting_on"]]

        await eventually(tabled_at_lewisham)
        r = await b.post(f"/jwa/disputes/{ref}/escalate", headers=b_member)
        assert r.status_code == 200, r.text
        # each borough's homelessness sub-group member: Bexley's from Lewisham's read model of it
        assert {m.split("-")[0] for m in r.json()["escalated_to"]} == {"bexley", "lewisham"}
        a_lead = bexley.token("bexley", "dv_lead")
        (seen,) = await eventually(lambda: dispute_at(a, a_lead, "escalated"))
        assert seen["escalated_to"] == r.json()["escalated_to"]
        assert (await a.post(f"/jwa/disputes/{ref}/resolve", headers=a_lead)).status_code == 200
        await eventually(lambda: dispute_at(b, b_member, "resolved"))


async def test_a_killed_deployment_gets_its_messages_once_when_it_is_back(federation):
    """kill -9 of Lewisham's whole deployment mid-flow: Bexley keeps serving, and when
    Lewisham is back every notification is in its inbox exactly once."""
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    officer = bexley.token("bexley", "options_officer")
    sent: list[str] = []
    async with httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a:
        cases = [await case_with_accepted_duty(a, officer) for _ in range(6)]

        async def notify(i: int):
            r = await a.post("/jwa/notifications", json={"case_ref": cases[i], "to_org": "lewisham"}, headers=officer)
            return r.json()["ref"] if r.status_code == 201 else None

        sent.append(await eventually(lambda: notify(0)))
        try:
            for service in ("options", "directory"):
                lewisham.kill(service)
            for i in range(1, 6):  # Lewisham is down; Bexley keeps serving
                sent.append(await eventually(lambda: notify(i)))
        finally:
            lewisham.start("options", "directory")
            await asyncio.to_thread(lewisham.wait_ready, "options", "directory")
    lead = lewisham.token("lewisham", "dv_lead", sub="lewisham-dv-lead")
    async with httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b:

        async def all_arrived():
            r = await b.get("/jwa/inbox", headers=lead)
            refs = [i["ref"] for i in r.json()]
            return set(sent) <= set(refs) and refs

        refs = await eventually(all_arrived)
    assert all(refs.count(ref) == 1 for ref in sent)
    db = lewisham.data_dir / "options.sqlite3"
    with sqlite3.connect(db) as conn:
        applied = conn.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM haven_inbox WHERE consumer = 'lewisham_options-jwa-inbox'"
        ).fetchone()
        dead = conn.execute("SELECT count(*) FROM haven_dead_letter").fetchone()[0]
    assert applied[0] == applied[1] and dead == 0


async def test_personal_values_planted_at_bexley_are_in_no_deployments_files(federation):
    """A raw scan of every deployment's files (databases, WAL, JetStream store, logs) finds
    none of the canary personal values planted at another deployment — here
    even after Lewisham's named officer has read what Bexley shared (the reply is shown, not
    stored), and Bexley's own files hold them only encrypted."""
    canary = {
        "name": "Zebedee Canary-Federation",
        "date_of_birth": "1988-07-09",
        "address": "99 Canary Close, Testville",
        "phone": "07000 911999",
        "safe_contact": "canary signal only",
    }
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    officer = bexley.token("bexley", "options_officer")
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        r = await a.post(
            "/cases",
            json={"person": canary, "channel": "reception", "tenure": "council_secure", "duty_accepted": True},
            headers=officer,
        )
        assert r.status_code == 201, r.text
        case = r.json()["ref"]
        r = await a.post(
            f"/cases/{case}/consents", json={"purpose": "share_with_borough", "recipient": "lewisham"}, headers=officer
        )
        assert r.status_code in (200, 201), r.text

        async def notified():
            r = await a.post(
                "/jwa/notifications",
                json={"case_ref": case, "to_org": "lewisham", "share_information": True},
                headers=officer,
            )
            assert r.status_code in (201, 422), r.text
            return r.json() if r.status_code == 201 else None

        ref = (await eventually(notified))["ref"]
        lead = lewisham.token("lewisham", "dv_lead", sub="lewisham-dv-lead")

        async def shared():
            r = await b.get(f"/jwa/inbox/{ref}", params={"purpose": "referral"}, headers=lead)
            return r.json() if r.status_code == 200 else None

        body = await eventually(shared)
        assert body["information"]["person"]["name"] == canary["name"]
    roots = [d.data_dir for d in federation.values()] + [bexley.data_dir.parent / "jetstream"]
    values = [v.encode() for v in canary.values()]
    found = [
        (str(path), v.decode())
        for root in roots
        for path in root.rglob("*")
        if path.is_file()
        for v in values
        if v in path.read_bytes()
    ]
    assert found == []


async def test_both_deployments_monitoring_of_a_pair_agrees(federation):
    """The JWA pair table counts what each side sent and received, so
    Bexley's and Lewisham's reports for the pair agree (and a dispute is visible to both)."""
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    officer = bexley.token("bexley", "options_officer")
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        case = await case_with_accepted_duty(a, officer)

        async def notified():
            r = await a.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
            return r.status_code == 201

        await eventually(notified)
        r = await a.post(
            "/jwa/disputes",
            json={"other_org": "lewisham", "case_ref": case},
            headers=bexley.token("bexley", "team_manager"),
        )
        assert r.status_code == 201, r.text
        window = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}

        async def pairs(client, headers):
            r = await client.get("/monitoring/jwa", params=window, headers=headers)
            assert r.status_code == 200, r.text
            return {
                (p["from_org"], p["to_org"]): p
                for p in r.json()["pairs"]
                if {p["from_org"], p["to_org"]} == {"bexley", "lewisham"}
            }

        async def agree():
            mine = await pairs(a, bexley.token("bexley", "dv_lead"))
            theirs = await pairs(b, lewisham.token("lewisham", "dv_lead"))
            sent = mine.get(("bexley", "lewisham"), {})
            return mine == theirs and sent.get("notifications", 0) >= 1 and sent.get("disputes_raised", 0) >= 1

        await eventually(agree)


async def test_a_one_night_booking_by_lewisham_is_counted_by_both_deployments(federation):
    """Seed ``000_93a7cd5d2a8b6030.txt``: "if necessary and time depending boroughs agree that a
    one night booking for temporary accommodation will be provided by borough B". Lewisham
    books the night on its case for a client who came from Bexley; the booking is a fact about
    Lewisham's case, and Bexley's deployment — which never sees that case — counts it in the
    pair table exactly as Lewisham's does."""
    bexley, lewisham = federation["bexley"], federation["lewisham"]
    b_officer = lewisham.token("lewisham", "options_officer", sub="lewisham-officer-8")
    window = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}

    async def bookings(client, headers) -> int:
        r = await client.get("/monitoring/jwa", params=window, headers=headers)
        assert r.status_code == 200, r.text
        return sum(
            p["one_night_bookings"] for p in r.json()["pairs"] if (p["from_org"], p["to_org"]) == ("bexley", "lewisham")
        )

    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=lewisham.url("options"), timeout=10) as b,
    ):
        a_lead, b_lead = bexley.token("bexley", "dv_lead"), lewisham.token("lewisham", "dv_lead")
        before = await bookings(b, b_lead)
        r = await b.post(
            "/cases",
            json={"person": PERSON, "channel": "reception", "tenure": "council_secure", "from_org": "bexley"},
            headers=b_officer,
        )
        assert r.status_code == 201, r.text
        case = r.json()["ref"]
        r = await b.post(f"/cases/{case}/temporary-accommodation", json={}, headers=b_officer)
        assert r.status_code == 201, r.text
        booking = r.json()
        assert booking["from_org"] == "bexley"
        assert await bookings(b, b_lead) == before + 1

        async def counted_at_bexley():
            return await bookings(a, a_lead) == before + 1

        await eventually(counted_at_bexley)
    # only the booking's opaque references crossed: Bexley's deployment holds no case of Lewisham's
    with sqlite3.connect(bexley.data_dir / "options.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM options_case WHERE ref = ?", (case,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM jwa_ta_booking WHERE ref = ?", (booking["ref"],)).fetchone()[0] == 0
