"""Bexley: a case opened through the options service gets Bexley's routing and options.

End to end over a real nats-server: the options service loads the plugin by entry point and
asks it for the interview routing when the case is opened and for the options and advice of
the case. Seed ``001_2a45bb55c36fcb52.txt`` ("Bexley").
"""

from __future__ import annotations

import pytest

from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import listed, open_case, seed_text

ORG = "bexley"


async def test_another_borough_cannot_read_the_case(start_service, token):
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    r = await options.get(f"/cases/{case['ref']}/options", headers=token("bromley", "options_officer"))
    assert r.status_code in (403, 404)


@pytest.mark.rule("bexley.dv-specialists-emergency")
async def test_dv_specialist_interviews_as_an_emergency_and_bexley_options_are_offered(start_service, token):
    """001_2a45bb55c36fcb52.txt: "given an interview with one of the specialists, as they are seen as an
    emergency" and "If emergency accommodation is required Housing Options staff contact Refugeline or if
    necessary can access the council's own emergency overnight accommodation"."""
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    case = await open_case(options, headers, tenure="owner_occupier", mortgaged=True, unable_to_return_home=True)
    # no directory has said who is on duty: the fallback, still as an emergency
    assert (
        case["interview"]["interviewer"] == "any_officer_with_specialist_folder"
        and case["interview"]["seen_as_emergency"] is True
    )
    assert case["interview"]["fallback_applied"] is True
    opts = await listed(options, headers, case["ref"])
    assert opts["bexley-refugeline"]["eligible"] and opts["bexley-emergency-overnight"]["eligible"]
    assert opts["bexley-bobby-van"]["eligible"] is False  # the client is not staying
    assert "sanctuary_scheme" not in opts and "refuge" not in opts  # replaced by Bexley's own
    assert not [i for i in opts if i.startswith(("bromley-", "greenwich-", "lewisham-", "southwark-"))]
    advice = await listed(options, headers, case["ref"], "advice")
    assert {"bexley-legal-clinic-wednesday", "bexley-mortgaged-property"} <= set(advice)


@pytest.mark.rule("bexley.bobby-van")
async def test_choosing_bobby_van_refers_the_case_to_bexleys_own_scheme(start_service, token):
    """001_2a45bb55c36fcb52.txt: "Bobby Van Secures windows/doors/new front door, spy-holes, link-line alarms in
    client's property" — Bexley's security option is run by Bexley itself, so choosing it refers to bexley."""
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    case = await open_case(options, headers, tenure="council_secure", perpetrator_at_property=False)
    url = f"/cases/{case['ref']}/options"
    r = await options.post(
        f"{url}/offer", json={"option_ids": ["bexley-bobby-van", "bexley-crisis-intervention-team"]}, headers=headers
    )
    assert r.status_code == 201, r.text
    r = await options.post(f"{url}/bexley-bobby-van/decision", json={"decision": "chosen"}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "sanctuary_scheme" and r.json()["referral"]["to_org"] == "bexley"
    r = await options.post(f"{url}/offer", json={"option_ids": ["bromley-one-stop-shop"]}, headers=headers)
    assert r.status_code in (400, 422) and "bromley-one-stop-shop" in r.text  # another borough's option is not Bexley's


@pytest.mark.rule("bexley.dv-specialists-emergency")
async def test_who_is_on_duty_in_the_directory_routes_the_interview_on_the_emergency_clock(start_service, token):
    """001_2a45bb55c36fcb52.txt: "given an interview with one of the specialists, as they are seen as an emergency. If
    neither of the specialists are present a housing options interview will be conducted by another staff member who can
    consult the DV specialists folder". Who is present is the directory's ``dv_specialist_on_duty`` holders, which the
    options service learns from the directory's published snapshots over the bus."""
    assert "If neither of the specialists are present" in seed_text("001_2a45bb55c36fcb52.txt")
    directory = await start_service("directory")
    options = await start_service("options")
    officer, manager = token(ORG, "options_officer"), token(ORG, "team_manager")
    monday = {"tenure": "council_secure", "approached_at": "2026-11-23T10:00:00+00:00"}

    async def routed() -> dict:
        return (await open_case(options, officer, **monday))["interview"]

    # nobody on duty: another staff member with the specialists' folder, still the emergency clock (the same day)
    first = await routed()
    assert (first["interviewer"], first["fallback_applied"], first["on_duty"]) == (
        "any_officer_with_specialist_folder",
        True,
        [],
    )
    assert first["due_at"].startswith("2026-11-23T")
    # a specialist comes on duty in the directory: the next case goes to the specialist on duty
    r = await directory.put(
        f"/orgs/{ORG}/positions/dv_specialist_on_duty", json={"officer_key": "bexley-dv-specialist-1"}, headers=manager
    )
    assert r.status_code == 200, r.text

    async def specialist() -> dict | None:
        interview = await routed()
        return interview if interview["on_duty"] else None

    second = await eventually(specialist)
    assert (second["interviewer"], second["fallback_applied"], second["on_duty"]) == (
        "dv_specialist",
        False,
        ["bexley-dv-specialist-1"],
    )
    assert second["seen_as_emergency"] is True and second["due_at"].startswith("2026-11-23T")
    # an ordinary (non-emergency) route would have had until the end of the next working day
    assert first["due_at"] < "2026-11-24"
    # the specialist leaves: the folder again
    r = await directory.delete(f"/orgs/{ORG}/positions/dv_specialist_on_duty/bexley-dv-specialist-1", headers=manager)
    assert r.status_code in (200, 204), r.text

    async def fallback_again() -> dict | None:
        interview = await routed()
        return interview if interview["fallback_applied"] else None

    assert (await eventually(fallback_again))["interviewer"] == "any_officer_with_specialist_folder"
