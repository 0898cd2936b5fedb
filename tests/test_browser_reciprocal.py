"""Browser: a reciprocal move done entirely in the pages, by a new coordinator and new partner officers,
at desktop width and at 375 px (seed ``002_c1c7b199d9a53274.txt``).

The coordinator records two partners' signatures and names their leads, refers a household and
asks the referring partner's named lead to sign off, then issues the ARC; the receiving partner's
named lead offers a property; the coordinator runs the matcher and confirms the match; the
receiving lead signs off, the coordinator records the household's acceptance, the receiving lead
records the move, and the move shows in the owed-property ledger. Every page visited passes
:func:`~haven_runtime.testing.browser.check_page` (axe-core, no coded values on screen).
"""

from __future__ import annotations

import re

import pytest

from haven_runtime.testing.browser import browser, check_page, screenshot, sign_in, suite  # noqa: F401 (fixtures)

COORD = "cambridgeshire-da-services"
#: Each width uses its own partners and size, so the two runs (and other tests on the same suite) never meet
WIDTHS = {
    "desktop": ({"width": 1280, "height": 900}, "huntingdonshire", "peterborough", "4"),
    "narrow": ({"width": 375, "height": 812}, "east-cambridgeshire", "south-cambridgeshire", "5"),
}
NAMES = {
    "huntingdonshire": "Huntingdonshire District Council",
    "east-cambridgeshire": "East Cambridgeshire District Council",
}


def fill_date(page, field: str, day: int, month: int, year: int) -> None:
    page.fill(f"#{field}-day", str(day))
    page.fill(f"#{field}-month", str(month))
    page.fill(f"#{field}-year", str(year))


def shot(page, name: str, width: str) -> None:
    """A checked screenshot; the narrow run's carry ``-375`` in their names."""
    screenshot(page, name if width == "desktop" else f"{name}-375")


def go(page, url: str) -> None:
    page.goto(url)
    check_page(page)


def click(page, text: str) -> None:
    """Press a button and check the page it leads to."""
    page.click(f"button:has-text('{text}')")
    page.wait_for_load_state()
    check_page(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_reciprocal_move_from_referral_to_ledger_in_the_pages(browser, suite, width):  # noqa: F811
    viewport, referring, receiving, size = WIDTHS[width]
    leads = {org: f"{org}-lead" for org in (referring, receiving)}
    coord = browser.new_context(viewport=viewport).new_page()
    sign_in(coord, suite, COORD, "reciprocal_coordinator", sub=f"coord-{width}")
    pages = suite.url("reciprocal", "/pages")

    # signatures and named leads
    for org in (referring, receiving):
        go(coord, f"{pages}/partners")
        coord.select_option("#org", org)
        fill_date(coord, "signed_on", 1, 10, 2026)
        coord.fill("#partner_signatory", "Director of Housing (invented)")
        coord.fill("#coordinator_signatory", "Service Manager (invented)")
        click(coord, "Record the signature")
        coord.select_option("#lead_org", org)
        coord.fill("#name", f"Named lead of {org} (invented)")
        coord.fill("#officer_id", leads[org])
        click(coord, "Name the lead")
        assert f"Named lead of {org} (invented)" in coord.inner_text("#partners")
    shot(coord, "reciprocal-partners", width)

    # the referral: a missing name is named in the error summary, then the household is referred
    go(coord, f"{pages}/")
    coord.click("a:has-text('Refer a household')")
    check_page(coord)
    coord.select_option("#referring_partner", referring)
    fill_date(coord, "remit_explained_on", 20, 10, 2026)
    coord.select_option("#abuse_category", "domestic_violence")
    coord.select_option("#current_area", referring)
    coord.select_option("#bedrooms", size)
    coord.check(f"input[name=unsafe_areas][value={referring}]")
    coord.check(f"input[name=preferred_areas][value={receiving}]")
    coord.fill("#contact", "07700 900123")
    click(coord, "Refer the household")
    assert coord.locator(".govuk-error-summary a[href='#lead_name']").is_visible()
    assert coord.input_value("#contact") == "07700 900123"
    shot(coord, "reciprocal-referral-form", width)
    coord.fill("#lead_name", "Jo Invented-Example")
    coord.click("button:has-text('Refer the household')")
    coord.wait_for_url(re.compile(r"/pages/referrals/RRF-\w+\?done=referred$"))
    check_page(coord)
    assert "Jo" not in coord.url and "Jo" not in coord.title()
    referral = coord.url.split("?")[0]
    click(coord, "Ask the referring partner to sign off")

    officer = {org: browser.new_context(viewport=viewport).new_page() for org in (referring, receiving)}
    for org, page in officer.items():
        sign_in(page, suite, org, "named_lead", sub=leads[org])
    go(officer[referring], referral)
    officer[referring].check("input[name=decision][value=approved]")
    click(officer[referring], "Record sign-off")

    go(coord, referral)
    click(coord, "Accept and issue the ARC")
    arc = re.search(r"/pages/referrals/(ARC-\w+)", coord.url).group(1)
    by_arc = f"{pages}/referrals/{arc}"

    # the receiving partner offers a property; the coordinator matches and confirms it
    go(officer[receiving], f"{pages}/pool")
    officer[receiving].select_option("#area", receiving)
    officer[receiving].select_option("#bedrooms", size)
    fill_date(officer[receiving], "available_from", 1, 11, 2026)
    click(officer[receiving], "Offer the property")
    assert "Property offered into the pool" in officer[receiving].inner_text("main")

    go(coord, f"{pages}/pool")
    click(coord, "Run the matcher")
    row = coord.locator(f"#proposals tr:has-text('{arc}')")
    assert row.count() == 1, coord.inner_text("main")
    shot(coord, "reciprocal-pool", width)
    row.locator("button:has-text('Confirm')").click()
    coord.wait_for_load_state()
    check_page(coord)

    go(officer[receiving], by_arc)
    officer[receiving].check("input[name=decision][value=approved]")
    click(officer[receiving], "Record sign-off")

    go(coord, by_arc)
    coord.check("input[name=accepted][value=yes]")
    click(coord, "Record the answer")

    go(officer[receiving], by_arc)
    fill_date(officer[receiving], "tenancy_start", 1, 12, 2026)
    click(officer[receiving], "Record the move")
    assert "Move recorded" in officer[receiving].inner_text("main")
    shot(officer[receiving], "reciprocal-referral", width)

    # the ledger: the referring partner owes the pool one home of that size, shown in this quarter
    go(coord, f"{pages}/")
    coord.click("nav[aria-label='Reciprocal pages'] a:has-text('Ledger')")
    check_page(coord)
    assert coord.locator(f"h2:has-text('{NAMES[referring]}') .badge").inner_text() == "-1"
    shot(coord, "reciprocal-ledger-quarter", width)
    assert arc in coord.inner_text("#quarter-postings")
    for page in (coord, *officer.values()):
        page.context.close()
