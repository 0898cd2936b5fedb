"""The interviewer of the same sex / cultural background: offered, asked for, met — and the requests not met.

Seeds: ``003_8738e4ccc4c4272a.txt`` principle 2 ("Where possible, the victim will be offered an interview
with someone of the same sex and/or cultural background") and ``001_2a45bb55c36fcb52.txt`` (Bromley: "Any
DV cases are always offered a female officer to conduct the interview"), through the shipped plugins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven_runtime.testing.plugins import normalise, seed_text

AG013, BOROUGHS = "003_8738e4ccc4c4272a.txt", "001_2a45bb55c36fcb52.txt"
WHERE_POSSIBLE = (
    "Where possible, the victim will be offered an interview with someone of the same sex and/or cultural background."
)
ALWAYS_FEMALE = "Any DV cases are always offered a female officer to conduct the interview."


def _window() -> dict[str, str]:
    now = datetime.now(UTC)
    return {"from": (now - timedelta(hours=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_bromley_records_the_female_officer_offer_the_answer_and_reports_requests_not_met(
    start_service, token, h
):
    """001_2a45bb55c36fcb52.txt (Bromley): "Any DV cases are always offered a female officer to conduct the
    interview"."""
    assert normalise(ALWAYS_FEMALE) in seed_text(BOROUGHS)
    options = await start_service("options")
    unmet_case = await h.open_case(options, token("bromley"))
    url = f"/cases/{unmet_case['ref']}/interview/match"
    assert (await options.get(url, headers=token("bromley"))).json()["required_offers"] == ["same_sex"]

    not_offered = await options.post(
        url, json={"interviewed_by": "bromley-options-officer-2"}, headers=token("bromley")
    )
    assert not_offered.status_code == 422 and "offered" in not_offered.json()["detail"]
    asked = {
        "interviewed_by": "bromley-options-officer-2",
        "offered": ["same_sex"],
        "requested": ["same_sex"],
        "provided": [],
    }
    no_reason = await options.post(url, json=asked, headers=token("bromley"))
    assert no_reason.status_code == 422 and "reason_not_met" in no_reason.json()["detail"]
    r = await options.post(url, json=asked | {"reason_not_met": "no_officer_available"}, headers=token("bromley"))
    assert r.status_code == 201, r.text
    assert r.json()["request_met"] is False and r.json()["unmet"] == ["same_sex"]
    assert (
        await options.post(url, json=asked | {"reason_not_met": "other"}, headers=token("bromley"))
    ).status_code == 409
    assert (await options.get(url, headers=token("lewisham"))).status_code == 403

    met_case = await h.open_case(options, token("bromley"))
    met = await options.post(
        f"/cases/{met_case['ref']}/interview/match",
        json=asked | {"interviewed_by": "bromley-options-officer-1", "provided": ["same_sex"]},
        headers=token("bromley"),
    )
    assert met.status_code == 201 and met.json()["request_met"] is True

    report = await options.get(
        "/monitoring/interviewer-requests", params=_window(), headers=token("bromley", "dv_lead")
    )
    assert report.status_code == 200, report.text
    assert [(row["case_ref"], row["unmet"], row["reason_not_met"]) for row in report.json()] == [
        (unmet_case["ref"], ["same_sex"], "no_officer_available")
    ]
    assert (
        await options.get("/monitoring/interviewer-requests", params=_window(), headers=token("lewisham", "dv_lead"))
    ).json() == []
    assert (
        await options.get("/monitoring/interviewer-requests", params=_window(), headers=token("bromley"))
    ).status_code == 403


async def test_ag013_offers_same_sex_and_cultural_background_and_a_declined_offer_is_met(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 2: "Where possible, the victim will be offered an interview with someone of
    the same sex and/or cultural background" — both offers are required; a client who declines has nothing unmet."""
    assert normalise(WHERE_POSSIBLE) in seed_text(AG013)
    options = await start_service("options")
    case = await h.open_case(options, token("dales-housing"), tenure="housing_association")
    url = f"/cases/{case['ref']}/interview/match"
    assert (await options.get(url, headers=token("dales-housing"))).json()["required_offers"] == [
        "same_sex",
        "same_culture",
    ]
    half = await options.post(
        url, json={"interviewed_by": "dales-housing-officer", "offered": ["same_sex"]}, headers=token("dales-housing")
    )
    assert half.status_code == 422 and "same_culture" in half.json()["detail"]
    declined = await options.post(
        url,
        json={"interviewed_by": "dales-housing-officer", "offered": ["same_sex", "same_culture"], "requested": []},
        headers=token("dales-housing"),
    )
    assert declined.status_code == 201 and declined.json()["request_met"] is True
    shown = (await options.get(url, headers=token("dales-housing"))).json()
    assert shown["offered"] == ["same_sex", "same_culture"] and shown["interviewed_by"] == "dales-housing-officer"
    assert (
        await options.get(
            "/monitoring/interviewer-requests", params=_window(), headers=token("dales-housing", "dv_lead")
        )
    ).json() == []
