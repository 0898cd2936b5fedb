"""Options pages over the in-process client: sign-in cookie, forms that keep typed values, safe headers."""

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


INVENTED_NAME = "Jo Invented-Example"


def _cookie(client, settings, org: str, *roles: str) -> None:
    client.cookies.set("haven_token", issue_token("officer-1", org, roles or ("options_officer",), settings=settings))


async def test_start_page_redirects_to_sign_in_and_sign_in_sets_a_strict_httponly_cookie(start_service):
    options = await start_service("options")
    r = await options.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    form = await options.get("/signin")
    assert form.status_code == 200 and "Sign in" in form.text
    r = await options.post(
        "/signin",
        data={"sub": "officer-7", "org": "bromley", "roles": ["options_officer", "dv_lead"]},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    start = await options.get("/")
    assert start.status_code == 200 and "What needs attention now" in start.text
    assert start.headers["cache-control"] == "no-store"


async def test_open_case_form_keeps_what_was_typed_and_names_the_field_then_redirects(start_service, haven_settings):
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    bad = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "adults": "0", "channel": "reception"}, follow_redirects=False
    )
    assert bad.status_code == 400, bad.text
    assert INVENTED_NAME in bad.text and 'id="adults-error"' in bad.text
    ok = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "adults": "1", "channel": "reception"}, follow_redirects=False
    )
    assert ok.status_code == 303, ok.text
    location = ok.headers["location"]
    assert re.fullmatch(r"/pages/cases/[A-Z]+-[0-9A-Z]+", location)
    page = await options.get(location)
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
    assert INVENTED_NAME not in title and "Invented" not in location
    # the officer sees who the case is about (an audited read), in the body only
    assert INVENTED_NAME in page.text.split('id="case-details"', 1)[1]


async def test_refused_consent_is_shown_next_to_the_field_with_the_typed_recipient_kept(start_service, haven_settings):
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ok = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "channel": "reception"}, follow_redirects=False
    )
    ref = ok.headers["location"].rsplit("/", 1)[1]
    bad = await options.post(
        f"/pages/cases/{ref}/consents",
        data={"purpose": "contact_agency", "recipient": "Not An Id!"},
        follow_redirects=False,
    )
    assert bad.status_code == 400
    assert 'id="consent-recipient-error"' in bad.text and 'value="Not An Id!"' in bad.text
    good = await options.post(
        f"/pages/cases/{ref}/consents",
        data={"purpose": "contact_agency", "recipient": "bromley-idva"},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == f"/pages/cases/{ref}/options"


@pytest.mark.rule("jwa.quarterly-sub-group", "jwa.monitoring")
async def test_monitoring_page_shows_the_quarter_and_downloads_csv(start_service, haven_settings):
    """Seed 000_93a7cd5d2a8b6030.txt: "The DV sub-group will have responsibility for monitoring the effectiveness
    of the working agreement"."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley", "dv_lead")
    r = await options.get("/pages/monitoring")
    assert r.status_code == 200 and "JWA monitoring report" in r.text and "Download CSV" in r.text
    csv = await options.get("/pages/monitoring/report.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    _cookie(options, haven_settings, "bromley", "options_officer")
    refused = await options.get("/pages/monitoring")
    assert refused.status_code == 403


async def test_sign_out_clears_the_cookie_and_pages_carry_the_security_headers(start_service, haven_settings):
    options = await start_service("options")
    form = await options.get("/signin")
    assert (
        form.headers["cache-control"] == "no-store"
        and "frame-ancestors 'none'" in form.headers["content-security-policy"]
    )
    _cookie(options, haven_settings, "bromley")
    start = await options.get("/")
    assert 'action="/signout"' in start.text and start.headers["referrer-policy"] == "no-referrer"
    out = await options.post("/signout", follow_redirects=False)
    cookie = out.headers["set-cookie"].lower()
    assert out.status_code == 303 and "haven_token=" in cookie and ("max-age=0" in cookie or "1970" in cookie), cookie


async def test_dash_post_redirects_to_the_result_so_refresh_does_not_resubmit(start_service, haven_settings):
    """DASH.md: "Visible high risk: 14 or more \"yes\" answers" recommends a MARAC referral."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ok = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "channel": "reception"}, follow_redirects=False
    )
    ref = ok.headers["location"].rsplit("/", 1)[1]
    answers = {f"q{n}": "yes" for n in range(1, 15)}
    r = await options.post(f"/pages/cases/{ref}/dash", data=answers, follow_redirects=False)
    assert r.status_code == 303 and "?assessment=" in r.headers["location"], r.text
    shown = await options.get(r.headers["location"])
    assert "Refer to MARAC" in shown.text and "visible high risk" in shown.text.lower()


def test_browser_tests_skip_with_install_advice_when_no_chromium(monkeypatch):
    from haven_runtime.testing import browser as browsertest

    monkeypatch.setenv("HAVEN_CHROMIUM", "")
    assert browsertest.chromium_path() is None
    assert "apt-get install chromium" in browsertest.INSTALL_HINT and "playwright install" in browsertest.INSTALL_HINT
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browsertest.no_browser("no Chromium found")


def test_under_ci_a_missing_browser_fails_instead_of_skipping(monkeypatch):
    from haven_runtime.testing import browser as browsertest

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no Chromium found"):
        browsertest.no_browser("no Chromium found")


@pytest.mark.rule("jwa.range-of-options")
async def test_choosing_an_offered_option_from_the_list_and_a_refused_repeat_shown_beside_it(
    start_service, haven_settings
):
    """Seed 000_93a7cd5d2a8b6030.txt: "Boroughs will seek to offer a wide range of housing options"; the
    client's choice is recorded against the option offered."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ok = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "channel": "reception"}, follow_redirects=False
    )
    ref = ok.headers["location"].rsplit("/", 1)[1]
    listing = (await options.get(f"/pages/cases/{ref}/options")).text
    offered = re.findall(r'name="option_ids" value="([^"]+)"[^>]*checked', listing)
    assert offered
    assert (
        await options.post(f"/pages/cases/{ref}/options/offer", data={"option_ids": offered}, follow_redirects=False)
    ).status_code == 303
    chosen = offered[0]
    first = await options.post(
        f"/pages/cases/{ref}/options/{chosen}/decision", data={"decision": "chosen"}, follow_redirects=False
    )
    assert first.status_code == 303
    again = await options.post(
        f"/pages/cases/{ref}/options/{chosen}/decision", data={"decision": "refused"}, follow_redirects=False
    )
    assert again.status_code == 409 and f'id="decision-{chosen}-error"' in again.text and "already chosen" in again.text


def test_validation_messages_are_put_in_plain_words():
    from haven_runtime.web.pages import ApiError

    body = {
        "status_code": 400,
        "detail": "Validation failed",
        "extra": [
            {"key": "person.telephone", "message": "Expected `str` matching regex '^[0-9 ]+$'", "source": "body"},
            {"key": "adults", "message": "Expected `int` >= 1", "source": "body"},
        ],
    }
    assert ApiError(400, body).field_errors() == {
        "person.telephone": "is not in the expected format",
        "adults": "must be 1 or more",
    }
    assert ApiError(409, {"detail": "option x is already chosen"}).field_errors() == {"_": "option x is already chosen"}
    assert ApiError(422, {"detail": "to_org: must be another organisation"}).field_errors() == {
        "to_org": "must be another organisation"
    }


async def _open_case(options) -> str:
    ok = await options.post(
        "/pages/cases/new", data={"name": INVENTED_NAME, "channel": "reception"}, follow_redirects=False
    )
    assert ok.status_code == 303, ok.text
    return ok.headers["location"].rsplit("/", 1)[1]


def _checked(html: str, name: str) -> str | None:
    """The value of the checked radio ``name`` on the page."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


async def test_dash_form_keeps_the_recorded_answers_after_record_checklist(start_service, haven_settings):
    """After "Record checklist" the 24 questions showed "Not known" again, so a second
    submit would have recorded a blank checklist."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ref = await _open_case(options)
    blank = await options.get(f"/pages/cases/{ref}/dash")
    assert _checked(blank.text, "q1") == "not_known"
    r = await options.post(
        f"/pages/cases/{ref}/dash", data={"q1": "yes", "q2": "no", "q3": "yes"}, follow_redirects=False
    )
    assert r.status_code == 303
    shown = await options.get(r.headers["location"])
    assert [_checked(shown.text, f"q{n}") for n in (1, 2, 3, 4, 24)] == ["yes", "no", "yes", "not_known", "not_known"]
    again = await options.get(f"/pages/cases/{ref}/dash")  # coming back later: the latest answers
    assert _checked(again.text, "q1") == "yes" and _checked(again.text, "q2") == "no"


async def test_marac_referral_recommended_has_its_action_which_needs_consent(start_service, haven_settings):
    """DASH.md: 14 or more "yes" answers recommend a MARAC referral; the page offers to record it."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ref = await _open_case(options)
    await options.post(f"/pages/cases/{ref}/dash", data={f"q{n}": "yes" for n in range(1, 15)}, follow_redirects=False)
    case = await options.get(f"/pages/cases/{ref}")
    assert "MARAC referral recommended" in case.text and f'action="/pages/cases/{ref}/marac"' in case.text
    refused = await options.post(f"/pages/cases/{ref}/marac", follow_redirects=False)
    assert refused.status_code == 409 and 'id="marac"' in refused.text and "consent" in refused.text
    listing = await options.get(f"/pages/cases/{ref}/options")
    assert 'list="consent-recipient-suggestions"' in listing.text and '<option value="marac">' in listing.text
    consent = await options.post(
        f"/pages/cases/{ref}/consents", data={"purpose": "refer_to_marac", "recipient": "marac"}, follow_redirects=False
    )
    assert consent.status_code == 303, consent.text
    assert "MARAC" in (await options.get(consent.headers["location"])).text.split('id="consent"', 1)[1]
    done = await options.post(f"/pages/cases/{ref}/marac", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/pages/cases/{ref}?done=marac"
    assert "MARAC referral recorded" in (await options.get(done.headers["location"])).text


async def test_jwa_destinations_are_only_organisations_that_take_part_in_the_agreement(start_service, haven_settings):
    """The destination list offered organisations that cannot receive (422 "Not done")."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ref = await _open_case(options)
    case = (await options.get(f"/pages/cases/{ref}")).text
    select = case.split('id="to_org"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'value="([^"]+)"', select))
    plugins = options.app.state["haven"].plugins
    assert offered and "bromley" not in offered
    assert not offered & {"dartford", "cambridgeshire-da-services"}
    assert all(plugins.call(org, "haven_jwa_settings") is not None for org in offered)
    jwa = (await options.get("/pages/jwa")).text
    arriving = set(re.findall(r'value="([^"]+)"', jwa.split('id="ta-from_org"', 1)[1].split("</select>", 1)[0]))
    assert arriving - {""} == offered


async def test_start_page_links_only_to_what_the_role_can_use_and_says_when_it_cannot_see(
    start_service, haven_settings
):
    """Links to pages the role cannot use; a 403 from another service shown as "None waiting"."""
    options = await start_service("options")
    _cookie(options, haven_settings, "dartford", "sanctuary_officer")
    start = await options.get("/")
    assert start.status_code == 200
    assert 'href="/pages/cases/new"' not in start.text and 'href="/pages/jwa"' not in start.text
    assert 'href="/pages/monitoring"' not in start.text and "Reciprocal board" not in start.text
    reciprocal = start.text.split(">Reciprocal</h3>", 1)[1]
    assert reciprocal.split("</p>", 1)[0].endswith("You cannot see this.")
    _cookie(options, haven_settings, "bromley", "options_officer")
    officer = await options.get("/")
    assert 'href="/pages/cases/new"' in officer.text and 'href="/pages/monitoring"' not in officer.text


async def test_a_refusal_reads_you_cannot_see_this_with_roles_in_words(start_service, haven_settings):
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley", "options_officer")
    refused = await options.get("/pages/monitoring")
    assert refused.status_code == 403 and "You cannot see this" in refused.text and "DV lead" in refused.text


async def test_monitoring_period_is_chosen_with_date_boxes(start_service, haven_settings):
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley", "dv_lead")
    r = await options.get(
        "/pages/monitoring",
        params={
            "from-day": "1",
            "from-month": "7",
            "from-year": "2026",
            "to-day": "1",
            "to-month": "10",
            "to-year": "2026",
        },
    )
    assert r.status_code == 200, r.text
    assert 'name="from-day"' in r.text and 'value="2026"' in r.text
    assert "from=2026-07-01T00%3A00%3A00%2B00%3A00" in r.text  # the CSV download covers the same period


async def test_sign_in_form_names_roles_in_words_even_when_refusing(start_service):
    options = await start_service("options")
    form = await options.get("/signin")
    assert "DV lead" in form.text and 'value="dv_lead"' in form.text
    refused = await options.post(
        "/signin", data={"sub": "officer-7", "org": "bromley", "roles": ["wizard"]}, follow_redirects=False
    )
    assert (
        refused.status_code == 400
        and "wizard" in refused.text
        and "DV lead" in refused.text.split("There is a problem", 1)[1]
    )


@pytest.mark.rule("jwa.information-as-soon-as-requested")
async def test_the_borough_asked_finds_which_client_is_meant_from_the_jwa_inbox(start_service, haven_settings):
    """000_93a7cd5d2a8b6030.txt: "information will be sent through by email/fax as soon as requested" — from the inbox
    the borough asked fetches the requester's identifying details (refused without consent) and sees its matching
    cases."""
    options = await start_service("options")

    def bearer(org):
        return {
            "Authorization": f"Bearer {issue_token('officer-2', org, ['options_officer'], settings=haven_settings)}"
        }

    person = {"name": INVENTED_NAME, "date_of_birth": "1990-02-03"}
    ours = (
        await options.post("/cases", json={"person": person, "channel": "reception"}, headers=bearer("bexley"))
    ).json()["ref"]
    theirs = (
        await options.post("/cases", json={"person": person, "channel": "reception"}, headers=bearer("bromley"))
    ).json()["ref"]
    ref = (
        await options.post(
            "/jwa/information-requests", json={"case_ref": theirs, "to_org": "bexley"}, headers=bearer("bromley")
        )
    ).json()["ref"]
    _cookie(options, haven_settings, "bexley")
    inbox = (await options.get("/pages/jwa")).text
    assert f'action="/pages/jwa/information-requests/{ref}/identify"' in inbox
    refused = await options.post(f"/pages/jwa/information-requests/{ref}/identify")
    assert refused.status_code == 200 and 'id="refused"' in refused.text and INVENTED_NAME not in refused.text
    await options.post(
        f"/cases/{theirs}/consents",
        json={"purpose": "share_with_borough", "recipient": "bexley"},
        headers=bearer("bromley"),
    )
    found = await options.post(f"/pages/jwa/information-requests/{ref}/identify")
    assert found.status_code == 200 and INVENTED_NAME in found.text
    candidates = found.text.split('id="candidates"', 1)[1]
    assert ours in candidates and theirs not in candidates
    assert INVENTED_NAME not in re.search(r"<title>(.*?)</title>", found.text, re.S).group(1)


async def test_sheet_for_an_officer_not_in_the_directory_then_close_the_case(start_service, haven_settings):
    """Seed 000_93a7cd5d2a8b6030.txt: the sheet carries the "name of officer and contact details"; an officer
    the directory does not know is asked for them (blank boxes cannot sign it). Then the case is closed from its
    page."""
    options = await start_service("options")
    _cookie(options, haven_settings, "bromley")
    ref = await _open_case(options)
    listing = (await options.get(f"/pages/cases/{ref}/options")).text
    assert "You are not in the directory" in listing
    offered = re.findall(r'name="option_ids" value="([^"]+)"[^>]*checked', listing)
    assert offered
    r = await options.post(f"/pages/cases/{ref}/options/offer", data={"option_ids": offered}, follow_redirects=False)
    assert r.status_code == 303, r.text
    blank = await options.post(
        f"/pages/cases/{ref}/sheets", data={"officer_name": "", "officer_contact": ""}, follow_redirects=False
    )
    assert (
        blank.status_code == 400
        and 'id="sheet-officer_name-error"' in blank.text
        and "not in the directory" in blank.text
    )
    signed = await options.post(
        f"/pages/cases/{ref}/sheets",
        data={"officer_name": "Sam Officer (invented)", "officer_contact": "sam.officer@bromley.example"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == f"/pages/cases/{ref}/sheets/1"
    sheet = (await options.get(signed.headers["location"])).text
    assert "sam.officer@bromley.example" in sheet and INVENTED_NAME not in sheet

    unchosen = await options.post(f"/pages/cases/{ref}/close", data={}, follow_redirects=False)
    assert unchosen.status_code == 400 and 'id="close-outcome-error"' in unchosen.text
    closed = await options.post(f"/pages/cases/{ref}/close", data={"outcome": "advice_given"}, follow_redirects=False)
    assert closed.status_code == 303 and closed.headers["location"] == f"/pages/cases/{ref}?done=closed"
    case = (await options.get(closed.headers["location"])).text
    assert "Case closed" in case and 'id="closed"' in case and 'id="close-form"' not in case
    again = await options.post(f"/pages/cases/{ref}/close", data={"outcome": "advice_given"}, follow_redirects=False)
    assert again.status_code == 409 and "is closed" in again.text
