"""Reciprocal pages over the in-process client: a coordinator and partners' named leads do the
whole reciprocal in form posts — signatures, named leads, referral, sign-offs, pool, matches, the
household's answer, the move, the ledger and its quarter, conflicts (seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

import re

import pytest

from haven_reciprocal.pages import ledger_chart
from haven_reciprocal.pages.ledger import recent_quarters
from haven_runtime.identity import issue_token
from haven_runtime.testing import eventually
from haven_runtime.web.words import check_pages


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``,
    ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


COORD = "cambridgeshire-da-services"
INVENTED = "Jo Invented-Example"
REFERRAL = {
    "referring_partner": "fenland",
    "remit_explained_on-day": "20",
    "remit_explained_on-month": "10",
    "remit_explained_on-year": "2026",
    "abuse_category": "domestic_violence",
    "subject": "survivor",
    "tenancy": "social",
    "current_area": "fenland",
    "bedrooms": "2",
    "unsafe_areas": ["fenland"],
    "preferred_areas": ["cambridge"],
    "lead_name": INVENTED,
    "contact": "07700 900123",
}


@pytest.mark.rule("reciprocal.owed-property")
def test_ledger_chart_scales_bars_to_the_largest_balance_and_totals_each_partner():
    """Seed 002_c1c7b199d9a53274.txt: "The referring Local Authority or registered provider then owes an
    equal size property" — a partner's balances by bedroom size, negative where it owes the pool."""
    rows, peak = ledger_chart(
        [
            {"partner": "fenland", "bedrooms": 2, "balance": -2},
            {"partner": "fenland", "bedrooms": 1, "balance": 1},
            {"partner": "cambridge", "bedrooms": 2, "balance": 2},
        ]
    )
    assert peak == 2
    assert [r["partner"] for r in rows] == ["cambridge", "fenland"]
    fenland = rows[1]
    assert (
        fenland["total"] == -1
        and [b["bedrooms"] for b in fenland["bars"]] == [1, 2]
        and fenland["bars"][1]["pct"] == 50.0
    )


def test_quarter_picker_lists_the_latest_quarters_newest_first_across_a_year_end():
    from datetime import UTC, datetime

    shown = recent_quarters(datetime(2026, 2, 1, tzinfo=UTC), 3)
    assert shown == [
        ("2026Q1", "January to March 2026"),
        ("2025Q4", "October to December 2025"),
        ("2025Q3", "July to September 2025"),
    ]


def as_officer(client, settings, org: str, role: str, sub: str) -> None:
    client.cookies.set("haven_token", issue_token(sub, org, [role], settings=settings))


async def post(client, url: str, data: dict | None = None):
    """A form post, not following the redirect (so the test sees where it goes)."""
    return await client.post(url, data=data or {}, follow_redirects=False)


def see_other(reply, pattern: str = r".*") -> str:
    assert reply.status_code == 303, reply.text[:3000]
    location = reply.headers["location"]
    assert re.fullmatch(pattern, location), location
    return location


async def sign_and_name_leads(client, settings) -> None:
    as_officer(client, settings, COORD, "reciprocal_coordinator", "coord-1")
    for org in ("fenland", "cambridge"):
        see_other(
            await post(
                client,
                "/pages/partners/sign",
                data={
                    "org": org,
                    "signed_on-day": "1",
                    "signed_on-month": "10",
                    "signed_on-year": "2026",
                    "partner_signatory": "Director of Housing (invented)",
                    "coordinator_signatory": "Service Manager (invented)",
                },
            )
        )
        see_other(
            await post(
                client,
                "/pages/partners/leads",
                data={"lead_org": org, "name": f"Lead of {org} (invented)", "officer_id": f"{org}-lead-1"},
            )
        )


async def test_a_reciprocal_move_from_referral_to_ledger_in_form_posts(start_service, haven_settings):
    client = await start_service("reciprocal")
    await sign_and_name_leads(client, haven_settings)
    partners = await client.get("/pages/partners")
    assert "Lead of fenland (invented)" in partners.text and "Signed on 1 October 2026" in partners.text

    # the coordinator's referral form names the missing field and keeps what was typed
    form = await client.get("/pages/referrals/new")
    assert form.status_code == 200 and '<option value="fenland">Fenland District Council</option>' in form.text
    bad = await client.post("/pages/referrals/new", data={**REFERRAL, "lead_name": ""})
    assert bad.status_code == 400
    assert 'href="#lead_name"' in bad.text and 'id="lead_name-error"' in bad.text and "07700 900123" in bad.text
    assert "Lead applicant&#39;s name is required" in bad.text
    # seed 002_c1c7b199d9a53274.txt: a perpetrator moves only "when assessed as safe to do so"
    bad = await client.post("/pages/referrals/new", data={**REFERRAL, "subject": "perpetrator"})
    assert (
        bad.status_code == 400
        and 'href="#assessed_on"' in bad.text
        and "Date of the safety assessment: required" in bad.text
    )
    bad = await client.post("/pages/referrals/new", data={**REFERRAL, "preferred_areas": ["fenland", "cambridge"]})
    assert bad.status_code == 400 and 'href="#preferred_areas"' in bad.text
    page = see_other(
        await post(client, "/pages/referrals/new", data=REFERRAL), r"/pages/referrals/RRF-\w+\?done=referred"
    )
    ref = page.split("/")[-1].split("?")[0]
    shown = await client.get(page)
    assert "Referral recorded" in shown.text and INVENTED not in shown.text
    # the household's details: only on a POST with a stated purpose, never in the URL or title
    unstated = await client.post(f"/pages/referrals/{ref}/identity", data={})
    assert unstated.status_code == 400 and 'href="#purpose"' in unstated.text and INVENTED not in unstated.text
    revealed = await client.post(f"/pages/referrals/{ref}/identity", data={"purpose": "move"})
    assert revealed.status_code == 200 and INVENTED in revealed.text
    assert INVENTED not in re.search(r"<title>(.*?)</title>", revealed.text, re.S).group(1)
    see_other(await post(client, f"/pages/referrals/{ref}/signoff-request"))

    # the referring partner's named lead signs off; a blank decision names the field
    as_officer(client, haven_settings, "fenland", "named_lead", "fenland-lead-1")
    board = await client.get("/pages/")
    assert ref in board.text and "Refer a household" not in board.text
    blank = await client.post(f"/pages/referrals/{ref}/signoff", data={})
    assert blank.status_code == 400 and 'href="#decision"' in blank.text
    see_other(await post(client, f"/pages/referrals/{ref}/signoff", data={"decision": "approved"}))
    # the referring local authority records its duty of care while the move is awaited
    backwards = await client.post(
        f"/pages/referrals/{ref}/duty-of-care",
        data={
            "accommodation": "temporary",
            "from_date-day": "2",
            "from_date-month": "11",
            "from_date-year": "2026",
            "to_date-day": "1",
            "to_date-month": "11",
            "to_date-year": "2026",
        },
    )
    assert backwards.status_code == 400 and 'href="#to_date"' in backwards.text
    see_other(
        await post(
            client,
            f"/pages/referrals/{ref}/duty-of-care",
            data={
                "accommodation": "temporary",
                "from_date-day": "2",
                "from_date-month": "11",
                "from_date-year": "2026",
            },
        )
    )
    assert "Temporary accommodation from 2 November 2026" in (await client.get(f"/pages/referrals/{ref}")).text

    as_officer(client, haven_settings, COORD, "reciprocal_coordinator", "coord-1")
    arc_page = see_other(
        await post(client, f"/pages/referrals/{ref}/accept"), r"/pages/referrals/ARC-\w+\?done=accepted"
    )
    arc = arc_page.split("/")[-1].split("?")[0]

    # the receiving partner's named lead offers a property from its stock areas
    as_officer(client, haven_settings, "cambridge", "named_lead", "cambridge-lead-1")
    pool = await client.get("/pages/pool")
    assert (
        '<option value="cambridge">Cambridge City Council</option>' in pool.text and 'value="fenland"' not in pool.text
    )
    bad = await client.post(
        "/pages/pool/offer",
        data={"bedrooms": "2", "available_from-day": "1", "available_from-month": "11", "available_from-year": "2026"},
    )
    assert bad.status_code == 400 and 'href="#area"' in bad.text
    see_other(
        await post(
            client,
            "/pages/pool/offer",
            data={
                "area": "cambridge",
                "bedrooms": "2",
                "available_from-day": "1",
                "available_from-month": "11",
                "available_from-year": "2026",
            },
        )
    )

    as_officer(client, haven_settings, COORD, "reciprocal_coordinator", "coord-1")
    see_other(await post(client, "/pages/matching/run"), r"/pages/pool\?done=proposed&count=1")
    pool = await client.get("/pages/pool")
    assert 'id="proposals"' in pool.text and arc in pool.text
    proposal = pool.text.split('action="/pages/proposals/')[1].split("/")[0]
    see_other(await post(client, f"/pages/proposals/{proposal}/confirm"), r"/pages/pool\?done=confirmed")

    as_officer(client, haven_settings, "cambridge", "named_lead", "cambridge-lead-1")
    see_other(await post(client, f"/pages/referrals/{arc}/signoff", data={"decision": "approved"}))

    as_officer(client, haven_settings, COORD, "reciprocal_coordinator", "coord-1")
    refused = await client.post(f"/pages/referrals/{arc}/answer", data={"accepted": "no"})
    assert refused.status_code == 400 and 'href="#reason"' in refused.text
    see_other(await post(client, f"/pages/referrals/{arc}/answer", data={"accepted": "yes"}))

    as_officer(client, haven_settings, "cambridge", "named_lead", "cambridge-lead-1")
    early = await client.post(
        f"/pages/referrals/{arc}/move",
        data={"tenancy_start-day": "1", "tenancy_start-month": "10", "tenancy_start-year": "2026"},
    )
    assert early.status_code == 400 and 'href="#tenancy_start"' in early.text
    see_other(
        await post(
            client,
            f"/pages/referrals/{arc}/move",
            data={"tenancy_start-day": "1", "tenancy_start-month": "12", "tenancy_start-year": "2026"},
        ),
        rf"/pages/referrals/{arc}\?done=moved",
    )
    ledger = await client.get(f"/pages/ledger/{COORD}")
    assert ledger.status_code == 200 and "Fenland District Council" in ledger.text and arc in ledger.text
    assert 'id="quarter-postings"' in ledger.text

    as_officer(client, haven_settings, "fenland", "named_lead", "fenland-lead-1")
    see_other(
        await post(
            client,
            f"/pages/referrals/{arc}/previous-tenancy",
            data={"ended_on-day": "5", "ended_on-month": "12", "ended_on-year": "2026", "void_rent": "120.50"},
        ),
        rf"/pages/referrals/{arc}\?done=ended",
    )
    done = await client.get(f"/pages/referrals/{arc}")
    assert "Completed" in done.text and "5 December 2026" in done.text


async def test_pages_offer_each_officer_only_what_their_part_allows(start_service, haven_settings):
    client = await start_service("reciprocal")
    await sign_and_name_leads(client, haven_settings)
    # seed 002_c1c7b199d9a53274.txt §1: a partner with homes in two areas may offer in both
    none = await client.post("/pages/partners/stock-areas", data={"stock_org": "cambridge"})
    assert none.status_code == 400 and 'href="#areas"' in none.text
    see_other(
        await post(
            client, "/pages/partners/stock-areas", data={"stock_org": "cambridge", "areas": ["cambridge", "fenland"]}
        )
    )
    assert "Cambridge City Council, Fenland District Council" in (await client.get("/pages/partners")).text
    as_officer(client, haven_settings, "cambridge", "named_lead", "cambridge-lead-1")
    assert '<option value="fenland">Fenland District Council</option>' in (await client.get("/pages/pool")).text
    # seed 002_c1c7b199d9a53274.txt §3: a partner invites the coordinator to a multi-agency panel
    undated = await client.post("/pages/partners/panel-invitations", data={"panel": "marac"})
    assert (
        undated.status_code == 400
        and 'href="#meeting_on"' in undated.text
        and "Date of the meeting is required" in undated.text
    )
    impossible = await client.post(
        "/pages/partners/panel-invitations",
        data={"panel": "marac", "meeting_on-day": "31", "meeting_on-month": "2", "meeting_on-year": "2026"},
    )
    assert impossible.status_code == 400 and "Date of the meeting must be a real date" in impossible.text
    see_other(
        await post(
            client,
            "/pages/partners/panel-invitations",
            data={"panel": "marac", "meeting_on-day": "10", "meeting_on-month": "12", "meeting_on-year": "2026"},
        )
    )
    as_officer(client, haven_settings, COORD, "reciprocal_coordinator", "coord-1")
    invitations = (await client.get("/pages/partners")).text
    assert (
        'id="invitations"' in invitations
        and "10 December 2026" in invitations
        and "Send the invitation" not in invitations
    )
    # a partner officer who is not a named lead follows referrals but has no pool or conflicts
    as_officer(client, haven_settings, "fenland", "options_officer", "fenland-officer-1")
    board = await client.get("/pages/")
    assert (
        board.status_code == 200
        and 'href="/pages/pool"' not in board.text
        and 'href="/pages/conflicts"' not in board.text
    )
    refused = await client.get("/pages/referrals/new")
    assert refused.status_code == 403 and "You cannot" in refused.text
    # an organisation outside the reciprocal is told so, and cannot read its ledger
    as_officer(client, haven_settings, "bexley", "named_lead", "bexley-lead-1")
    assert "has not signed" in (await client.get("/pages/")).text
    assert (await client.get(f"/pages/ledger/{COORD}")).status_code == 403


async def test_named_leads_raise_note_escalate_and_resolve_a_conflict(start_service, haven_settings):
    """Seed 002_c1c7b199d9a53274.txt §4: named leads work a conflict together; unresolved, it goes to the Chief
    Executives/Directors."""
    client = await start_service("reciprocal")
    await sign_and_name_leads(client, haven_settings)
    as_officer(client, haven_settings, "fenland", "named_lead", "fenland-lead-1")
    listing = await client.get("/pages/conflicts")
    assert (
        '<input class="govuk-checkboxes__input" id="partners" name="partners" type="checkbox" value="cambridge"'
        in listing.text
    )
    none = await client.post("/pages/conflicts", data={"summary": "Who pays the removal."})
    assert none.status_code == 400 and 'href="#partners"' in none.text and "Who pays the removal." in none.text
    page = see_other(
        await post(client, "/pages/conflicts", data={"partners": "cambridge", "summary": "Who pays the removal."}),
        r"/pages/conflicts/CNF-\w+\?done=raised",
    )
    ref = page.split("/")[-1].split("?")[0]
    as_officer(client, haven_settings, "cambridge", "named_lead", "cambridge-lead-1")
    shown = await client.get(f"/pages/conflicts/{ref}")
    assert "Who pays the removal." in shown.text and "Fenland District Council" in shown.text
    see_other(await post(client, f"/pages/conflicts/{ref}/notes", data={"note": "Call booked for Monday."}))
    see_other(await post(client, f"/pages/conflicts/{ref}/escalate"), rf"/pages/conflicts/{ref}\?done=escalated")
    shown = await client.get(f"/pages/conflicts/{ref}")
    assert "Call booked for Monday." in shown.text and "Escalated to the Chief Executives/Directors" in shown.text
    see_other(await post(client, f"/pages/conflicts/{ref}/resolve"))
    again = await client.post(f"/pages/conflicts/{ref}/resolve")
    assert again.status_code == 409 and "already resolved" in again.text


# Invented: no real survivor data exists anywhere in this project.
PARTNER_CLIENT = {
    "name": "Sam Invented-Partner",
    "date_of_birth": "1988-04-05",
    "address": "3 Nowhere Row, Testville",
    "phone": "07000 900456",
    "safe_contact": "email only",
}


async def referred_from_options(options, token, *, consent: bool) -> tuple[str, str]:
    """A Fenland options case whose officer chose the reciprocal move: (case ref, referral ref).
    Without ``consent`` the consent recorded for the choice is withdrawn again before the coordinator acts."""
    officer = token("fenland")
    case = await options.post(
        "/cases", json={"person": PARTNER_CLIENT, "channel": "reception", "tenure": "council_secure"}, headers=officer
    )
    assert case.status_code == 201, case.text
    ref = case.json()["ref"]
    recorded = await options.post(
        f"/cases/{ref}/consents", json={"purpose": "contact_agency", "recipient": COORD}, headers=officer
    )
    assert recorded.status_code == 201, recorded.text
    assert (
        await options.post(f"/cases/{ref}/options/offer", json={"option_ids": ["reciprocal"]}, headers=officer)
    ).status_code == 201
    chosen = await options.post(
        f"/cases/{ref}/options/reciprocal/decision",
        json={"decision": "chosen", "bedrooms": 2, "unsafe_areas": ["fenland"]},
        headers=officer,
    )
    assert chosen.status_code == 200, chosen.text
    (referral,) = chosen.json()["referrals"]
    if not consent:
        withdrawn = await options.post(
            f"/cases/{ref}/consents/{recorded.json()['ref']}/withdraw", json={}, headers=officer
        )
        assert withdrawn.status_code in (200, 201), withdrawn.text
    return ref, referral["ref"]


@pytest.mark.rule("ag013.reciprocal-when-own-stock-cannot")
async def test_the_coordinator_takes_up_a_partners_referral_from_its_options_case_in_form_posts(
    start_service, token, haven_settings
):
    """003_8738e4ccc4c4272a.txt principle 8 ("it will seek to make a reciprocal arrangement with another landlord") and
    002_c1c7b199d9a53274.txt (the coordinator is accountable for "Making reciprocal referrals"): the coordinator sees
    the partners' waiting referrals in words, takes one up with a form and lands on the new referral; without the
    client's consent the partner releases nothing, and the page says so plainly."""
    options = await start_service("options")
    client = await start_service("reciprocal")
    await sign_and_name_leads(client, haven_settings)
    case_ref, referral_ref = await referred_from_options(options, token, consent=True)
    other_case, other_ref = await referred_from_options(options, token, consent=False)

    async def both_waiting():
        listing = await client.get("/pages/incoming/")
        return listing if referral_ref in listing.text and other_ref in listing.text else None

    listing = await eventually(both_waiting)
    assert listing.status_code == 200 and case_ref in listing.text and other_case in listing.text
    assert "Fenland District Council" in listing.text and "2 bedrooms" in listing.text and "Overdue" not in listing.text
    assert 'href="/pages/incoming/"' in (await client.get("/pages/")).text  # linked from the board

    form = await client.get(f"/pages/incoming/{referral_ref}")
    assert form.status_code == 200 and 'type="radio" value="domestic_violence"' in form.text
    assert (
        'name="preferred_areas" type="checkbox" value="cambridge"' in form.text
        and 'id="remit_explained_on-day"' in form.text
    )
    undated = await client.post(f"/pages/incoming/{referral_ref}", data={"abuse_category": "domestic_violence"})
    assert undated.status_code == 400 and 'href="#remit_explained_on"' in undated.text
    assert "Date the remit was explained is required" in undated.text
    taken = {
        "remit_explained_on-day": "20",
        "remit_explained_on-month": "10",
        "remit_explained_on-year": "2026",
        "abuse_category": "domestic_violence",
        "tenancy": "social",
        "preferred_areas": ["cambridge"],
    }
    page = see_other(
        await post(client, f"/pages/incoming/{referral_ref}", data=taken), r"/pages/referrals/RRF-\w+\?done=taken_up"
    )
    created = await client.get(page)
    assert created.status_code == 200 and "taken up" in created.text and PARTNER_CLIENT["name"] not in created.text
    revealed = await client.post(f"{page.split('?')[0]}/identity", data={"purpose": "casework"})
    assert PARTNER_CLIENT["name"] in revealed.text  # the partner's consented details are in the new referral
    assert referral_ref not in (await client.get("/pages/incoming/")).text

    refused = await client.post(f"/pages/incoming/{other_ref}", data=taken)
    assert refused.status_code == 409 and "Fenland District Council has not released the household" in refused.text
    assert "has not given consent" in refused.text and "govuk-error-summary" in refused.text
    assert other_ref in (await client.get("/pages/incoming/")).text  # still waiting

    as_officer(client, haven_settings, "fenland", "named_lead", "fenland-lead-1")
    assert (await client.get("/pages/incoming/")).status_code == 403
