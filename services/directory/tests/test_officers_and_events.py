"""Named officers, positions over time, corrections with history, and the directory's bus
traffic: the role-holder lookup, ``RoleHolderChanged`` and ``ServiceCapacityUpdated``.

Seed ``000_93a7cd5d2a8b6030.txt``: "borough A will make contact with borough B in advance
using a list of named officers with DV leads and team managers"; ``002_c1c7b199d9a53274.txt``:
partners inform the coordinator "of any changes in staffing" of their named leads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec
import nats
import pytest

from haven_contracts.events.directory import RoleHolderLookup, RoleHolderReply
from haven_contracts.messages import encode
from haven_directory.schemas import record_validator
from haven_directory.seed import load_directory
from haven_directory.tables import CatalogueService, DirOrganisation, History, Officer, PositionHolding
from haven_runtime.testing import REPLY_TIMEOUT, eventually, flushed

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)


async def _lookup(
    nc, target: str, positions: list[str], requested_by: str = "bexley", on: datetime | None = None
) -> RoleHolderReply:
    req = RoleHolderLookup(
        target_org=target, requested_by=requested_by, positions=positions, on=on, purpose="jwa advance contact"
    )
    msg = await nc.request(req.subject, encode(req), timeout=REPLY_TIMEOUT)
    return msgspec.json.decode(msg.data, type=RoleHolderReply)


@BACKENDS
async def test_changing_the_dv_lead_changes_the_bus_answer_and_emits_an_event(
    start_service, token, nats_server, on_app
):
    c = await start_service("directory")
    nc = await nats.connect(nats_server.url)
    events: list = []

    async def collect(m):
        events.append(m)

    await nc.subscribe("haven.directory.evt.>", cb=collect)
    await flushed(nc)
    before = await _lookup(nc, "bromley", ["dv_lead"])
    assert [h.officer_id for h in before.holders] == ["bromley-dv-lead"]

    r = await c.post(
        "/officers",
        json={
            "key": "bromley-new-dv-lead",
            "name": "Casey Invented",
            "email": "casey@bromley.example",
            "sex": "female",
            "dv_specialism": True,
        },
        headers=token("bromley", "team_manager"),
    )
    assert r.status_code == 201, r.text
    r = await c.put(
        "/orgs/bromley/positions/dv_lead",
        json={"officer_key": "bromley-new-dv-lead"},
        headers=token("bromley", "team_manager"),
    )
    assert r.status_code == 200, r.text
    after = await _lookup(nc, "bromley", ["dv_lead", "team_manager"])
    assert [(h.position, h.officer_id, h.sex) for h in after.holders] == [
        ("dv_lead", "bromley-new-dv-lead", "female"),
        ("team_manager", "bromley-team-manager", None),
    ]

    await eventually(lambda: [m for m in events if "role-holder-changed" in m.subject])
    msg = [m for m in events if "role-holder-changed" in m.subject][0]
    body = msgspec.json.decode(msg.data)
    assert body["officer_id"] == "bromley-new-dv-lead" and body["previous_officer_id"] == "bromley-dv-lead"
    assert "Casey" not in msg.data.decode() and "@" not in msg.data.decode()

    # the lookup is audited with the asking organisation and its purpose
    ctx = c.app.state["haven"]
    audit = await on_app(c, lambda: ctx.store.audit_writer.query(org="bromley"))
    assert any(e.actor_org == "bexley" and e.purpose == "jwa advance contact" for e in audit)
    # only partner organisations may ask
    refused = await _lookup(nc, "bromley", ["dv_lead"], requested_by="not-a-partner")
    assert not refused.ok and refused.error == "forbidden"
    await nc.close()


@BACKENDS
async def test_who_held_a_position_on_a_date(start_service, token, nats_server):
    c = await start_service("directory")
    manager = token("lewisham", "dv_lead")
    await c.post("/officers", json={"key": "lewisham-tm-2", "name": "Robin Invented"}, headers=manager)
    from_date = date.today() + timedelta(days=10)
    r = await c.put(
        "/orgs/lewisham/positions/team_manager",
        json={"officer_key": "lewisham-tm-2", "effective": from_date.isoformat()},
        headers=manager,
    )
    assert r.status_code == 200, r.text
    now = await c.get("/orgs/lewisham/positions/team_manager", params={"purpose": "contact"}, headers=manager)
    later = await c.get(
        "/orgs/lewisham/positions/team_manager",
        params={"purpose": "contact", "on": (from_date + timedelta(days=1)).isoformat()},
        headers=manager,
    )
    assert [h["officer_id"] for h in now.json()] == ["lewisham-team-manager"]
    assert [h["officer_id"] for h in later.json()] == ["lewisham-tm-2"]
    history = (
        await c.get("/orgs/lewisham/positions/team_manager/history", params={"purpose": "audit"}, headers=manager)
    ).json()
    assert [(h["officer_key"], h["end"]) for h in history] == [
        ("lewisham-team-manager", from_date.isoformat()),
        ("lewisham-tm-2", None),
    ]
    nc = await nats.connect(nats_server.url)
    on = datetime.combine(from_date + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    assert [h.officer_id for h in (await _lookup(nc, "lewisham", ["team_manager"], on=on)).holders] == ["lewisham-tm-2"]
    await nc.close()


@BACKENDS
async def test_corrections_keep_history_and_survive_a_plugin_reload(start_service, token, on_app):
    c = await start_service("directory")
    ctx = c.app.state["haven"]

    async def counts():
        return {
            t.__name__: await t.count() for t in (Officer, CatalogueService, DirOrganisation, PositionHolding, History)
        }

    before = await on_app(c, counts)

    manager = token("dartford", "team_manager", sub="dartford-tm")
    r = await c.patch(
        "/catalogue/services/dartford-sanctuary", json={"fees": "Free of charge to the victim."}, headers=manager
    )
    assert r.status_code == 200, r.text
    r = await c.patch("/officers/dartford-sanctuary-officer", json={"phone": "01322 000000"}, headers=manager)
    assert r.status_code == 200, r.text
    # another organisation may not correct Dartford's entries
    assert (
        await c.patch(
            "/catalogue/services/dartford-sanctuary", json={"fees": "x"}, headers=token("bexley", "team_manager")
        )
    ).status_code == 403
    # bad input names the field and changes nothing
    bad = await c.patch("/catalogue/services/dartford-sanctuary", json={"taxonomy": ["not-a-term"]}, headers=manager)
    assert bad.status_code == 422 and "taxonomy" in bad.text
    unknown = await c.patch("/catalogue/services/dartford-sanctuary", json={"colour": "red"}, headers=manager)
    assert unknown.status_code == 400 and "colour" in unknown.text

    # a restart / upgrade reloads plugin data: idempotent, and officers' corrections win
    await on_app(c, lambda: load_directory(ctx))
    await on_app(c, lambda: load_directory(ctx))
    after = await on_app(c, counts)
    assert after == {**before, "History": before["History"] + 2}
    svc = await on_app(
        c, lambda: CatalogueService.objects().where(CatalogueService.key == "dartford-sanctuary").first()
    )
    assert svc.fees == "Free of charge to the victim."
    hist = (
        await c.get("/catalogue/services/dartford-sanctuary/history", params={"purpose": "correction"}, headers=manager)
    ).json()
    fee_change = [h for h in hist if h["field_name"] == "fees"][0]
    assert (
        fee_change["previous_value"],
        fee_change["replacement_value"],
        fee_change["changed_by"],
        fee_change["changed_by_org"],
    ) == ("There is no cost to the victim.", "Free of charge to the victim.", "dartford-tm", "dartford")
    officer_hist = (
        await c.get("/officers/dartford-sanctuary-officer/history", params={"purpose": "correction"}, headers=manager)
    ).json()
    assert [h["replacement_value"] for h in officer_hist if h["field_name"] == "phone"] == ["01322 000000"]


@BACKENDS
async def test_capacity_update_is_an_hsds_service_capacity_and_an_ids_only_event(start_service, token, nats_server):
    c = await start_service("directory")
    nc = await nats.connect(nats_server.url)
    events: list = []

    async def collect(m):
        events.append(m)

    await nc.subscribe("haven.directory.evt.service-capacity-updated.>", cb=collect)
    await flushed(nc)
    coordinator = token("cambridgeshire-da-services", "reciprocal_coordinator")
    r = await c.put(
        "/catalogue/services/cambs-housing-reciprocal/capacity",
        json={"unit": "referral-slot", "available": 3, "maximum": 5},
        headers=coordinator,
    )
    assert r.status_code == 200, r.text
    assert r.json()["available"] == 3
    assert (
        await c.put(
            "/catalogue/services/cambs-housing-reciprocal/capacity",
            json={"available": 9, "maximum": 5},
            headers=coordinator,
        )
    ).status_code == 422
    assert (
        await c.put(
            "/catalogue/services/cambs-housing-reciprocal/capacity",
            json={"available": 1},
            headers=token("bexley", "dv_lead"),
        )
    ).status_code == 403
    await eventually(lambda: events)
    body = msgspec.json.decode(events[0].data)
    assert set(body) == {"org", "service_id", "capacity_id", "unit", "available", "maximum", "updated"}
    assert (body["org"], body["available"], body["maximum"]) == ("cambridgeshire-da-services", 3, 5)
    service = (await c.get(f"/services/{body['service_id']}")).json()
    [capacity] = service["capacities"]
    assert capacity["available"] == 3 and capacity["unit"]["identifier"] == "referral-slot"
    assert list(record_validator("hsds-3.1/service_capacity.json").iter_errors(capacity)) == []
    await nc.close()


@pytest.mark.rule("bromley.bwa-meeting-every-six-weeks", "southwark.forum-and-panel-cadences")
async def test_forums_and_panels_with_their_cadence(start_service, token):
    """``001_2a45bb55c36fcb52.txt``: Bromley Women's Aid meeting "takes place every six weeks";
    Southwark's "Management Needs Panel fortnightly"."""
    c = await start_service("directory")
    forums = (await c.get("/catalogue/forums", headers=token("greenwich", "options_officer"))).json()
    by_key = {f["key"]: f for f in forums}
    assert by_key["bromley-bwa-meeting"]["schedule"] == {
        "freq": "WEEKLY",
        "interval": 6,
        "byday": None,
        "opens_at": None,
        "closes_at": None,
        "description": None,
        "notes": None,
        "source": "001_2a45bb55c36fcb52.txt: Meeting takes place every six weeks",
    }
    assert by_key["southwark-management-needs-panel"]["cadence"] == "fortnightly"
    assert {f["kind"] for f in forums if f["name"].endswith("MARAC")} == {"marac"}


@pytest.mark.rule("bexley.dv-specialists-emergency")
async def test_posts_several_officers_hold(start_service, token, nats_server):
    """``001_2a45bb55c36fcb52.txt``: "In Bexley there are two housing options officers with a DV
    specialism" — both hold the post; ending one leaves the other."""
    c = await start_service("directory")
    nc = await nats.connect(nats_server.url)
    reply = await _lookup(nc, "bexley", ["housing_options_officer"], requested_by="bromley")
    assert sorted((h.officer_id, h.dv_specialism) for h in reply.holders) == [
        ("bexley-dv-specialist-1", True),
        ("bexley-dv-specialist-2", True),
    ]
    manager = token("bexley", "team_manager")
    r = await c.delete("/orgs/bexley/positions/housing_options_officer/bexley-dv-specialist-1", headers=manager)
    assert r.status_code == 204, r.text
    reply = await _lookup(nc, "bexley", ["housing_options_officer"], requested_by="bromley")
    assert [h.officer_id for h in reply.holders] == ["bexley-dv-specialist-2"]
    assert (
        await c.delete("/orgs/bexley/positions/housing_options_officer/bexley-dv-specialist-1", headers=manager)
    ).status_code == 404
    # ending an officer vacates every post they hold
    r = await c.patch("/officers/bexley-dv-specialist-2", json={"active": False}, headers=manager)
    assert r.status_code == 200 and r.json()["positions"] == []
    assert (await _lookup(nc, "bexley", ["housing_options_officer"], requested_by="bromley")).holders == []
    await nc.close()


@pytest.mark.rule("bromley.female-officer")
async def test_officer_filters_for_interview_routing(start_service, token):
    """``001_2a45bb55c36fcb52.txt``, Bromley: "Any DV cases are always offered a female officer to
    conduct the interview"."""
    c = await start_service("directory")
    r = await c.get(
        "/officers",
        params={"purpose": "contact", "org": "bromley", "sex": "female"},
        headers=token("bromley", "options_officer"),
    )
    assert r.status_code == 200, r.text
    assert [o["key"] for o in r.json()] == ["bromley-options-officer-f1"]
    r = await c.get(
        "/officers", params={"purpose": "contact", "sex": "unknown"}, headers=token("bromley", "options_officer")
    )
    assert r.status_code == 400 and "sex" in r.text
