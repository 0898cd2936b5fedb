"""Disputes between boroughs under the Joint Working Agreement, in form posts on the options pages
(seed ``000_93a7cd5d2a8b6030.txt``, Monitoring): raised about a case the JWA brought between two
boroughs, tabled at a DV sub-group meeting, escalated only once tabled, and resolved."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import normalise, seed_text
from haven_runtime.web.words import check_pages

A, B = "bexley", "bromley"
JWA = "000_93a7cd5d2a8b6030.txt"
NOT_AGREED = (
    "In the unlikely event of boroughs not being able to reach agreement at this forum, the disputed case should be "
    "referred to the appropriate member of the homelessness sub group for each borough concerned."
)
# Invented: no real survivor data exists anywhere in this project.
PERSON = {
    "name": "Jo Invented-Example",
    "date_of_birth": "1990-02-03",
    "address": "12 Nowhere Lane, Testville",
    "phone": "07000 900123",
}


def as_officer(client, settings, org: str, role: str) -> None:
    client.cookies.set("haven_token", issue_token(f"{org}-{role}-1", org, [role], settings=settings))


def see_other(reply, pattern: str) -> str:
    assert reply.status_code == 303, reply.text[:3000]
    assert re.fullmatch(pattern, reply.headers["location"]), reply.headers["location"]
    return reply.headers["location"]


def meeting(day) -> dict[str, str]:
    return {"meeting_on-day": str(day.day), "meeting_on-month": str(day.month), "meeting_on-year": str(day.year)}


async def notified_case(options, token) -> str:
    """A Bexley case with a duty accepted, on which Bexley made advance contact with Bromley."""
    case = await options.post(
        "/cases",
        json={"person": PERSON, "channel": "reception", "tenure": "council_secure", "duty_accepted": True},
        headers=token(A),
    )
    assert case.status_code == 201, case.text
    sent = await options.post(
        "/jwa/notifications", json={"case_ref": case.json()["ref"], "to_org": B}, headers=token(A)
    )
    assert sent.status_code == 201, sent.text
    return case.json()["ref"]


@pytest.mark.rule("jwa.dispute-tabled-at-subgroup")
@pytest.mark.rule("jwa.dispute-escalation")
async def test_boroughs_raise_table_escalate_and_resolve_a_dispute_in_form_posts(start_service, token, haven_settings):
    """000_93a7cd5d2a8b6030.txt: a dispute the boroughs cannot agree "at this forum" (the DV sub-group) goes to the
    homelessness sub-group: the page refuses the referral plainly until the meeting is recorded."""
    assert normalise(NOT_AGREED) in normalise(seed_text(JWA))
    await start_service("directory")
    options = check_pages(await start_service("options"))
    case_ref = await notified_case(options, token)

    as_officer(options, haven_settings, A, "team_manager")
    listing = await options.get("/pages/jwa/disputes")
    assert listing.status_code == 200 and "No disputes involve your borough" in listing.text
    assert (
        re.search(r'href="http://[^"]+/pages/jwa/disputes"', listing.text) and "JWA disputes" in listing.text
    )  # in the header
    assert f'<option value="{B}/{case_ref}">{case_ref} with ' in listing.text  # picked, not typed
    blank = await options.post("/pages/jwa/disputes", data={"summary": "Who owes the duty."})
    assert blank.status_code == 400 and 'href="#pair"' in blank.text and "The case in dispute: choose" in blank.text
    assert "Who owes the duty." in blank.text  # what was typed is kept
    page = see_other(
        await options.post(
            "/pages/jwa/disputes",
            data={"pair": f"{B}/{case_ref}", "summary": "Who owes the duty."},
            follow_redirects=False,
        ),
        r"/pages/jwa/disputes/DISP-\w+\?done=raised",
    )
    ref = page.split("/")[-1].split("?")[0]
    shown = await options.get(page)
    assert "Dispute recorded" in shown.text and "Open: not yet tabled at the DV sub-group" in shown.text
    assert 'id="meeting_on-day"' in shown.text

    # the other borough sees it, and cannot refer it on before it was tabled
    as_officer(options, haven_settings, B, "dv_lead")

    async def theirs():
        listed = await options.get("/pages/jwa/disputes")
        return listed if ref in listed.text else None

    assert "(raised by them)" in (await eventually(theirs)).text
    early = await options.post(f"/pages/jwa/disputes/{ref}/escalate", follow_redirects=False)
    assert early.status_code == 409 and "has not been tabled at a DV sub-group meeting yet" in early.text
    assert "govuk-error-summary" in early.text and "POST /jwa" not in early.text

    as_officer(options, haven_settings, A, "team_manager")
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date()
    future = await options.post(f"/pages/jwa/disputes/{ref}/tabled", data=meeting(today + timedelta(days=1)))
    assert (
        future.status_code == 400
        and 'href="#meeting_on"' in future.text
        and "Date of the DV sub-group meeting" in future.text
    )
    undated = await options.post(f"/pages/jwa/disputes/{ref}/tabled", data={})
    assert undated.status_code == 400 and "Date of the DV sub-group meeting is required" in undated.text
    see_other(
        await options.post(f"/pages/jwa/disputes/{ref}/tabled", data=meeting(today), follow_redirects=False),
        rf"/pages/jwa/disputes/{ref}\?done=tabled",
    )
    assert f"Tabled at the meeting on {today.day} " in (await options.get(f"/pages/jwa/disputes/{ref}")).text

    as_officer(options, haven_settings, B, "subgroup_member")

    async def tabled_for_them():
        shown = await options.get(f"/pages/jwa/disputes/{ref}")
        return shown if "Open: tabled at the DV sub-group" in shown.text else None

    await eventually(tabled_for_them)
    see_other(
        await options.post(f"/pages/jwa/disputes/{ref}/escalate", follow_redirects=False),
        rf"/pages/jwa/disputes/{ref}\?done=escalated",
    )
    escalated = await options.get(f"/pages/jwa/disputes/{ref}")
    assert "Referred to the homelessness sub-group" in escalated.text and "for each borough concerned" in escalated.text
    see_other(
        await options.post(f"/pages/jwa/disputes/{ref}/resolve", follow_redirects=False),
        rf"/pages/jwa/disputes/{ref}\?done=resolved",
    )
    assert "Resolved" in (await options.get("/pages/jwa/disputes")).text
    again = await options.post(f"/pages/jwa/disputes/{ref}/resolve")
    assert again.status_code == 409 and "already resolved" in again.text

    # a housing options officer works cases, not disputes; a borough outside the dispute cannot open it
    as_officer(options, haven_settings, A, "options_officer")
    assert (await options.get("/pages/jwa/disputes")).status_code == 403
    as_officer(options, haven_settings, "lewisham", "dv_lead")
    assert (await options.get(f"/pages/jwa/disputes/{ref}")).status_code == 403
