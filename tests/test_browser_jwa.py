"""Browser: a JWA notification sent by borough A is seen and acknowledged in borough B's inbox.

Seed 000_93a7cd5d2a8b6030.txt: "borough A will make contact with borough B in advance using a list
of named officers with DV leads and team managers."
"""

from __future__ import annotations

import re
import time

from haven_runtime.testing.browser import browser, check_page, screenshot, sign_in, suite  # noqa: F401 (fixtures)


def test_notification_from_bromley_with_consented_details_is_acknowledged_in_lewisham_inbox(browser, suite):  # noqa: F811
    a = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(a, suite, "bromley", "options_officer")
    a.goto(suite.url("options", "/pages/cases/new"))
    a.fill("#name", "Jo Invented-Example")
    a.check("input[name=duty_accepted][value=yes]")  # advance contact follows an accepted duty
    a.click("button:has-text('Open case')")
    a.wait_for_url(re.compile(r"/pages/cases/[A-Z]+-[0-9A-Z]+$"))
    ref = a.url.rsplit("/", 1)[1]
    a.goto(suite.url("options", f"/pages/cases/{ref}/options"))
    a.select_option("#consent-purpose", "share_with_borough")
    a.fill("#consent-recipient", "lewisham")
    a.click("button:has-text('Record consent')")
    a.goto(suite.url("options", f"/pages/cases/{ref}"))
    a.select_option("#to_org", "lewisham")
    a.check("input[name=share_information]")
    a.click("button:has-text('Send JWA notification')")
    assert "JWA notification sent" in a.inner_text("main")
    check_page(a)
    a.context.close()

    b = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(b, suite, "lewisham", "dv_lead", sub="officer-9")
    deadline = time.monotonic() + 20
    while ref not in b.inner_text("#inbox-h + ul") and time.monotonic() < deadline:
        time.sleep(0.5)
        b.reload()
    screenshot(b, "start-page-inbox")
    row = b.locator(f"#jwa-inbox tr:has-text('{ref}')")
    deadline = time.monotonic() + 20
    while True:
        b.goto(suite.url("options", "/pages/jwa"))
        if row.count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert row.count() == 1, b.inner_text("main")
    assert "London Borough of Bromley" in row.inner_text()
    screenshot(b, "jwa-inbox")
    row.locator("a").first.click()
    assert "Jo Invented-Example" in b.inner_text("main")  # shared with consent, to a DV lead of borough B
    assert "Consent recorded (CONS-" in b.inner_text("#information")  # the basis in words, not consent:CONS-…
    check_page(b)
    assert "Jo Invented" not in b.title() and "Jo" not in b.url
    b.go_back()
    row.locator("button:has-text('Acknowledge')").click()
    b.wait_for_url(re.compile(r"/pages/jwa\?done=acknowledged$"))
    assert "Acknowledged" in b.locator(f"#jwa-inbox tr:has-text('{ref}')").inner_text()
    b.context.close()
