"""Browser: an options officer opens a case, completes DASH, offers options, prints the sheet and closes the case,
at desktop width and on a phone, every page checked with axe-core.

Seed 000_93a7cd5d2a8b6030.txt: "All boroughs will complete options offered/advice given sheet with name
of officer and contact details attached" and "boroughs will provide links to appropriate support agencies
for the applicant". Drives Debian's Chromium headless against the four services running as real processes.
"""

from __future__ import annotations

import re

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
