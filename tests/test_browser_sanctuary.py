"""Browser: a sanctuary referral from the Appendix A form through to the satisfaction survey, at
desktop width and on a phone, every page checked with axe-core.

Seed 004_d4b796f614d2cfd3.txt: referral form → landlord permission and the criteria (s.7) →
police inspection and recommendations (s.9) → works arranged and completed (s.9) → customer
satisfaction survey (s.11). The referral page shows only the current stage's controls.
"""

from __future__ import annotations

import re

import pytest

from haven_runtime.testing.browser import WIDTHS, browser, check_page, new_page, screenshot, sign_in, suite  # noqa: F401

CRITERIA = (
    "lives_in_borough",
    "right_to_occupy",
    "perpetrator_not_resident",
    "victim_agrees",
    "intends_to_remain",
    "safe_to_remain",
    "homeless_without_works",
)


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
    page.fill("#inspection-booking-appointment_at", "2026-12-01T10:00")
    page.click("button:has-text('Record the appointment')")
    page.check("input[name=measures][value=mortice_lock]")
    page.check("input[name=measures][value=door_viewer]")
    page.click("button:has-text('Record the recommendations')")
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
