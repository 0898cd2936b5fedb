"""Bromley: a case opened through the options service gets Bromley's routing and options.

End to end over a real nats-server: the options service loads the plugin by entry point and
asks it for the interview routing when the case is opened and for the options and advice of
the case. Seed ``001_2a45bb55c36fcb52.txt`` ("Bromley").
"""

from __future__ import annotations

import pytest

from haven_runtime.testing.plugins import listed, open_case

ORG = "bromley"


async def test_another_borough_cannot_read_the_case(start_service, token):
    options = await start_service("options")
    case = await open_case(options, token(ORG, "options_officer"), tenure="council_secure")
    r = await options.get(f"/cases/{case['ref']}/options", headers=token("bexley", "options_officer"))
    assert r.status_code in (403, 404)


@pytest.mark.rule("bromley.female-officer", "bromley.housing-association-transfer")
async def test_female_officer_offered_and_landlord_negotiation_for_housing_association_tenants(start_service, token):
    """001_2a45bb55c36fcb52.txt: "Any DV cases are always offered a female officer to conduct the interview"
    and "If the landlord is a housing association, staff will negotiate for a transfer"."""
    options = await start_service("options")
    headers = token(ORG, "options_officer")
    case = await open_case(options, headers, tenure="housing_association", rent_arrears=True)
    assert case["interview"]["same_sex_offered"] is True
    assert "Options and Assessment Team" in case["interview"]["team"]
    opts = await listed(options, headers, case["ref"])
    assert opts["bromley-landlord-negotiation"]["eligible"] and opts["bromley-payment-plan"]["eligible"]
    assert list(opts).index("bromley-one-stop-shop") < list(opts).index("bromley-sanctuary")
    private = await open_case(options, headers, tenure="private_rented")
    assert (await listed(options, headers, private["ref"]))["bromley-landlord-negotiation"]["eligible"] is False
