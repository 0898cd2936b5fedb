"""Directory pages over the in-process client: one search across organisations, agencies, services and
officers with the tiers respected; an organisation's seniors correct their own entries only."""

from __future__ import annotations

import re

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.web.words import check_pages


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``,
    ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


def _as(client, settings, org: str, *roles: str) -> None:
    client.cookies.set("haven_token", issue_token("officer-1", org, list(roles), settings=settings))


async def test_search_finds_agencies_by_name_with_their_organisation_and_respects_the_tiers(
    start_service, haven_settings
):
    """As required: "Bexley Women" found nothing and services had no organisation column."""
    client = await start_service("directory")
    _as(client, haven_settings, "bromley", "options_officer")
    r = await client.get("/pages/")
    assert r.status_code == 200, r.text
    assert 'id="services"' in r.text and 'id="organisations"' in r.text and 'id="officers"' in r.text
    assert r.headers["cache-control"] == "no-store"
    found = await client.get("/pages/", params={"q": "Bexley Women"})
    organisations = found.text.split('id="organisations"', 1)[1].split("</table>", 1)[0]
    assert "Bexley Women&#39;s Aid" in organisations and "Bromley" not in organisations
    services = found.text.split('id="services"', 1)[1].split("</table>", 1)[0] if 'id="services"' in found.text else ""
    assert all(
        "Bexley Women&#39;s Aid" in row
        for row in re.findall(r"<tr class=\"govuk-table__row\"><td.*?</tr>", services, re.S)
    )
    assert "Correct this" not in found.text  # an options officer corrects nothing
    narrowed = await client.get("/pages/", params={"q": "zzzz-no-such-service"})
    assert (
        narrowed.status_code == 200
        and "No services match." in narrowed.text
        and "No organisations match." in narrowed.text
    )


async def test_seniors_correct_their_own_organisations_service_hours_and_phones_only(start_service, haven_settings):
    """AG/013 principle 9 (003_8738e4ccc4c4272a.txt): "an up to date list of local agencies"; the owning
    organisation's seniors keep their entries right, with days and times picked rather than typed."""
    client = await start_service("directory")
    _as(client, haven_settings, "bromley", "options_officer")
    assert (await client.get("/pages/services/bromley-one-stop-shop")).status_code == 403
    _as(client, haven_settings, "bromley", "team_manager")
    listing = await client.get("/pages/", params={"q": "One-Stop"})
    assert 'href="/pages/services/bromley-one-stop-shop"' in listing.text
    form = await client.get("/pages/services/bromley-one-stop-shop")
    assert form.status_code == 200 and 'value="Open two mornings a week"' in form.text
    data = {
        "name": "One-Stop Shop",
        "description": "Signposting and legal advice.",
        "status": "active",
        "phone-0-number": "020 8000 0000",
        "phone-0-description": "Bookings",
        "sessions": "1",
        "session-0-description": "Open two mornings a week",
        "session-1-days": ["MO", "TH"],
        "session-1-opens_at": "09:30",
        "session-1-closes_at": "12:30",
        "session-1-description": "Drop-in",
    }
    bad = await client.post(
        "/pages/services/bromley-one-stop-shop", data=data | {"session-1-closes_at": "09:00"}, follow_redirects=False
    )
    assert bad.status_code == 400 and 'id="schedules-error"' in bad.text and 'value="09:00"' in bad.text
    ok = await client.post("/pages/services/bromley-one-stop-shop", data=data, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    after = (await client.get(ok.headers["location"])).text
    assert (
        "Correction saved" in after
        and "Drop-in: Monday, Thursday, 9:30 to 12:30" in after
        and "020 8000 0000 (Bookings)" in after
    )
    public = (await client.get("/services", params={"search": "One-Stop", "full": "true"})).json()["contents"][0]
    assert [p["number"] for p in public["phones"]] == ["020 8000 0000"]
    assert (await client.get("/pages/services/bexley-legal-clinic")).status_code in (403, 404)
    assert (await client.get("/pages/organisations/bexley")).status_code == 403
    org = await client.post(
        "/pages/organisations/bromley",
        data={"name": "London Borough of Bromley", "description": "Housing options.", "email": "not an address"},
        follow_redirects=False,
    )
    assert org.status_code == 400 and 'id="email-error"' in org.text


async def test_directory_pages_need_sign_in(start_service):
    client = await start_service("directory")
    r = await client.get("/pages/", follow_redirects=False)
    assert r.status_code == 401 and 'action="/signin"' in r.text


async def test_seniors_keep_their_own_organisations_officers_and_posts(start_service, haven_settings):
    """Seed 000_93a7cd5d2a8b6030.txt: advance contact goes to "a list of named officers with DV leads and
    team managers", which each borough's seniors keep: add an officer, give them the DV lead post, correct
    their record, and record that they have left (their post left vacant)."""
    client = await start_service("directory")
    _as(client, haven_settings, "bromley", "options_officer")
    assert (await client.get("/pages/officers")).status_code == 403
    _as(client, haven_settings, "bromley", "team_manager")
    listing = await client.get("/pages/officers")
    assert listing.status_code == 200 and 'id="officers"' in listing.text
    blank = await client.post("/pages/officers/new", data={"key": "", "name": ""})
    assert blank.status_code == 400 and ('id="key-error"' in blank.text or 'id="name-error"' in blank.text)
    added = await client.post(
        "/pages/officers/new",
        data={"key": "bromley-dv-lead-invented", "name": "Pat Invented", "sex": "female", "dv_specialism": "yes"},
    )
    assert added.status_code == 200 and "Officer added" in added.text, added.text
    again = await client.post("/pages/officers/new", data={"key": "bromley-dv-lead-invented", "name": "Pat Again"})
    assert again.status_code == 409 and "already exists" in again.text
    given = await client.post("/pages/posts", data={"position": "dv_lead", "officer_key": "bromley-dv-lead-invented"})
    assert given.status_code == 200 and "Post given" in given.text, given.text
    posts = (await client.get("/pages/officers")).text.split('id="post-holders"', 1)[1].split("</dl>", 1)[0]
    assert "DV lead" in posts and "Pat Invented" in posts
    fixed = await client.post(
        "/pages/officers/bromley-dv-lead-invented",
        data={"name": "Pat Invented-Corrected", "job_title": "Domestic abuse lead", "sex": "female"},
    )
    assert fixed.status_code == 200 and "record corrected" in fixed.text, fixed.text
    form = await client.get("/pages/officers/bromley-dv-lead-invented")
    assert 'value="Pat Invented-Corrected"' in form.text and 'value="Domestic abuse lead"' in form.text
    _as(client, haven_settings, "bexley", "dv_lead")
    assert (await client.get("/pages/officers/bromley-dv-lead-invented")).status_code == 404
    refused = await client.post("/pages/officers/bromley-dv-lead-invented", data={"action": "end"})
    assert refused.status_code == 403
    _as(client, haven_settings, "bromley", "team_manager")
    ended = await client.post("/pages/officers/bromley-dv-lead-invented", data={"action": "end"})
    assert ended.status_code == 200 and "recorded as left" in ended.text, ended.text
    after = (await client.get("/pages/officers")).text
    assert "Pat Invented-Corrected" not in after.split('id="post-holders"', 1)[-1].split("</dl>", 1)[0]
    assert "Left" in after.split('id="officers"', 1)[1]
