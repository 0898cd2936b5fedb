"""Browser: an options officer opens a case, completes DASH, offers options and prints the sheet.

Seed 000_93a7cd5d2a8b6030.txt: "All boroughs will complete options offered/advice given sheet with name
of officer and contact details attached." Drives Debian's Chromium headless against the four
services running as real processes.
"""

from __future__ import annotations

import re

from haven_runtime.web.browsertest import QUICK_EXIT, browser, screenshot, sign_in, suite  # noqa: F401 (fixtures)

INVENTED_NAME = "Jo Invented-Example"


def test_open_case_dash_options_and_print_the_sheet(browser, suite):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, suite, "bromley", "options_officer")
    assert page.locator(QUICK_EXIT).is_visible()
    screenshot(page, "start-page")

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
    screenshot(page, "case")

    page.click("text=DASH checklist")
    for n in range(1, 15):
        page.check(f"input[name=q{n}][value=yes]")
    page.click("button:has-text('Record checklist')")
    result = page.locator("#marac-result")
    assert "Refer to MARAC" in result.inner_text()
    # the recorded answers stay on the form: a second submit would not record a blank checklist
    assert page.is_checked("input[name=q1][value=yes]") and page.is_checked("input[name=q14][value=yes]")
    assert page.is_checked("input[name=q15][value=not_known]")
    screenshot(page, "dash")
    page.set_viewport_size({"width": 375, "height": 800})  # on a phone every answer keeps its label
    for text in ("Yes", "No", "Not known"):
        label = page.locator(f"input[name=q24] + label:text-is('{text}')")
        box = label.bounding_box()
        assert label.is_visible() and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Continue to options")
    assert page.locator("td:has-text('eligible')").count() > 0
    page.click("button:has-text('Record options offered')")
    assert page.locator("td strong:has-text('offered')").count() > 0
    page.fill("#consent-recipient", "bromley-dv-advocacy")
    page.click("button:has-text('Record consent')")
    assert page.locator("td:has-text('bromley-dv-advocacy')").count() == 1, page.inner_text("main")
    screenshot(page, "options")
    page.fill("#sheet-officer_name", "Sam Officer (invented)")
    page.fill("#sheet-officer_contact", "sam.officer@bromley.example")
    page.click("button:has-text('Issue sheet')")
    page.wait_for_url(re.compile(rf"/pages/cases/{ref}/sheets/1$"))
    assert "sam.officer@bromley.example" in page.locator("#officer").inner_text()
    assert INVENTED_NAME not in page.title()
    screenshot(page, "options-sheet")
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()  # prints cleanly: no navigation or quick exit
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    context.close()
