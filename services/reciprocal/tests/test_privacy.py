"""ARC privacy rules (seed ``002_c1c7b199d9a53274.txt``): "Issuing an Application Reference
Code (ARC) for newly accepted cases that will be shared with Local Authority and registered
provider partners" and "Using the ARC in all partnership communications for security purposes"."""

from __future__ import annotations

import msgspec
import pytest

from haven_reciprocal.arc import ARC_PATTERN, is_arc, new_arc
from haven_reciprocal.tables import Referral

BOTH_DATABASES = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
"""HTTP-only tests: they also run on PostgreSQL when HAVEN_TEST_POSTGRES_DSN is set."""


@pytest.mark.rule("reciprocal.arc", "reciprocal.arc-in-all-communications")
def test_arcs_are_random_and_carry_no_personal_data():
    """Seed 002 §3: the ARC is used "in all partnership communications for security purposes" —
    so it is random, unique and says nothing about the household."""
    arcs = {new_arc() for _ in range(5000)}
    assert len(arcs) == 5000
    assert all(ARC_PATTERN.fullmatch(a) for a in arcs)
    # no sequence: consecutive codes share no common prefix beyond "ARC-" more often than chance
    ordered = [new_arc() for _ in range(200)]
    shared = sum(a[4] == b[4] for a, b in zip(ordered, ordered[1:]))
    assert shared < 40
    assert not is_arc("ARC-JO-EXAMPLE")


async def test_personal_fields_are_encrypted_at_rest(recip):
    """As required: "The personal fields of a case are encrypted at rest"."""
    arc = await recip.accepted()
    rows = await Referral.select().where(Referral.arc == arc)
    blob = msgspec.json.encode(rows).decode()
    for value in recip.personal:
        assert value not in blob
    assert rows[0]["lead_name_enc"].startswith("v1:")
    assert rows[0]["name_index"] == recip.ctx.cipher.blind_index("jo  invented-example", field="lead_name")


async def test_identity_is_revealed_only_to_coordinator_and_involved_named_leads_and_audited(recip):
    """Who may see the identity behind an ARC: the coordinator and the named leads of the
    referring and receiving partners; every reveal is audited."""
    arc = await recip.accepted()
    await recip.offer("cambridge")
    c = recip.client

    move = {"purpose": "move"}
    r = await c.get(f"/referrals/{arc}/identity", params=move, headers=recip.coordinator())
    assert r.status_code == 200 and r.json()["lead_name"] == recip.household["lead_name"]
    r = await c.get(f"/referrals/{arc}/identity", params=move, headers=recip.lead("fenland"))
    assert r.status_code == 200 and r.json()["current_address"] == recip.household["current_address"]
    # cambridge is not involved until the match is confirmed (refused like a made-up reference)
    r = await c.get(f"/referrals/{arc}/identity", params=move, headers=recip.lead("cambridge"))
    assert r.status_code == 404
    # staff of the referring partner who are not its named lead
    r = await c.get(
        f"/referrals/{arc}/identity", params=move, headers=recip.token("fenland", "team_manager", sub="tm-1")
    )
    assert r.status_code == 404
    r = await c.get(f"/referrals/{arc}/identity", params=move, headers=recip.lead("huntingdonshire"))
    assert r.status_code == 404

    assert await recip.offered(arc) == "cambridge"
    r = await c.get(f"/referrals/{arc}/identity", params=move, headers=recip.lead("cambridge"))
    assert r.status_code == 200
    # the purpose is required and comes from the closed list
    for params in ({}, {"purpose": "tenancy sign-up"}):
        r = await c.get(f"/referrals/{arc}/identity", params=params, headers=recip.lead("cambridge"))
        assert r.status_code == 400 and "purpose" in r.text, r.text

    seen = await recip.ctx.store.audit_writer.who_has_seen("reciprocal_referral", arc)
    reveals = [(e.actor_org, e.actor) for e in seen if e.action == "reveal"]
    assert reveals == [(recip.coord, "coord-1"), ("fenland", "fenland-lead-1"), ("cambridge", "cambridge-lead-1")]
    refused = [e.actor_org for e in seen if e.action == "reveal_refused"]
    assert refused == ["cambridge", "fenland", "huntingdonshire"]
    assert [e.purpose for e in seen if e.action == "reveal"][-1] == "move"


async def test_an_uninvolved_partner_gets_the_same_answer_for_a_real_and_a_made_up_reference(recip):
    """The status and the identity of a referral answer an uninvolved partner
    (another scheme's coordinator, a partner not on the referral) exactly as for a reference
    that does not exist — 404 — and each refusal is audited."""
    arc = await recip.accepted()
    c = recip.client
    made_up = "ARC-0000000000ZZ"
    outsiders = [
        recip.token("bexley", "reciprocal_coordinator", sub="other-coord"),
        recip.token("bexley", "admin", sub="other-admin"),
        recip.lead("huntingdonshire"),
    ]
    for headers in outsiders:
        for suffix, params in (("", {}), ("/identity", {"purpose": "move"})):
            real = await c.get(f"/referrals/{arc}{suffix}", params=params, headers=headers)
            absent = await c.get(f"/referrals/{made_up}{suffix}", params=params, headers=headers)
            assert (real.status_code, real.json()) == (absent.status_code, absent.json()) == (404, absent.json()), (
                suffix,
                real.text,
            )
    seen = await recip.ctx.store.audit_writer.who_has_seen("reciprocal_referral", arc)
    assert sorted(e.actor for e in seen if e.action.endswith("_refused")) == sorted(
        ["other-coord", "other-coord", "other-admin", "other-admin", "huntingdonshire-lead-1", "huntingdonshire-lead-1"]
    )


@BOTH_DATABASES
async def test_status_view_has_no_personal_data(recip):
    """Partners follow a referral by its ARC alone once one is issued."""
    arc = await recip.accepted()
    r = await recip.client.get(f"/referrals/{arc}", headers=recip.lead("fenland"))
    for value in recip.personal:
        assert value not in r.text
    assert r.json()["referral_ref"] is None and r.json()["arc"] == arc
    listed = (await recip.client.get("/referrals", headers=recip.lead("fenland"))).json()
    assert listed[0]["referral_ref"] is None
    assert (await recip.status(arc))["referral_ref"].startswith("RRF-")


@BOTH_DATABASES
async def test_receiving_partner_does_not_see_where_the_household_is_unsafe(recip):
    """The receiving partner follows the referral by ARC without learning the areas that are unsafe
    for the household or where it lives now."""
    arc = await recip.accepted()
    await recip.offer("cambridge")
    await recip.offered(arc)
    receiving = await recip.status(arc, headers=recip.lead("cambridge"))
    assert receiving["status"] == "offered" and "unsafe_areas" not in receiving and "current_area" not in receiving
    referring = await recip.status(arc, headers=recip.lead("fenland"))
    assert referring["unsafe_areas"] == ["fenland", "peterborough"]
