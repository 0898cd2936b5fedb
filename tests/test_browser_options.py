"""Browser: an options officer opens a case, completes DASH, offers options, prints the sheet and closes the case,
at desktop width and on a phone, every page checked with axe-core.

Seed 000_93a7cd5d2a8b6030.txt: "All boroughs will complete options offered/advice given sheet with name
of officer and contact details attached" and "boroughs will provide links to appropriate support agencies
for the applicant". Drives Debian's Chromium headless against the four services running as real processes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

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

INVENTED_NAME = "Jo Invented-Example"
#: A Bromley housing options officer the directory knows (plugins/bromley): the sheet can use their entry
DIRECTORY_OFFICER = "bromley-options-officer-f1"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_open_case_dash_options_print_the_sheet_and_close(browser, suite, width):  # noqa: F811
    phone = width == WIDTHS["phone"]
    suffix = "-phone" if phone else ""
    page = new_page(browser, width)
    # on the phone, an officer in the directory; at the desk, one who is not
    sign_in(page, suite, "bromley", "options_officer", sub=DIRECTORY_OFFICER if phone else "officer-1")
    assert page.locator(QUICK_EXIT).is_visible()
    screenshot(page, "start-page" + suffix)

    page.click("text=Open a case")
    page.click("button:has-text('Open case')")  # name missing: the server says so next to the field
    assert page.locator("#name-error").is_visible()
    page.fill("#name", INVENTED_NAME)
    page.fill("#phone", "07000 900123")
    page.fill("#adults", "0")
    page.click("button:has-text('Open case')")
    assert page.locator("#adults-error").is_visible()
    assert page.input_value("#name") == INVENTED_NAME and page.input_value("#phone") == "07000 900123"
    page.fill("#adults", "1")
    page.fill("#children", "2")
    page.click("button:has-text('Open case')")
    page.wait_for_url(re.compile(r"/pages/cases/[A-Z]+-[0-9A-Z]+$"))
    ref = page.url.rsplit("/", 1)[1]
    assert INVENTED_NAME not in page.title() and INVENTED_NAME not in page.url
    assert page.locator("#routing").inner_text().strip()
    screenshot(page, "case" + suffix)

    page.click("text=DASH checklist")
    for n in range(1, 15):
        page.check(f"input[name=q{n}][value=yes]")
    page.click("button:has-text('Record checklist')")
    result = page.locator("#marac-result")
    assert "Refer to MARAC" in result.inner_text() and page.locator("#marac-form button").is_visible()
    # the recorded answers stay on the form: a second submit would not record a blank checklist
    assert page.is_checked("input[name=q1][value=yes]") and page.is_checked("input[name=q14][value=yes]")
    assert page.is_checked("input[name=q15][value=not_known]")
    screenshot(page, "dash" + suffix)
    if phone:  # every answer keeps its label
        for text in ("Yes", "No", "Not known"):
            label = page.locator(f"input[name=q24] + label:text-is('{text}')")
            box = label.bounding_box()
            assert label.is_visible() and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, text

    page.click("text=Continue to options")
    assert page.locator("td:has-text('eligible')").count() > 0
    page.click("button:has-text('Record options offered')")
    assert page.locator("td strong:has-text('offered')").count() > 0
    page.fill("#consent-recipient", "bromley-dv-advocacy")
    page.click("button:has-text('Record consent')")
    assert page.locator("td:has-text('bromley-dv-advocacy')").count() == 1, page.inner_text("main")
    screenshot(page, "options" + suffix)
    if phone:  # "leave blank to use your directory entry" works for an officer the directory knows
        assert "options.officer1@bromley.example" in page.inner_text("#sheet-signer")
    else:
        assert "not in the directory" in page.inner_text("#sheet-signer")
        page.click("button:has-text('Issue sheet')")
        assert page.locator("#sheet-officer_name-error").is_visible()
        page.fill("#sheet-officer_name", "Sam Officer (invented)")
        page.fill("#sheet-officer_contact", "sam.officer@bromley.example")
    page.click("button:has-text('Issue sheet')")
    page.wait_for_url(re.compile(rf"/pages/cases/{ref}/sheets/1$"))
    contact = "options.officer1@bromley.example" if phone else "sam.officer@bromley.example"
    assert contact in page.locator("#officer").inner_text()
    assert "Open two mornings a week" in page.inner_text("#agencies")  # hours from the directory
    assert INVENTED_NAME not in page.title()
    screenshot(page, "options-sheet" + suffix)
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()  # prints cleanly: no navigation or quick exit
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and pdf_pages(pdf) == 1  # one A4 page for a typical case
    page.emulate_media(media="screen")

    page.click("a:has-text('Back to case')")
    page.check("#close-outcome")  # advice given
    page.click("button:has-text('Close case')")
    assert page.locator("#closed").is_visible() and "Case closed" in page.inner_text("main")
    check_page(page)
    page.context.close()


CASE_URL = re.compile(r"/pages/cases/[A-Z]+-[0-9A-Z]+(\?done=\w+)?$")


def open_case(page, homelessness: str = "none") -> str:
    """Open a case for the invented client from the start page; the case page is checked. Returns its reference."""
    page.click("text=Open a case")
    check_page(page)
    page.fill("#name", INVENTED_NAME)
    page.fill("#adults", "1")
    page.select_option("#homelessness", homelessness)
    page.click("button:has-text('Open case')")
    page.wait_for_url(CASE_URL)
    check_page(page)
    return page.url.rsplit("/", 1)[1]


def press(page, button: str, url: str | re.Pattern) -> None:
    """Press a button, wait for the page it leads to and check it."""
    page.click(f"button:has-text('{button}')")
    page.wait_for_url(url)
    check_page(page)


@pytest.mark.rule("se-london.marac")
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_dash_recommends_marac_and_the_referral_is_recorded(browser, suite, width):  # noqa: F811
    """Seed 001_2a45bb55c36fcb52.txt: "Greenwich MARAC - Reviews and coordinates service provision in
    high-risk and complex domestic violence cases" and Bromley's "DV Forums & Panels ... 1. MARAC": the DASH
    checklist recommends the referral, which needs the client's consent to refer to MARAC. Refused without
    it, recorded with it, and the case shows the day it was made."""
    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "options_officer", sub=f"marac-officer-{width}")
    check_page(page)
    ref = open_case(page)

    page.click("text=DASH checklist")
    check_page(page)
    for n in range(1, 15):
        page.check(f"input[name=q{n}][value=yes]")
    press(page, "Record checklist", re.compile(rf"/pages/cases/{ref}/dash\?assessment="))
    assert "Refer to MARAC" in page.inner_text("#marac-result")
    checklist = page.url

    # no consent yet: the case page says why, next to the referral
    page.click("#marac-form button")
    page.wait_for_load_state()
    check_page(page)
    assert "consent" in page.inner_text("p#marac").lower(), page.inner_text("main")
    assert page.locator("#marac-referred").count() == 0

    page.click(f"a[href='/pages/cases/{ref}/options#consent']")
    page.wait_for_load_state()
    assert page.url.endswith(f"/pages/cases/{ref}/options#consent"), page.url
    check_page(page)
    page.select_option("#consent-purpose", "refer_to_marac")
    page.fill("#consent-recipient", "marac")
    press(page, "Record consent", re.compile(rf"/pages/cases/{ref}/options$"))
    assert page.locator("td:has-text('Refer to MARAC') + td:has-text('MARAC')").count() == 1, page.inner_text("main")

    page.goto(checklist)
    check_page(page)
    page.click("#marac-form button")
    page.wait_for_url(re.compile(rf"/pages/cases/{ref}\?done=marac$"))
    check_page(page)
    assert "MARAC referral recorded" in page.inner_text(".haven-done")
    assert page.inner_text("#marac-referred").startswith("Referred to MARAC on ")
    screenshot(page, "case-marac-referred" + ("-phone" if width == WIDTHS["phone"] else ""))
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_duty_accepted_and_relief_started_on_the_case_page(browser, suite, width):  # noqa: F811
    """Homelessness Reduction Act 2017 duties as clocks on the case: a client threatened with homelessness
    is owed the prevention duty (56 days); the officer records that the duty was accepted (what the JWA's
    advance contact follows, seed 000_93a7cd5d2a8b6030.txt: "Where borough A has accepted a duty to a
    client ..."), then the client becomes homeless: prevention ends and the relief duty's clock runs,
    with the main-duty decision due when it ends."""
    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "options_officer", sub=f"duty-officer-{width}")
    check_page(page)
    ref = open_case(page, homelessness="threatened")
    assert "Running" in page.inner_text("#clocks tr:has-text('Prevention')")
    assert page.locator("#clocks tr:has-text('Relief')").count() == 0
    assert "Not recorded" in page.inner_text("#duty-decisions")

    press(page, "Record duty accepted now", re.compile(rf"/pages/cases/{ref}\?done=duty$"))
    assert "Duty to the client recorded as accepted" in page.inner_text(".haven-done")
    assert "Not recorded" not in page.inner_text("#duty-decisions")
    assert page.locator("button:has-text('Record duty accepted now')").count() == 0

    # relief runs 56 days from the day it starts: that day is read around the click, so a test
    # running across midnight (London) accepts either day instead of racing the clock
    days = [_in_56_days()]
    press(page, "Client is now homeless: start the relief duty", re.compile(rf"/pages/cases/{ref}\?done=relief$"))
    days.append(_in_56_days())
    assert "Relief duty started" in page.inner_text(".haven-done")
    assert "Ended" in page.inner_text("#clocks tr:has-text('Prevention')")
    relief = page.inner_text("#clocks tr:has-text('Relief')")
    assert "Running" in relief and any(day in relief for day in days), relief
    assert "Running" in page.inner_text("#clocks tr:has-text('Main duty decision')")
    assert "Homeless" in page.inner_text("#case-details")
    assert page.locator("button:has-text('start the relief duty')").count() == 0
    screenshot(page, "case-relief-duty" + ("-phone" if width == WIDTHS["phone"] else ""))
    page.context.close()


def _in_56_days() -> str:
    return (datetime.now(ZoneInfo("Europe/London")) + timedelta(days=56)).strftime("%-d %b %Y")
