"""Browser: a borough's team manager keeps its officers and posts in the directory — adds an officer,
makes them the named DV lead, corrects their record and leaves the post vacant — at desktop width and
on a phone, every page checked with axe-core.

Seed 000_93a7cd5d2a8b6030.txt: "borough A will make contact with borough B in advance using a list of
named officers with DV leads and team managers"; 003_8738e4ccc4c4272a.txt principle 9: "an up to date
list of local agencies".
"""

from __future__ import annotations

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


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_team_manager_adds_an_officer_names_them_dv_lead_corrects_them_and_vacates_the_post(
    browser,  # noqa: F811
    suite,  # noqa: F811
    width,
):
    desktop = width == WIDTHS["desktop"]
    key = "bromley-dv-lead-invented-" + ("desk" if desktop else "phone")
    name = "Pat Invented-" + ("Desk" if desktop else "Phone")
    page = new_page(browser, width)
    sign_in(page, suite, "bromley", "team_manager", sub="bromley-team-manager")
    page.goto(suite.url("directory", "/pages/"))
    page.click("a:has-text(\"Your organisation's officers and posts\")")
    check_page(page)

    page.click("a:has-text('Add an officer')")
    page.fill("#name", name)
    page.click("button:has-text('Add the officer')")  # no identifier: said next to the field
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#name") == name
    check_page(page)
    page.fill("#key", key)
    page.fill("#job_title", "Domestic abuse lead")
    page.fill("#email", "pat.invented@bromley.example")
    page.check("input[name=sex][value=female]")
    page.check("#dv_specialism")
    page.click("button:has-text('Add the officer')")
    assert "Officer added" in page.inner_text("main")
    assert page.locator(f"#officers a:has-text('{name}')").count() == 1
    check_page(page)

    page.select_option("#post-position", "dv_lead")
    page.select_option("#post-officer_key", key)
    page.click("button:has-text('Give the post')")
    assert "Post given" in page.inner_text("main")
    dv_lead = page.locator("#post-holders .govuk-summary-list__row:has(dt:text-is('DV lead'))")
    assert name in dv_lead.inner_text()
    if desktop:
        screenshot(page, "directory-officers")
    check_page(page)

    page.click(f"#officers a:has-text('{name}')")
    assert page.input_value("#job_title") == "Domestic abuse lead" and page.is_checked("#dv_specialism")
    page.fill("#job_title", "Domestic abuse and safeguarding lead")
    page.click("button:has-text('Save the correction')")
    assert "record corrected" in page.inner_text("main")
    assert "Domestic abuse and safeguarding lead" in page.inner_text("#officers")
    check_page(page)

    dv_lead.locator(f"button[aria-label*='{name}']").click()
    assert "Post left vacant" in page.inner_text("main")
    assert name not in page.inner_text("main").split("Give a post", 1)[0]  # no longer holds any post
    check_page(page)
    page.context.close()
