"""Sanctuary pages over the in-process client: Appendix A form errors next to the field, the board, each step."""

from __future__ import annotations

import pytest

import re

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.web.words import check_pages


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``, ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


CRITERIA = ("lives_in_borough", "right_to_occupy", "perpetrator_not_resident", "victim_agrees",
            "intends_to_remain", "safe_to_remain", "homeless_without_works")
FORM = {
    "scheme": "dartford", "person_name": "Alex Invented", "person_address": "1 Example Road, Dartford DA1 1AA",
    "person_telephone": "01322 000000", "person_date_of_birth": "1990-01-02", "property_type": "house",
    "tenure": "private_sector_tenant", "landlord_name": "Example Homes", "reason": "Invented reason for the referral.",
    "referrer_name": "Sam Referrer", "referrer_position": "IDVA", "referrer_organisation": "Example Support",
    "referrer_telephone": "01322 111111", "referrer_email": "sam@example.org",
}


@pytest.mark.rule("dartford.eligibility-criteria", "dartford.landlord-permission")
async def test_referral_form_to_works_completed_through_the_pages(start_service, haven_settings):
    """Seed 004_d4b796f614d2cfd3.txt: referral form (Appendix A) → landlord permission → eligibility →
    police recommendations → works arranged and completed."""
    client = await start_service("sanctuary")
    client.cookies.set("haven_token", issue_token("so-1", "dartford", ["sanctuary_officer"], settings=haven_settings))
    bad = await client.post("/pages/referrals/new", data=FORM | {"person_telephone": "call me"}, follow_redirects=False)
    assert bad.status_code == 400, bad.text
    assert 'id="person_telephone-error"' in bad.text and 'value="call me"' in bad.text and 'value="Alex Invented"' in bad.text
    assert "Alex Invented" not in re.search(r"<title>(.*?)</title>", bad.text, re.S).group(1)
    r = await client.post("/pages/referrals/new", data=FORM, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = r.headers["location"]
    ref = page.rsplit("/", 1)[1]
    board = await client.get("/pages/")
    assert board.status_code == 200 and ref in board.text

    async def step(path: str, data: dict | None = None) -> None:
        resp = await client.post(f"{page}/{path}", data=data or {}, follow_redirects=False)
        assert resp.status_code == 303, (path, resp.status_code, re.findall(r'class="error"[^>]*>([^<]*)', resp.text))

    early = await client.post(f"{page}/steps/works", data={"contractor": "Example Locks Ltd"}, follow_redirects=False)
    assert early.status_code == 409 and 'id="works-error"' in early.text and 'value="Example Locks Ltd"' in early.text
    await step("steps/landlord", {"decision": "given"})
    for key in CRITERIA:
        await step("criteria", {"key": key, "status": "met"})
    await step("steps/decide")
    await step("steps/inspect")
    await step("steps/booking", {"appointment_at": "2026-12-01T10:00"})
    await step("steps/recommendations", {"measures": ["mortice_lock", "door_viewer"]})
    await step("steps/works", {"contractor": "Example Locks Ltd", "contractor_due_at": "2099-01-10T12:00"})
    await step("steps/complete", {"cost": "650.00"})
    detail = await client.get(page)
    assert 'id="works-completed"' in detail.text and "survey sent" in detail.text.lower()


async def test_referral_form_preselects_only_the_officers_own_scheme(start_service, haven_settings):
    """Issue 18: the form preselected the first scheme (Bexley for a Dartford officer)."""
    client = await start_service("sanctuary")

    def chosen(html: str) -> tuple[list[str], list[str]]:
        select = html.split('id="scheme"', 1)[1].split("</select>", 1)[0]
        options = re.findall(r"<option[^>]*>", select)
        return ([re.search(r'value="([^"]*)"', o).group(1) for o in options],
                [re.search(r'value="([^"]*)"', o).group(1) for o in options if "selected" in o])

    client.cookies.set("haven_token", issue_token("so-1", "dartford", ["sanctuary_officer"], settings=haven_settings))
    values, selected = chosen((await client.get("/pages/referrals/new")).text)
    assert "dartford" in values and selected == ["dartford"]
    schemes = set(values)
    outsider = next(o for o in ("bromley", "lewisham", "greenwich", "southwark", "cambridgeshire-da-services") if o not in schemes)
    client.cookies.set("haven_token", issue_token("oo-1", outsider, ["options_officer"], settings=haven_settings))
    values, selected = chosen((await client.get("/pages/referrals/new")).text)
    assert values[0] == "" and selected in ([], [""])
    refused = await client.post("/pages/referrals/new", data=FORM | {"scheme": ""}, follow_redirects=False)
    assert refused.status_code == 400 and 'id="scheme-error"' in refused.text
