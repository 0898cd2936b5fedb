"""Dales Housing / Seven Locks Housing: a case opened through the options service follows AG/013.

End to end over a real nats-server: the options service loads the plugin by entry point, sets
the interview clock from the plugin's service level and offers the Group's options.
Seed ``003_8738e4ccc4c4272a.txt``.
"""

from __future__ import annotations

from datetime import datetime

import pytest

# Invented: no real survivor data exists anywhere in this project.
PERSON = {"name": "Alex Invented-Example"}


@pytest.mark.rule("ag013.interview-next-working-day", "ag013.same-sex-interviewer")
@pytest.mark.parametrize("org", ["dales-housing", "seven-locks-housing"])
async def test_interview_due_by_the_end_of_the_next_working_day(start_service, token, org):
    """003_8738e4ccc4c4272a.txt principle 1: "Victims of domestic violence will be interviewed before the end of
    the next working day from making a report to housing services"; principle 2: "someone of the same sex
    and/or cultural background"."""
    options = await start_service("options")
    headers = token(org, "options_officer")
    body = {
        "person": PERSON,
        "channel": "landlord_report",
        "tenure": "housing_association",
        "approached_at": "2026-11-20T10:00:00+00:00",
        "rent_arrears": True,
        "unable_to_return_home": True,
    }
    r = await options.post("/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    case = r.json()
    due = datetime.fromisoformat(case["interview"]["due_at"])
    assert due.date().isoformat() == "2026-11-23"  # Friday's report: by the end of Monday
    assert case["interview"]["same_sex_offered"] and case["interview"]["same_culture_offered"]
    opts = {o["id"]: o for o in (await options.get(f"/cases/{case['ref']}/options", headers=headers)).json()}
    assert opts[f"{org}-priority-transfer"]["eligible"] and opts[f"{org}-reciprocal"]["eligible"]
    assert "sanctuary_scheme" not in opts
    advice = {a["id"] for a in (await options.get(f"/cases/{case['ref']}/advice", headers=headers)).json()}
    assert {f"{org}-rent-arrears-disregarded", f"{org}-consent-before-agencies"} <= advice
