"""Browser: a reciprocal move and a conflict between partners, done entirely in the pages by a new coordinator and
new partner officers, at desktop width and at 375 px (seed ``002_c1c7b199d9a53274.txt``).

The coordinator records two partners' signatures and names their leads, refers a household and
asks the referring partner's named lead to sign off, then issues the ARC; the receiving partner's
named lead offers a property; the coordinator runs the matcher and confirms the match; the
receiving lead signs off, the coordinator records the household's acceptance, the receiving lead
records the move, and the move shows in the owed-property ledger. A conflict between two partners is
raised by one named lead, escalated by the other and resolved by the coordinator. Every page visited passes
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
FULL_NAMES = {
    **NAMES,
    "peterborough": "Peterborough City Council",
    "south-cambridgeshire": "South Cambridgeshire District Council",
}


def fill_date(page, field: str, day: int, month: int, year: int) -> None:
    page.fill(f"#{field}-day", str(day))
    page.fill(f"#{field}-month", str(month))
    page.fill(f"#{field}-year", str(year))


def shot(page, name: str, width: str) -> None:
    """A checked screenshot; the narrow run's carry ``-375`` in their names."""
    screenshot(page, name if width == "desktop" else f"{name}-375")


def sign_and_name_lead(coord, pages: str, org: str, lead: str) -> None:
    """The coordinator, on the partners page, records ``org``'s signature (unless an earlier test on the
    same suite already did: a partner signs once) and names officer ``lead`` as its named lead."""
    go(coord, f"{pages}/partners")
    if coord.locator(f"#org option[value='{org}']").count():
        coord.select_option("#org", org)
        fill_date(coord, "signed_on", 1, 10, 2026)
        coord.fill("#partner_signatory", "Director of Housing (invented)")
        coord.fill("#coordinator_signatory", "Service Manager (invented)")
        click(coord, "Record the signature")
    coord.select_option("#lead_org", org)
    coord.fill("#name", f"Named lead {lead} (invented)")
    coord.fill("#officer_id", lead)
    click(coord, "Name the lead")
    assert f"Named lead {lead} (invented)" in coord.inner_text("#partners")


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
        sign_and_name_lead(coord, pages, org, leads[org])
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


@pytest.mark.rule("reciprocal.conflict-escalation")
@pytest.mark.parametrize("width", list(WIDTHS))
def test_conflict_between_partners_raised_escalated_and_resolved_in_the_pages(browser, suite, width):  # noqa: F811
    """Seed ``002_c1c7b199d9a53274.txt`` §4: "the named leads will work together to take a pro-active
    approach to resolve conflicts but where a resolution cannot be reached, the conflict will be escalated
    to the Chief Executives/Directors at the earliest instance".

    One partner's named lead raises a conflict with the other partner and records the work on it; the other
    partner's named lead, finding no resolution, escalates it; the coordinator records it resolved.
    """
    viewport, one, other, _ = WIDTHS[width]
    leads = {org: f"{org}-conflict-lead" for org in (one, other)}
    coord = browser.new_context(viewport=viewport).new_page()
    sign_in(coord, suite, COORD, "reciprocal_coordinator", sub=f"coord-conflicts-{width}")
    pages = suite.url("reciprocal", "/pages")
    for org in (one, other):
        sign_and_name_lead(coord, pages, org, leads[org])

    lead = {org: browser.new_context(viewport=viewport).new_page() for org in (one, other)}
    for org, page in lead.items():
        sign_in(page, suite, org, "named_lead", sub=leads[org])

    # raised by one partner's named lead: the other partner must be named
    go(lead[one], f"{pages}/")
    lead[one].click("nav[aria-label='Reciprocal pages'] a:has-text('Conflicts')")
    check_page(lead[one])
    lead[one].fill("#summary", "Who meets the removal costs of a move (invented)")
    click(lead[one], "Raise the conflict")
    assert lead[one].locator(".govuk-error-summary a[href='#partners']").is_visible()
    assert lead[one].input_value("#summary") == "Who meets the removal costs of a move (invented)"
    lead[one].check(f"input[name=partners][value={other}]")
    lead[one].click("button:has-text('Raise the conflict')")
    lead[one].wait_for_url(re.compile(r"/pages/conflicts/CNF-\w+\?done=raised$"))
    check_page(lead[one])
    conflict = lead[one].url.split("?")[0]
    ref = conflict.rsplit("/", 1)[1]
    summary = lead[one].inner_text("#conflict")
    assert "Open" in summary and FULL_NAMES[one] in summary and FULL_NAMES[other] in summary, summary
    lead[one].fill("#note", "Spoke to the other lead; no agreement on costs yet (invented)")
    click(lead[one], "Record the note")
    assert "Note recorded" in lead[one].inner_text("main")
    assert "no agreement on costs yet" in lead[one].inner_text("#notes")
    shot(lead[one], "reciprocal-conflict-raised", width)

    # the other partner's named lead finds it in their list and escalates it
    go(lead[other], f"{pages}/conflicts")
    assert "Open" in lead[other].inner_text(f"#conflicts tr:has-text('{ref}')")
    lead[other].click(f"a:has-text('{ref}')")
    check_page(lead[other])
    assert "no agreement on costs yet" in lead[other].inner_text("#notes")
    click(lead[other], "Escalate to the Chief Executives/Directors")
    assert "Conflict escalated" in lead[other].inner_text("main")
    summary = lead[other].inner_text("#conflict")
    assert "Escalated to the Chief Executives/Directors on" in summary, summary
    assert lead[other].locator("button:has-text('Escalate')").count() == 0
    shot(lead[other], "reciprocal-conflict-escalated", width)

    # the coordinator sees it escalated and records it resolved
    go(coord, f"{pages}/conflicts")
    assert "Escalated" in coord.inner_text(f"#conflicts tr:has-text('{ref}')")
    coord.click(f"a:has-text('{ref}')")
    check_page(coord)
    click(coord, "Record as resolved")
    assert "Conflict recorded as resolved" in coord.inner_text("main")
    resolved = coord.inner_text("#conflict .govuk-summary-list__row:has-text('Resolved')")
    assert "Not yet" not in resolved, resolved
    assert coord.locator("#note").count() == 0  # no more work on a resolved conflict
    go(lead[one], conflict)
    assert "Resolved" in lead[one].inner_text("#conflict")
    shot(coord, "reciprocal-conflict-resolved", width)
    for page in (coord, *lead.values()):
        page.context.close()
