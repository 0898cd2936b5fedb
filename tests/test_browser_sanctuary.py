"""Browser: a sanctuary referral from the Appendix A form through to works completed.

Seed 004_d4b796f614d2cfd3.txt: referral form → landlord permission (s.7) → eligibility (s.7) →
police inspection and recommendations (s.9) → works arranged and completed (s.9).
"""

from __future__ import annotations

import re

from haven_runtime.web.browsertest import browser, screenshot, sign_in, suite  # noqa: F401 (fixtures)

CRITERIA = ("lives_in_borough", "right_to_occupy", "perpetrator_not_resident", "victim_agrees",
            "intends_to_remain", "safe_to_remain", "homeless_without_works")


def test_sanctuary_referral_through_to_works_completed(browser, suite):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, suite, "dartford", "sanctuary_officer", sub="so-1")
    page.goto(suite.url("sanctuary", "/pages/referrals/new"))
    page.select_option("#scheme", "dartford")
    for field, value in {"#person_name": "Alex Invented", "#person_address": "1 Example Road, Dartford DA1 1AA",
                         "#person_telephone": "call me", "#person_date_of_birth-day": "2",
                         "#person_date_of_birth-month": "1", "#person_date_of_birth-year": "1990",
                         "#landlord_name": "Example Homes", "#reason": "Invented reason for the referral.",
                         "#referrer_name": "Sam Referrer", "#referrer_position": "IDVA", "#referrer_organisation": "Example Support",
                         "#referrer_telephone": "01322 111111", "#referrer_email": "sam@example.org"}.items():
        page.fill(field, value)
    page.select_option("#tenure", "private_sector_tenant")
    page.click("button:has-text('Submit referral')")
    assert page.locator("#person_telephone-error").is_visible()
    assert page.input_value("#person_name") == "Alex Invented"
    screenshot(page, "sanctuary-referral-form")
    page.fill("#person_telephone", "01322 000000")
    page.click("button:has-text('Submit referral')")
    page.wait_for_url(re.compile(r"/pages/referrals/[A-Z]+-[0-9A-Z]+$"))
    assert "Alex Invented" not in page.title() and "Alex" not in page.url
    ref = page.url.rsplit("/", 1)[1]

    page.click("button:has-text('Record') >> nth=0")  # landlord permission given
    for key in CRITERIA:
        page.select_option(f"#crit-{key}", "met")
        page.click(f"form:has(#crit-{key}) button")
    page.click("button:has-text('Decide eligibility')")
    assert page.inner_text("#eligibility-decision") == "Eligible"
    page.click("button:has-text('Ask the police to inspect')")
    page.fill("#appointment_at", "2026-12-01T10:00")
    page.click("button:has-text('Record appointment')")
    page.check("input[name=measures][value=mortice_lock]")
    page.check("input[name=measures][value=door_viewer]")
    page.click("button:has-text('Record recommendations')")
    page.fill("#works-contractor", "Example Locks Ltd")
    page.fill("#works-contractor_due_at", "2099-01-10T12:00")
    page.click("button:has-text('Order works')")
    page.goto(suite.url("sanctuary", "/pages/"))
    assert page.locator(f"#board a:has-text('{ref}')").count() == 1
    screenshot(page, "sanctuary-board")
    page.click(f"#board a:has-text('{ref}')")
    page.fill("#complete-cost", "650.00")
    page.click("button:has-text('Record works completed')")
    assert page.locator("#works-completed").is_visible()
    screenshot(page, "sanctuary-referral")
    page.context.close()
