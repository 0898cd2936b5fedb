"""Directory page over the in-process client: public and confidential tiers respected."""

from __future__ import annotations

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.web.words import check_pages


@pytest.fixture
async def start_service(start_service):
    """Every page these tests visit is checked for coded values shown as they are (``council_secure``, ``dv_lead``, ``True``)."""

    async def start(*args, **kwargs):
        return check_pages(await start_service(*args, **kwargs))

    return start


async def test_search_shows_public_services_to_anyone_signed_in_and_officers_only_where_the_api_allows(start_service, haven_settings):
    client = await start_service("directory")
    client.cookies.set("haven_token", issue_token("officer-1", "bromley", ["options_officer"], settings=haven_settings))
    r = await client.get("/pages/")
    assert r.status_code == 200, r.text
    assert 'id="public-services"' in r.text
    assert r.headers["cache-control"] == "no-store"
    partner_officers = (await client.get("/officers", params={"purpose": "contact"},
                                         headers={"Authorization": f"Bearer {client.cookies.get('haven_token')}"})).status_code
    assert ('id="officers"' in r.text) == (partner_officers == 200)
    narrowed = await client.get("/pages/", params={"q": "zzzz-no-such-service"})
    assert narrowed.status_code == 200 and "No public services match." in narrowed.text


async def test_directory_pages_need_sign_in(start_service):
    client = await start_service("directory")
    r = await client.get("/pages/", follow_redirects=False)
    assert r.status_code == 401 and 'action="/signin"' in r.text
