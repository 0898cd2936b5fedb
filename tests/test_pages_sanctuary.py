"""Sanctuary pages over the in-process client: Appendix A form errors next to the field, the board, each step."""

from __future__ import annotations

import re

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.web.words import check_pages
from haven_sanctuary.eligibility import OFFICER_CRITERIA


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``,
    ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


CRITERIA = OFFICER_CRITERIA
FORM = {
    "scheme": "dartford",
    "person_name": "Alex Invented",
    "person_address": "1 Example Road, Dartford DA1 1AA",
    "person_telephone": "01322 000000",
    "person_date_of_birth": "1990-01-02",
    "property_type": "house",
    "tenure": "private_sector_tenant",
    "landlord_name": "Example Homes",
    "reason": "Invented reason for the referral.",
    "referrer_name": "Sam Referrer",
    "referrer_position": "IDVA",
    "referrer_organisation": "Example Support",
    "referrer_telephone": "01322 111111",
    "referrer_email": "sam@example.org",
}


@pytest.mark.rule("dartford.eligibility-criteria", "dartford.landlord-permission")
async def test_referral_form_through_to_the_survey_one_stage_at_a_time(start_service, haven_settings):
    """Seed 004_d4b796f614d2cfd3.txt: referral form (Appendix A) → landlord permission and the criteria (s.7) →
    police inspection and recommendations (s.9) → works (s.9) → satisfaction survey (s.11); the page shows
    only the controls of the stage the referral is at, with its running clocks."""
    client = await start_service("sanctuary")
    client.cookies.set("haven_token", issue_token("so-1", "dartford", ["sanctuary_officer"], settings=haven_settings))
    bad = await client.post("/pages/referrals/new", data=FORM | {"person_telephone": "call me"}, follow_redirects=False)
    assert bad.status_code == 400, bad.text
    assert (
        'id="person_telephone-error"' in bad.text
        and 'value="call me"' in bad.text
        and 'value="Alex Invented"' in bad.text
    )
    assert "Alex Invented" not in re.search(r"<title>(.*?)</title>", bad.text, re.S).group(1)
    r = await client.post("/pages/referrals/new", data=FORM, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = r.headers["location"]
    ref = page.rsplit("/", 1)[1]
    board = await client.get("/pages/")
    assert board.status_code == 200 and ref in board.text

    async def step(name: str, data: dict | None = None) -> str:
        resp = await client.post(f"{page}/steps/{name}", data=data or {}, follow_redirects=False)
        assert resp.status_code == 303, (
            name,
            resp.status_code,
            re.findall(r'govuk-error-message[^>]*>(.*?)</p>', resp.text, re.S),
        )
        return (await client.get(page)).text

    def controls(html: str) -> set[str]:
        return set(
            re.findall(
                r'action="/pages/referrals/[^/]+/steps/([a-z-]+)"',
                html.split('id="stage"', 1)[1].split("</section>", 1)[0],
            )
        )

    detail = (await client.get(page)).text
    assert controls(detail) == {"landlord-permission", "criteria", "decide"} and 'id="clocks"' in detail
    early = await client.post(f"{page}/steps/works", data={"contractor": "Example Locks Ltd"}, follow_redirects=False)
    assert (
        early.status_code == 409
        and 'id="works-error"' not in early.text
        and "before the police assessment" in early.text
    )
    await step("landlord-permission", {"decision": "given"})
    # the whole checklist in one form; an unchanged criterion is not recorded again
    detail = await step("criteria", {f"crit-{key}": "met" for key in CRITERIA})
    assert detail.count("Confirmed by so-1") >= len(CRITERIA)
    detail = await step("decide")
    assert controls(detail) == {"inspection-request"}
    detail = await step("inspection-request")
    assert controls(detail) == {"inspection-booking", "recommendations"}
    await step("inspection-booking", {"appointment_at": "2026-12-01T10:00"})
    detail = await step("recommendations", {"measures": ["mortice_lock", "door_viewer"]})
    assert controls(detail) == {"works"}
    detail = await step("works", {"contractor": "Example Locks Ltd", "contractor_due_at": "2099-01-10T12:00"})
    assert controls(detail) == {"works-complete"}
    detail = await step("works-complete", {"cost": "650.00"})
    assert 'id="works-completed"' in detail and controls(detail) == {"survey"}
    detail = await step("survey", {"satisfaction": "5", "felt_safer": "yes"})
    assert controls(detail) == {"close"} and 'id="survey-result"' in detail
    detail = await step("close", {"outcome": "completed"})
    assert controls(detail) == set() and 'id="outcome"' in detail


async def test_referral_form_preselects_only_the_officers_own_scheme(start_service, haven_settings):
    """The form preselected the first scheme (Bexley for a Dartford officer)."""
    client = await start_service("sanctuary")

    def chosen(html: str) -> tuple[list[str], list[str]]:
        select = html.split('id="scheme"', 1)[1].split("</select>", 1)[0]
        options = re.findall(r"<option[^>]*>", select)
        return (
            [re.search(r'value="([^"]*)"', o).group(1) for o in options],
            [re.search(r'value="([^"]*)"', o).group(1) for o in options if "selected" in o],
        )

    client.cookies.set("haven_token", issue_token("so-1", "dartford", ["sanctuary_officer"], settings=haven_settings))
    values, selected = chosen((await client.get("/pages/referrals/new")).text)
    assert "dartford" in values and selected == ["dartford"]
    schemes = set(values)
    outsider = next(
        o for o in ("bromley", "lewisham", "greenwich", "southwark", "cambridgeshire-da-services") if o not in schemes
    )
    client.cookies.set("haven_token", issue_token("oo-1", outsider, ["options_officer"], settings=haven_settings))
    values, selected = chosen((await client.get("/pages/referrals/new")).text)
    assert values[0] == "" and selected in ([], [""])
    refused = await client.post("/pages/referrals/new", data=FORM | {"scheme": ""}, follow_redirects=False)
    assert refused.status_code == 400 and 'id="scheme-error"' in refused.text


async def test_police_crime_prevention_officer_sees_the_visit_only_once_asked_and_records_it_there(
    start_service, haven_settings
):
    """Seed 004_d4b796f614d2cfd3.txt (s.9): the scheme asks the police to inspect; the crime prevention officer
    sees what the visit needs (address, telephone) and nothing of the referral form, only once asked, and
    books the visit and records the recommendations from the visit page, a refusal shown there."""
    client = await start_service("sanctuary")

    def as_(sub: str, org: str, role: str) -> None:
        client.cookies.set("haven_token", issue_token(sub, org, [role], settings=haven_settings))

    as_("so-1", "dartford", "sanctuary_officer")
    ref = (await client.post("/pages/referrals/new", data=FORM, follow_redirects=False)).headers["location"]
    ref = ref.rsplit("/", 1)[1]
    for name, data in (
        ("landlord-permission", {"decision": "given"}),
        ("criteria", {f"crit-{key}": "met" for key in CRITERIA}),
        ("decide", {}),
    ):
        assert (
            await client.post(f"/pages/referrals/{ref}/steps/{name}", data=data, follow_redirects=False)
        ).status_code == 303
    as_("cpo-1", "dartford", "police_cpo")
    assert f'href="/pages/inspections/{ref}"' not in (await client.get("/pages/")).text
    assert (await client.get(f"/pages/inspections/{ref}")).status_code in (403, 404)  # refused: not asked yet
    as_("so-1", "dartford", "sanctuary_officer")
    asked = await client.post(f"/pages/referrals/{ref}/steps/inspection-request", data={}, follow_redirects=False)
    assert asked.status_code == 303
    as_("cpo-1", "dartford", "police_cpo")
    board = (await client.get("/pages/")).text
    assert f'href="/pages/inspections/{ref}"' in board.split('id="inspections"', 1)[1]
    visit = (await client.get(f"/pages/inspections/{ref}")).text
    assert "1 Example Road, Dartford DA1 1AA" in visit and "01322 000000" in visit
    assert "Alex Invented" not in visit and "Invented reason" not in visit
    assert (await client.get(f"/pages/referrals/{ref}")).status_code in (403, 404)  # the referral form is not theirs
    steps = f"/pages/referrals/{ref}/steps"
    empty = await client.post(f"{steps}/recommendations", data={"from": "visit"}, follow_redirects=False)
    assert empty.status_code == 400 and 'id="recommendations-error"' in empty.text and 'id="visit"' in empty.text
    booked = await client.post(
        f"{steps}/inspection-booking",
        data={"from": "visit", "appointment_at": "2026-12-01T10:00"},
        follow_redirects=False,
    )
    assert booked.status_code == 303 and booked.headers["location"] == f"/pages/inspections/{ref}?done=saved"
    recommended = await client.post(
        f"{steps}/recommendations", data={"from": "visit", "measures": ["mortice_lock"]}, follow_redirects=False
    )
    assert recommended.status_code == 303
    done = (await client.get(f"/pages/inspections/{ref}")).text
    assert 'id="recommended"' in done and 'action="/pages/referrals/' not in done
    as_("cpo-2", "bromley", "police_cpo")
    assert (await client.get(f"/pages/inspections/{ref}")).status_code in (403, 404)  # another force's officer
