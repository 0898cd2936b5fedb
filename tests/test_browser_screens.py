"""Browser: the reciprocal board and ledger chart, the directory search and a correction, the monitoring
report and a narrow screen, with screenshots for the README (docs/screenshots/)."""

from __future__ import annotations

import httpx
import pytest

from haven_runtime.identity import issue_token
from haven_runtime.settings import load_settings
from haven_runtime.testing import TEST_TOKEN_KEYS
from haven_runtime.testing.browser import (  # noqa: F401 (fixtures)
    QUICK_EXIT,
    WIDTHS,
    browser,
    check_page,
    new_page,
    screenshot,
    sign_in,
    suite,
)

COORD = "cambridgeshire-da-services"
HOUSEHOLD = {
    "lead_name": "Jo Invented-Example",
    "contact": "07700 900123",
    "current_address": "1 Example Road, Fenland",
}


def _headers(org: str, role: str, sub: str) -> dict[str, str]:
    settings = load_settings({"HAVEN_ENV": "test", "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS, "HAVEN_DATA_DIR": "/tmp"})
    return {"Authorization": f"Bearer {issue_token(sub, org, [role], settings=settings)}"}


def _ok(reply: httpx.Response) -> dict:
    assert reply.status_code in (200, 201), (reply.request.url, reply.text)
    return reply.json()


def seed_reciprocal(base: str) -> str:
    """Two partners signed, one household referred from Fenland and moved into Cambridge: one ledger transaction."""
    coord = _headers(COORD, "reciprocal_coordinator", "coord-1")
    lead = {org: _headers(org, "named_lead", f"{org}-lead-1") for org in ("fenland", "cambridge")}
    with httpx.Client(base_url=base, timeout=10) as c:
        for org in ("fenland", "cambridge"):
            _ok(
                c.post(
                    f"/schemes/{COORD}/partners",
                    headers=coord,
                    json={
                        "org": org,
                        "signed_on": "2026-10-01",
                        "partner_signatory": f"Director of Housing, {org}",
                        "coordinator_signatory": "Service Manager (invented)",
                    },
                )
            )
            _ok(
                c.post(
                    f"/schemes/{COORD}/partners/{org}/named-leads",
                    headers=coord,
                    json={"officer_id": f"{org}-lead-1", "name": f"Named Lead {org} (invented)"},
                )
            )
        arcs = []
        for bedrooms in (2, 3):
            ref = _ok(
                c.post(
                    "/referrals",
                    headers=coord,
                    json={
                        "referring_partner": "fenland",
                        "remit_explained_on": "2026-10-20",
                        "abuse_category": "domestic_violence",
                        "tenancy": "social",
                        "current_area": "fenland",
                        "bedrooms": bedrooms,
                        "household": HOUSEHOLD,
                        "unsafe_areas": ["fenland"],
                        "preferred_areas": ["cambridge"],
                    },
                )
            )["referral_ref"]
            _ok(c.post(f"/referrals/{ref}/signoff-request", headers=coord))
            _ok(
                c.post(
                    f"/referrals/{ref}/signoff",
                    headers=lead["fenland"],
                    json={"decision": "approved", "agrees_to_owe": False},
                )
            )
            arcs.append(_ok(c.post(f"/referrals/{ref}/accept", headers=coord))["arc"])
        _ok(
            c.post(
                "/properties",
                headers=lead["cambridge"],
                json={"area": "cambridge", "bedrooms": 2, "available_from": "2026-11-01"},
            )
        )
        run = _ok(c.post("/matching/run", headers=coord))
        proposal = next(p for p in run["proposals"] if p["arc"] == arcs[0])
        _ok(c.post(f"/matching/proposals/{proposal['proposal_ref']}/confirm", headers=coord))
        _ok(c.post(f"/referrals/{arcs[0]}/signoff", headers=lead["cambridge"], json={"decision": "approved"}))
        _ok(c.post(f"/referrals/{arcs[0]}/offer", headers=coord, json={"accepted": True}))
        _ok(c.post(f"/referrals/{arcs[0]}/move", headers=lead["cambridge"], json={"tenancy_start": "2026-12-01"}))
    return arcs[1]


def test_reciprocal_board_and_ledger_chart(browser, suite):  # noqa: F811
    waiting = seed_reciprocal(suite.urls["reciprocal"])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, suite, COORD, "reciprocal_coordinator", sub="coord-1")
    page.goto(suite.url("reciprocal", "/pages/"))
    assert page.locator(f"#board :text('{waiting}')").count() == 1
    assert "Jo Invented" not in page.content()
    screenshot(page, "reciprocal-board")
    page.click("a:has-text('Ledger')")
    assert page.locator("svg.barchart rect").count() >= 2
    assert page.locator("h2:has-text('fenland') .badge").inner_text() == "-1"
    screenshot(page, "reciprocal-ledger")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_directory_search_and_correct_own_entry(browser, suite, width):  # noqa: F811
    """Search across organisations and agencies ("Bexley Women" finds Bexley Women's Aid, with its
    organisation shown); a team manager corrects their own organisation's entry (003_8738e4ccc4c4272a.txt,
    principle 9: "an up to date list of local agencies")."""
    suffix = "" if width == WIDTHS["desktop"] else "-phone"
    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "options_officer")
    page.goto(suite.url("directory", "/pages/"))
    assert page.locator("#services tbody tr").count() > 0
    page.fill("#q", "Bexley Women")
    page.press("#q", "Enter")
    assert page.locator("#q").input_value() == "Bexley Women"
    assert page.locator("#organisations td:has-text(\"Bexley Women's Aid\")").count() == 1
    assert page.locator("a:has-text('Correct this')").count() == 0
    screenshot(page, "directory-search" + suffix)
    page.context.close()

    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "team_manager", sub="bromley-team-manager")
    page.goto(suite.url("directory", "/pages/?org=bromley"))
    check_page(page)
    page.click("a[href='/pages/organisations/bromley']")
    phone = "020 8464 3333" if width == WIDTHS["desktop"] else "020 8464 4444"
    page.fill("#phone-0-number", phone)
    page.fill("#phone-0-description", "Housing options")
    screenshot(page, "directory-correct" + suffix)
    page.click("button:has-text('Save the correction')")
    assert "Correction saved" in page.inner_text("main")
    assert page.locator(f"#organisations td:has-text('{phone} (Housing options)')").count() == 1
    check_page(page)
    page.context.close()


@pytest.mark.rule("jwa.monitoring")
def test_monitoring_report_with_chart_and_csv(browser, suite):  # noqa: F811
    """Seed 000_93a7cd5d2a8b6030.txt: "The DV sub-group will have responsibility for monitoring the
    effectiveness of the working agreement"."""
    with httpx.Client(base_url=suite.urls["options"], timeout=10) as c:
        officer = _headers("bromley", "options_officer", "officer-1")
        case = _ok(
            c.post(
                "/cases",
                headers=officer,
                json={"person": {"name": "Invented Client"}, "channel": "reception", "duty_accepted": True},
            )
        )  # advance contact follows an accepted duty
        _ok(c.post("/jwa/notifications", headers=officer, json={"case_ref": case["ref"], "to_org": "bexley"}))
    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    sign_in(page, suite, "bromley", "dv_lead")
    page.goto(suite.url("options", "/pages/monitoring"))
    assert page.locator("section.card h2:has-text('bromley')").count() >= 1
    screenshot(page, "monitoring")
    with page.expect_download() as download:
        page.click("a:has-text('Download CSV')")
    assert download.value.suggested_filename == "jwa-monitoring.csv"
    page.context.close()


def test_narrow_screen_start_page_with_quick_exit(browser, suite):  # noqa: F811
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, suite, "bromley", "options_officer")
    exit_box = page.locator(QUICK_EXIT).bounding_box()
    assert exit_box is not None and exit_box["x"] + exit_box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "start-page-narrow")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.context.close()
