"""Browser: the Joint Working Agreement between two boroughs, done through the pages at desktop width and
on a phone: advance contact acknowledged in the other borough's inbox, information requests asked and
answered both ways, a one-night temporary-accommodation booking, a dispute raised and tabled at the DV
sub-group, and the monitoring report's downloads.

Seed 000_93a7cd5d2a8b6030.txt: "borough A will make contact with borough B in advance using a list
of named officers with DV leads and team managers"; "Where a client approaches borough B without
borough A's knowledge, information will be sent through by email/fax as soon as requested"; "The DV
sub-group will have responsibility for monitoring the effectiveness of the working agreement".
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from haven_runtime.testing.browser import (  # noqa: F401 (fixtures)
    WIDTHS,
    browser,
    check_page,
    new_page,
    screenshot,
    sign_in,
    suite,
)

INVENTED_NAME = "Jo Invented-Example"


def until(page, url: str, arrived) -> None:
    """Reload ``url`` until ``arrived()`` holds: what the other borough sent comes over the bus.
    The arrival is the signal; a loaded machine only makes the wait longer, and one that never
    comes is ended by the suite's per-test timeout."""
    page.goto(url)
    while not arrived():
        time.sleep(0.5)
        page.goto(url)


def open_case(page, suite, name: str = INVENTED_NAME, *, duty_accepted: bool = False) -> str:
    """Open a case through the new-case form; its reference."""
    page.goto(suite.url("options", "/pages/cases/new"))
    page.fill("#name", name)
    if duty_accepted:  # advance contact follows an accepted duty
        page.check("input[name=duty_accepted][value=yes]")
    page.click("button:has-text('Open case')")
    page.wait_for_url(re.compile(r"/pages/cases/[A-Z]+-[0-9A-Z]+$"))
    return page.url.rsplit("/", 1)[1]


def consent_to_share(page, suite, ref: str, borough: str) -> None:
    """Record the client's consent to share their details with ``borough``."""
    page.goto(suite.url("options", f"/pages/cases/{ref}/options"))
    page.select_option("#consent-purpose", "share_with_borough")
    page.fill("#consent-recipient", borough)
    page.click("button:has-text('Record consent')")
    assert page.locator(f"td:has-text('{borough}')").count() >= 1, page.inner_text("main")


def notify(page, suite, ref: str, borough: str, *, share: bool) -> None:
    """Make advance contact with ``borough`` about case ``ref`` from the case page."""
    page.goto(suite.url("options", f"/pages/cases/{ref}"))
    page.select_option("#to_org", borough)
    if share:
        page.check("input[name=share_information]")
    page.click("button:has-text('Send JWA notification')")
    assert "JWA notification sent" in page.inner_text("main")
    check_page(page)


@pytest.mark.rule("jwa.advance-notification")
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_notification_from_bromley_with_consented_details_is_acknowledged_in_lewisham_inbox(
    browser,  # noqa: F811
    suite,  # noqa: F811
    width,
):
    desktop = width == WIDTHS["desktop"]
    a = new_page(browser, width)
    sign_in(a, suite, "bromley", "options_officer")
    ref = open_case(a, suite, duty_accepted=True)
    consent_to_share(a, suite, ref, "lewisham")
    notify(a, suite, ref, "lewisham", share=True)
    a.context.close()

    b = new_page(browser, width)
    sign_in(b, suite, "lewisham", "dv_lead", sub="officer-9")
    until(b, suite.url("options", "/"), lambda: ref in b.inner_text("#inbox-h + ul"))
    if desktop:
        screenshot(b, "start-page-inbox")
    check_page(b)
    row = b.locator(f"#jwa-inbox tr:has-text('{ref}')")
    until(b, suite.url("options", "/pages/jwa"), lambda: row.count() == 1)
    assert "London Borough of Bromley" in row.inner_text()
    if desktop:
        screenshot(b, "jwa-inbox")
    check_page(b)
    row.locator("a").first.click()
    assert INVENTED_NAME in b.inner_text("main")  # shared with consent, to a DV lead of borough B
    assert "Consent recorded (CONS-" in b.inner_text("#information")  # the basis in words, not consent:CONS-…
    check_page(b)
    assert "Jo Invented" not in b.title() and "Jo" not in b.url
    b.go_back()
    row.locator("button:has-text('Acknowledge')").click()
    b.wait_for_url(re.compile(r"/pages/jwa\?done=acknowledged$"))
    assert "Acknowledged" in b.locator(f"#jwa-inbox tr:has-text('{ref}')").inner_text()
    check_page(b)
    b.context.close()


#: Who asks and who answers, one way at the desk and the other way on the phone
DIRECTIONS = {"desktop": ("bromley", "lewisham"), "phone": ("lewisham", "bromley")}


@pytest.mark.rule("jwa.information-as-soon-as-requested")
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_information_request_asked_answered_with_details_and_read_by_the_borough_that_asked(
    browser,  # noqa: F811
    suite,  # noqa: F811
    width,
):
    """Borough B (where the client approached) asks borough A; A's officer answers from A's own case,
    sharing with the client's consent; B's officer who asked reads what A shared. Lewisham asks Bromley
    on the phone, Bromley asks Lewisham at the desk: both ways between the two boroughs."""
    asking, answering = DIRECTIONS["desktop" if width == WIDTHS["desktop"] else "phone"]
    name = f"Sam Invented-{asking.title()}"
    a = new_page(browser, width)
    sign_in(a, suite, answering, "options_officer", sub=f"{answering}-officer-2")
    theirs = open_case(a, suite, name)
    consent_to_share(a, suite, theirs, asking)

    b = new_page(browser, width)
    sign_in(b, suite, asking, "options_officer", sub=f"{asking}-officer-3")
    ours = open_case(b, suite, name)
    b.goto(suite.url("options", "/pages/jwa"))
    b.click("button:has-text('Ask for information')")  # nothing chosen: the form says what is missing
    assert b.locator("#ask-case_ref-error").is_visible() or b.locator(".govuk-error-summary").is_visible()
    check_page(b)
    b.select_option("#ask-case_ref", ours)
    b.select_option("#ask-to_org", answering)
    b.fill("#ask-their_case_ref", theirs)
    b.click("button:has-text('Ask for information')")
    b.wait_for_url(re.compile(r"/pages/jwa/information-requests/INFO-[0-9A-Z]+\?done=asked$"))
    request = b.url.split("?")[0].rsplit("/", 1)[1]
    assert "Information request sent" in b.inner_text("main")
    assert "Waiting for an answer" in b.inner_text("#request-status")
    check_page(b)

    row = a.locator(f"#jwa-requests tr:has-text('{request}')")
    until(a, suite.url("options", "/pages/jwa"), lambda: row.count() == 1)
    check_page(a)
    row.locator(f"#case-{request}").select_option(theirs)
    row.locator(f"#share-{request}").check()
    row.locator("button:has-text('Respond')").click()
    a.wait_for_url(re.compile(r"/pages/jwa\?done=responded$"))
    assert "Answered" in a.locator(f"#jwa-requests tr:has-text('{request}')").inner_text()
    check_page(a)
    a.context.close()

    status = b.locator("#request-status")
    until(
        b, suite.url("options", f"/pages/jwa/information-requests/{request}"), lambda: "Answered" in status.inner_text()
    )
    assert name in b.inner_text("#information"), b.inner_text("main")
    assert name not in b.title() and "Invented" not in b.url
    if width == WIDTHS["desktop"]:
        screenshot(b, "jwa-information-request")
    check_page(b)
    b.goto(suite.url("options", "/pages/jwa"))
    assert "Answered" in b.locator(f"#jwa-requests tr:has-text('{request}')").inner_text()
    b.context.close()


@pytest.mark.rule("jwa.one-night-ta")
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_one_night_of_temporary_accommodation_booked_for_a_household_from_another_borough(
    browser,  # noqa: F811
    suite,  # noqa: F811
    width,
):
    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "options_officer", sub="bromley-officer-4")
    ref = open_case(page, suite, "Alex Invented-Arrival")
    page.goto(suite.url("options", "/pages/jwa"))
    page.select_option("#ta-case_ref", ref)
    page.select_option("#ta-from_org", "lewisham")
    page.click("button:has-text('Book one night')")
    page.wait_for_url(re.compile(r"/pages/jwa\?done=booked$"))
    assert "One night of temporary accommodation booked" in page.inner_text("main")
    check_page(page)
    page.goto(suite.url("options", f"/pages/cases/{ref}"))
    assert page.locator("#bookings").is_visible() and "Night of" in page.inner_text("main")
    check_page(page)
    page.context.close()


@pytest.mark.rule("jwa.dispute-tabled-at-subgroup", "jwa.monitoring")
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_dispute_raised_and_tabled_at_the_dv_subgroup_then_the_monitoring_report_downloads(
    browser,  # noqa: F811
    suite,  # noqa: F811
    width,
):
    page = new_page(browser, width, accept_downloads=True)
    sign_in(page, suite, "bromley", "dv_lead", sub="bromley-dv-lead-5")
    ref = open_case(page, suite, "Kim Invented-Dispute", duty_accepted=True)
    notify(page, suite, ref, "lewisham", share=False)

    page.goto(suite.url("options", "/pages/jwa/disputes"))
    page.select_option("#pair", f"lewisham/{ref}")
    page.fill("#summary", "Which borough owes the main housing duty (invented).")
    page.click("button:has-text('Raise the dispute')")
    page.wait_for_url(re.compile(r"/pages/jwa/disputes/[A-Z]+-[0-9A-Z]+\?done=raised$"))
    assert "Dispute recorded" in page.inner_text("main")
    assert "not yet tabled" in page.inner_text("#dispute")
    check_page(page)
    today = datetime.now(UTC).date()
    page.fill("#meeting_on-day", str(today.day))
    page.fill("#meeting_on-month", str(today.month))
    page.fill("#meeting_on-year", str(today.year))
    page.click("button:has-text('Record the meeting')")
    assert "DV sub-group meeting recorded" in page.inner_text("main")
    assert "Tabled at the meeting on" in page.inner_text("#dispute")
    check_page(page)
    page.goto(suite.url("options", "/pages/jwa/disputes"))
    assert ref in page.inner_text("main")
    check_page(page)

    card = page.locator("section.card:has(h2:has-text('Bromley'))")
    until(page, suite.url("options", "/pages/monitoring"), lambda: card.count() >= 1)
    check_page(page)
    with page.expect_download() as csv:
        page.click("a:has-text('Download CSV')")
    assert csv.value.suggested_filename == "jwa-monitoring.csv"
    assert Path(csv.value.path()).read_text().startswith("from_org,to_org,")
    with page.expect_download() as report:
        page.click("a:has-text('Download JSON')")
    assert report.value.suggested_filename == "jwa-monitoring.json"
    pairs = json.loads(Path(report.value.path()).read_text())["pairs"]
    assert any(p["from_org"] == "bromley" and p["to_org"] == "lewisham" for p in pairs), pairs
    page.context.close()
