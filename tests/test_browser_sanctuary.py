"""Browser: a sanctuary referral from the Appendix A form through to the satisfaction survey, at
desktop width and on a phone, every page checked with axe-core.

Seed 004_d4b796f614d2cfd3.txt: referral form → landlord permission and the criteria (s.7) →
police inspection and recommendations (s.9), booked and recorded by the crime prevention officer on
the visit page → works arranged and completed (s.9) → customer
satisfaction survey (s.11). The referral page shows only the current stage's controls.
"""

from __future__ import annotations

import re

import pytest

from haven_runtime.testing.browser import WIDTHS, browser, check_page, new_page, screenshot, sign_in, suite  # noqa: F401
from haven_sanctuary.eligibility import OFFICER_CRITERIA

CRITERIA = OFFICER_CRITERIA


def _stage(page) -> str:
    return page.locator("#stage-heading").inner_text()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_sanctuary_referral_through_to_the_survey(browser, suite, width):  # noqa: F811
    page = new_page(browser, width)
    suffix = "" if width == WIDTHS["desktop"] else "-phone"
    sign_in(page, suite, "dartford", "sanctuary_officer", sub="so-1")
    page.goto(suite.url("sanctuary", "/pages/referrals/new"))
    assert page.input_value("#scheme") == "dartford"  # the officer's own scheme, no other preselected
    for field, value in {
        "#person_name": "Alex Invented",
        "#person_address": "1 Example Road, Dartford DA1 1AA",
        "#person_telephone": "call me",
        "#person_date_of_birth-day": "2",
        "#person_date_of_birth-month": "1",
        "#person_date_of_birth-year": "1990",
        "#landlord_name": "Example Homes",
        "#reason": "Invented reason for the referral.",
        "#referrer_name": "Sam Referrer",
        "#referrer_position": "IDVA",
        "#referrer_organisation": "Example Support",
        "#referrer_telephone": "01322 111111",
        "#referrer_email": "sam@example.org",
    }.items():
        page.fill(field, value)
    page.select_option("#tenure", "private_sector_tenant")
    page.click("button:has-text('Submit referral')")
    assert page.locator("#person_telephone-error").is_visible()
    assert page.input_value("#person_name") == "Alex Invented"
    screenshot(page, "sanctuary-referral-form" + suffix)
    page.fill("#person_telephone", "01322 000000")
    page.click("button:has-text('Submit referral')")
    page.wait_for_url(re.compile(r"/pages/referrals/[A-Z]+-[0-9A-Z]+$"))
    assert "Alex Invented" not in page.title() and "Alex" not in page.url
    ref = page.url.rsplit("/", 1)[1]

    assert _stage(page) == "Eligibility" and page.locator("#clocks").is_visible()
    assert page.locator("#form-works").count() == 0  # only this stage's controls
    page.check("#landlord-permission-decision")  # given
    page.click("button:has-text(\"Record the landlord's answer\")")
    for key in CRITERIA:
        page.check(f"input[name=crit-{key}][value=met]")
    screenshot(page, "sanctuary-referral" + suffix)
    page.click("button:has-text('Save the checklist')")
    page.click("button:has-text('Decide eligibility')")
    assert page.inner_text("#eligibility-decision") == "Eligible"
    assert _stage(page) == "Police inspection"
    check_page(page)
    page.click("button:has-text('Ask the police to inspect')")
    check_page(page)

    cpo = new_page(browser, width)  # the crime prevention officer visits, books and recommends
    sign_in(cpo, suite, "dartford", "police_cpo", sub="cpo-1")
    cpo.goto(suite.url("sanctuary", "/pages/"))
    cpo.click(f"#inspections a:has-text('{ref}')")
    assert "1 Example Road, Dartford DA1 1AA" in cpo.inner_text("#visit")
    assert "Alex Invented" not in cpo.content()  # the visit's details only, not the referral form
    check_page(cpo)
    cpo.click("button:has-text('Record the recommendations')")  # nothing ticked: said next to the form
    assert cpo.locator("#recommendations-error").is_visible()
    cpo.fill("#inspection-booking-appointment_at", "2026-12-01T10:00")
    cpo.click("button:has-text('Record the appointment')")
    assert "Not booked" not in cpo.inner_text("#appointment") and "Saved" in cpo.inner_text("main")
    cpo.check("input[name=measures][value=mortice_lock]")
    cpo.check("input[name=measures][value=door_viewer]")
    cpo.click("button:has-text('Record the recommendations')")
    assert cpo.locator("#recommended li").count() == 2
    if width == WIDTHS["desktop"]:
        screenshot(cpo, "sanctuary-police-visit")
    check_page(cpo)
    cpo.context.close()

    page.reload()
    assert _stage(page) == "Works"
    check_page(page)
    page.fill("#works-contractor", "Example Locks Ltd")
    page.fill("#works-contractor_due_at", "2099-01-10T12:00")
    page.click("button:has-text('Order the works')")
    page.goto(suite.url("sanctuary", "/pages/"))
    assert page.locator(f"#board a:has-text('{ref}')").count() == 1
    screenshot(page, "sanctuary-board" + suffix)
    page.click(f"#board a:has-text('{ref}')")
    page.fill("#works-complete-cost", "650.00")
    page.click("button:has-text('Record the works completed')")
    assert page.locator("#works-completed").is_visible() and _stage(page) == "Satisfaction survey"
    check_page(page)
    page.check("#survey-satisfaction-5")
    page.check("#survey-felt_safer")
    page.click("button:has-text('Record the survey')")
    assert page.locator("#survey-result").is_visible()
    check_page(page)
    page.click("button:has-text('Close the referral as completed')")
    assert _stage(page) == "Closed"
    check_page(page)
    page.context.close()
