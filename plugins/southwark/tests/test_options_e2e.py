"""Southwark: a case opened through the options service gets Southwark's routing and options.

End to end over a real nats-server: the options service loads the plugin by entry point and
asks it for the interview routing when the case is opened and for the options and advice of
the case. Seed ``001_2a45bb55c36fcb52.txt`` ("Southwark").
"""

from __future__ import annotations

import pytest

from haven_runtime.testing.plugins import listed, open_case

ORG = "southwark"


async def test_another_borough_cannot_read_the_case(start_service, token):
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    r = await options.get(f"/cases/{case['ref']}/options", headers=token("lewisham", "options_officer"))
    assert r.status_code in (403, 404)


@pytest.mark.rule("southwark.asb-unit-interview", "southwark.victim-decides")
async def test_asb_unit_officer_interviews_and_the_victim_decides(start_service, token, monkeypatch):
    """001_2a45bb55c36fcb52.txt: "they are referred to an officer from the anti social behaviour unit" and
    "The final course of action will be made by the victim"."""
    monkeypatch.delenv("HAVEN_SOUTHWARK_DV_ROUTE", raising=False)
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    case = await open_case(options, headers, tenure="council_secure", unable_to_return_home=True)
    assert case["interview"]["interviewer"] == "asb_unit_officer"
    opts = await listed(options, headers, case["ref"])
    assert opts["southwark-refuge-list"]["eligible"] and "Finders Fee" in opts["southwark-rent-incentive"]["title"]
    assert "southwark-victim-decides" in await listed(options, headers, case["ref"], "advice")


@pytest.mark.rule("southwark.move-to-housing-options")
async def test_route_setting_moves_interviews_to_housing_options(start_service, token, monkeypatch):
    """001_2a45bb55c36fcb52.txt: "Southwark are in the process of moving this function back to the
    HomeSearch centre (Housing Options Team)"."""
    monkeypatch.setenv("HAVEN_SOUTHWARK_DV_ROUTE", "housing-options")
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    assert case["interview"]["interviewer"] == "housing_options"
