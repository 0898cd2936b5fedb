"""Choosing a transfer or a reciprocal move opens the referral it means, on a clock.

Seed ``003_8738e4ccc4c4272a.txt`` principle 8: "Where a transfer is offered to the victim, this
will normally be on a like for like basis and where possible, away from the victim's local area.
If a transfer away from the local area cannot be achieved from within the Group's own stock, it
will seek to make a reciprocal arrangement with another landlord." The reciprocal referral goes
over a real nats-server to the reciprocal service (``002_c1c7b199d9a53274.txt``), carrying
references, bedrooms and unsafe areas only; the household's details follow by the
consent-checked details request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haven_options import clocks
from haven_runtime.app import context_of
from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import normalise, seed_text

pytestmark = pytest.mark.asyncio

AG013 = "003_8738e4ccc4c4272a.txt"
LIKE_FOR_LIKE = (
    "Where a transfer is offered to the victim, this will normally be on a like for like basis and where possible, "
    "away from the victim's local area."
)
RECIPROCAL = (
    "If a transfer away from the local area cannot be achieved from within the Group's own stock, it will seek to "
    "make a reciprocal arrangement with another landlord."
)
DALES = "dales-housing"
COORDINATOR = "cambridgeshire-da-services"


async def _offer_and_choose(options, headers, case_ref: str, option_id: str, **body):
    url = f"/cases/{case_ref}/options"
    offered = await options.post(f"{url}/offer", json={"option_ids": [option_id]}, headers=headers)
    assert offered.status_code == 201, offered.text
    return await options.post(f"{url}/{option_id}/decision", json={"decision": "chosen", **body}, headers=headers)


@pytest.mark.rule("ag013.priority-transfer")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_choosing_the_priority_transfer_opens_a_landlord_transfer_record_on_a_clock(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 8: the like-for-like transfer away from the local area becomes a transfer
    record with the landlord (the Group itself), the bedrooms and the areas to move away from, due in the core
    default of 5 working days; recording it completed stops the clock, a missed one raises ClockOverdue once."""
    assert normalise(LIKE_FOR_LIKE) in seed_text(AG013)
    options = await start_service("options")
    ctx = context_of(options.app)
    officer = token(DALES)
    facts = {"tenure": "housing_association", "unable_to_return_home": True}
    late, done = (
        (await h.open_case(options, officer, **facts))["ref"],
        (await h.open_case(options, officer, **facts))["ref"],
    )
    for ref in (late, done):
        chosen = await _offer_and_choose(
            options, officer, ref, f"{DALES}-priority-transfer", bedrooms=2, unsafe_areas=["dales-north"]
        )
        assert chosen.status_code == 200, chosen.text
        (record,) = chosen.json()["referrals"]
        assert (record["kind"], record["to_org"], record["bedrooms"], record["unsafe_areas"]) == (
            "landlord_transfer",
            DALES,
            2,
            ["dales-north"],
        )
    listed = (await options.get(f"/cases/{late}/referrals", headers=officer)).json()
    assert [r["kind"] for r in listed] == ["landlord_transfer"]
    created, due = datetime.fromisoformat(listed[0]["created_at"]), datetime.fromisoformat(listed[0]["due_at"])
    assert timedelta(days=5) <= due - created <= timedelta(days=11)  # five working days on the landlord's calendar

    (other,) = (await options.get(f"/cases/{done}/referrals", headers=officer)).json()
    url = f"/cases/{done}/referrals/{other['ref']}/completed"
    assert (
        await options.post(
            url, json={"completed_at": (datetime.now(due.tzinfo) + timedelta(hours=1)).isoformat()}, headers=officer
        )
    ).status_code == 422
    completed = await options.post(url, json={}, headers=officer)
    assert completed.status_code == 200 and completed.json()["on_time"] is True
    assert (await options.post(url, json={}, headers=officer)).status_code == 409
    assert (await options.get(f"/cases/{done}/referrals", headers=token("seven-locks-housing"))).status_code == 403

    async def check(now):
        return (await h.on_app(options, lambda: clocks.check_overdue(ctx, now)))["referrals"]

    assert await check(due - timedelta(minutes=1)) == []
    assert await check(due + timedelta(days=30)) == [listed[0]["ref"]]
    assert await check(due + timedelta(days=31)) == []


@pytest.mark.rule("ag013.reciprocal-when-own-stock-cannot")
async def test_choosing_a_reciprocal_move_refers_to_the_coordinator_over_the_bus_and_details_follow_with_consent(
    start_service, token, h
):
    """003_8738e4ccc4c4272a.txt principle 8 ("it will seek to make a reciprocal arrangement with another landlord"):
    a partner's reciprocal option refers the household to the reciprocal coordinator with its clock; the event
    carries the bedrooms and unsafe areas only, and the coordinator takes it up with the details the partner
    releases on the client's consent — refused once the consent is withdrawn."""
    assert normalise(RECIPROCAL) in seed_text(AG013)
    options = await start_service("options")
    reciprocal = await start_service("reciprocal")
    coordinator = token(COORDINATOR, "reciprocal_coordinator")
    signed = await reciprocal.post(
        f"/schemes/{COORDINATOR}/partners",
        headers=coordinator,
        json={
            "org": "fenland",
            "signed_on": "2026-10-01",
            "partner_signatory": "Director of Housing, fenland",
            "coordinator_signatory": "Service Manager, Cambridgeshire Specialist DA Services",
        },
    )
    assert signed.status_code == 201, signed.text
    officer = token("fenland")
    refs = []
    for _ in range(2):
        ref = (await h.open_case(options, officer, tenure="council_secure"))["ref"]
        refused = await _offer_and_choose(options, officer, ref, "reciprocal", bedrooms=2, unsafe_areas=["fenland"])
        assert refused.status_code == 409 and "consent" in refused.json()["detail"]  # permission first (principle 5)
        consent = await options.post(
            f"/cases/{ref}/consents", json={"purpose": "contact_agency", "recipient": COORDINATOR}, headers=officer
        )
        assert consent.status_code == 201, consent.text
        no_bedrooms = await options.post(
            f"/cases/{ref}/options/reciprocal/decision", json={"decision": "chosen"}, headers=officer
        )
        assert no_bedrooms.status_code == 422 and "bedrooms" in no_bedrooms.json()["detail"]
        bad_area = await options.post(
            f"/cases/{ref}/options/reciprocal/decision",
            json={"decision": "chosen", "bedrooms": 2, "unsafe_areas": ["lewisham"]},
            headers=officer,
        )
        assert bad_area.status_code == 422 and "unsafe_areas" in bad_area.json()["detail"]
        chosen = await options.post(
            f"/cases/{ref}/options/reciprocal/decision",
            json={"decision": "chosen", "bedrooms": 2, "unsafe_areas": ["fenland"]},
            headers=officer,
        )
        assert chosen.status_code == 200, chosen.text
        (referral,) = chosen.json()["referrals"]
        assert (referral["kind"], referral["to_org"], referral["due_at"] is not None) == (
            "reciprocal",
            COORDINATOR,
            True,
        )
        refs.append((ref, referral["ref"], consent.json()["ref"]))

    async def waiting():
        rows = (await reciprocal.get("/incoming-referrals", headers=coordinator)).json()
        return rows if len(rows) == 2 else None

    rows = {r["ref"]: r for r in await eventually(waiting)}
    (case_ref, referral_ref, _), (other_case, other_ref, other_consent) = refs
    assert (
        rows[referral_ref]["referring_partner"],
        rows[referral_ref]["case_ref"],
        rows[referral_ref]["bedrooms"],
        rows[referral_ref]["unsafe_areas"],
    ) == ("fenland", case_ref, 2, ["fenland"])
    assert (
        await reciprocal.get("/incoming-referrals", headers=token("fenland", "reciprocal_coordinator"))
    ).json() == []

    body = {"remit_explained_on": "2026-10-20", "abuse_category": "domestic_violence", "preferred_areas": ["cambridge"]}
    taken = await reciprocal.post(f"/incoming-referrals/{referral_ref}/take-up", json=body, headers=coordinator)
    assert taken.status_code == 201, taken.text
    created = taken.json()["referral_ref"]
    identity = await reciprocal.get(
        f"/referrals/{created}/identity", params={"purpose": "casework"}, headers=coordinator
    )
    assert identity.status_code == 200 and h.PERSON["name"] in identity.text
    assert (
        await reciprocal.post(f"/incoming-referrals/{referral_ref}/take-up", json=body, headers=coordinator)
    ).status_code == 409

    async def clock_stopped():
        (row,) = (await options.get(f"/cases/{case_ref}/referrals", headers=officer)).json()
        return row if row["completed_at"] else None

    assert (await eventually(clock_stopped))["overdue"] is False  # taking it up stopped the partner's clock

    # the client withdrew permission: the partner releases nothing and the referral stays waiting
    withdrawn = await options.post(f"/cases/{other_case}/consents/{other_consent}/withdraw", json={}, headers=officer)
    assert withdrawn.status_code in (200, 201), withdrawn.text
    refused = await reciprocal.post(f"/incoming-referrals/{other_ref}/take-up", json=body, headers=coordinator)
    assert refused.status_code == 409 and "no_consent" in refused.json()["detail"]
    assert [r["ref"] for r in (await reciprocal.get("/incoming-referrals", headers=coordinator)).json()] == [other_ref]


@pytest.mark.rule("ag013.priority-transfer")
async def test_the_case_page_shows_the_referral_and_records_it_made(start_service, token, h, haven_settings):
    """003_8738e4ccc4c4272a.txt principle 8: the officer sees the transfer referral and its clock on the case page,
    in plain words, and records it made from there."""
    from haven_runtime.identity import issue_token
    from haven_runtime.web.words import check_pages

    options = check_pages(await start_service("options"))
    officer = token(DALES)
    ref = (await h.open_case(options, officer, tenure="housing_association", unable_to_return_home=True))["ref"]
    assert (await _offer_and_choose(options, officer, ref, f"{DALES}-priority-transfer", bedrooms=3)).status_code == 200
    options.cookies.set("haven_token", issue_token("officer-1", DALES, ("options_officer",), settings=haven_settings))
    page = await options.get(f"/pages/cases/{ref}")
    assert page.status_code == 200 and "Landlord transfer, 3 bedrooms" in page.text and "Referral made" in page.text
    (referral,) = (await options.get(f"/cases/{ref}/referrals", headers=officer)).json()
    done = await options.post(f"/pages/cases/{ref}/referrals/{referral['ref']}/completed", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert (await options.get(f"/cases/{ref}/referrals", headers=officer)).json()[0]["completed_at"] is not None
