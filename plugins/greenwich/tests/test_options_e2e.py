"""Greenwich: a case opened through the options service gets Greenwich's routing and options.

End to end over a real nats-server: the options service loads the plugin by entry point and
asks it for the interview routing when the case is opened and for the options and advice of
the case. Seed ``001_2a45bb55c36fcb52.txt`` ("Greenwich").
"""

from __future__ import annotations

import pytest

from haven_runtime.testing.plugins import listed, open_case

ORG = "greenwich"


async def test_another_borough_cannot_read_the_case(start_service, token):
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    r = await options.get(f"/cases/{case['ref']}/options", headers=token("lewisham", "options_officer"))
    assert r.status_code in (403, 404)


@pytest.mark.rule("greenwich.routing-by-tenure", "greenwich.substance-misuse-worker")
async def test_routing_by_tenure_and_greenwich_options(start_service, token):
    """001_2a45bb55c36fcb52.txt: "Private sector tenants and owner occupiers are referred to Housing Aid
    Centre. Secure tenants are referred to Housing Options" and "Options officer can refer necessary cases
    to the worker for assessment"."""
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    private = await open_case(options, headers, tenure="private_rented", substance_misuse=True)
    secure = await open_case(options, headers, tenure="council_secure")
    assert private["interview"]["interviewer"] == "housing_aid_centre"
    assert secure["interview"]["interviewer"] == "housing_options"
    opts = await listed(options, headers, private["ref"])
    assert opts["greenwich-substance-misuse-worker"]["eligible"]
    assert opts["greenwich-rent-deposit"]["refer_to"] == "NewTrack"
    assert opts["greenwich-sanctuary"]["referral_level"]["amount"] == 24
