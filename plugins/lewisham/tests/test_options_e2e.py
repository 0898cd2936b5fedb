"""Lewisham: a case opened through the options service gets Lewisham's routing and options.

End to end over a real nats-server: the options service loads the plugin by entry point and
asks it for the interview routing when the case is opened and for the options and advice of
the case. Seed ``001_2a45bb55c36fcb52.txt`` ("Lewisham").
"""

from __future__ import annotations

import pytest

from haven_runtime.testing.plugins import listed, open_case

ORG = "lewisham"


async def test_another_borough_cannot_read_the_case(start_service, token):
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    r = await options.get(f"/cases/{case['ref']}/options", headers=token("greenwich", "options_officer"))
    assert r.status_code in (403, 404)


@pytest.mark.rule("lewisham.triage", "se-london.refuge-list-and-ta")
async def test_triage_then_options_and_refuge_list_when_the_client_cannot_go_home(start_service, token):
    """001_2a45bb55c36fcb52.txt: "referred for a triage interview" and "Applicant is provided with a list of
    refuges if they cannot return home on the day"."""
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    case = await open_case(options, headers, tenure="housing_association", unable_to_return_home=True)
    assert case["interview"]["interviewer"] == "triage_then_options"
    opts = await listed(options, headers, case["ref"])
    assert opts["lewisham-refuge-list"]["eligible"] and opts["lewisham-temporary-accommodation"]["eligible"]
    assert opts["lewisham-landlord-transfer"]["eligible"]
    level = opts["lewisham-sanctuary"]["referral_level"]
    assert (level["target"], level["amount"], level["unit"]) == (24, 48, "hours")
    advice = await listed(options, headers, case["ref"], "advice")
    assert "lewisham-risk-evidence" in advice
