"""Rent arrears at a transfer: disregarded now, apportioned (or not) by the relevant manager afterwards.

Seed ``003_8738e4ccc4c4272a.txt`` principle 8: "Rent arrears will be disregarded at this stage, however a
decision will be taken by the relevant manager as to how, or if, the arrears are apportioned following any
transfer." Driven over HTTP with the shipped Dales Housing plugin.
"""

from __future__ import annotations

import pytest

from haven_runtime.testing.plugins import normalise, seed_text

AG013 = "003_8738e4ccc4c4272a.txt"
DISREGARDED = (
    "Rent arrears will be disregarded at this stage, however a decision will be taken by the relevant manager as "
    "to how, or if, the arrears are apportioned following any transfer."
)
ORG = "dales-housing"


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_arrears_stay_out_of_the_transfer_and_the_manager_decides_after_it(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 8: "Rent arrears will be disregarded at this stage, however a decision will be
    taken by the relevant manager as to how, or if, the arrears are apportioned following any transfer"."""
    assert normalise(DISREGARDED) in seed_text(AG013)
    options = await start_service("options")
    facts = {"tenure": "housing_association", "unable_to_return_home": True}
    with_arrears = await h.open_case(options, token(ORG), rent_arrears=True, **facts)
    without = await h.open_case(options, token(ORG), **facts)
    transfer = f"{ORG}-priority-transfer"

    async def transfer_option(case):
        listed = (await options.get(f"/cases/{case['ref']}/options", headers=token(ORG))).json()
        return next(o for o in listed if o["id"] == transfer)

    # the arrears play no part in the transfer: same eligibility, chosen without any arrears step
    assert (await transfer_option(with_arrears))["eligible"] is (await transfer_option(without))["eligible"] is True
    url = f"/cases/{with_arrears['ref']}"
    early = await options.post(
        f"{url}/arrears-decision", json={"decision": "apportioned"}, headers=token(ORG, "team_manager")
    )
    assert early.status_code == 409 and "following a transfer" in early.json()["detail"]
    await options.post(f"{url}/options/offer", json={"option_ids": [transfer]}, headers=token(ORG))
    chosen = await options.post(f"{url}/options/{transfer}/decision", json={"decision": "chosen"}, headers=token(ORG))
    assert chosen.status_code == 200, chosen.text

    assert (
        await options.post(f"{url}/arrears-decision", json={"decision": "apportioned"}, headers=token(ORG))
    ).status_code == 403
    decided = await options.post(
        f"{url}/arrears-decision",
        json={"decision": "not_apportioned"},
        headers=token(ORG, "team_manager", sub="dales-manager-1"),
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["transfer_option_id"] == transfer and decided.json()["decided_by"] == "dales-manager-1"
    assert (await options.get(f"{url}/arrears-decision", headers=token(ORG))).json()["decision"] == "not_apportioned"
    again = await options.post(
        f"{url}/arrears-decision", json={"decision": "apportioned"}, headers=token(ORG, "team_manager")
    )
    assert again.status_code == 409
    none = await options.post(
        f"/cases/{without['ref']}/arrears-decision",
        json={"decision": "apportioned"},
        headers=token(ORG, "team_manager"),
    )
    assert none.status_code == 409 and "no rent arrears" in none.json()["detail"]
    bad = await options.post(
        f"{url}/arrears-decision", json={"decision": "written_off"}, headers=token(ORG, "team_manager")
    )
    assert bad.status_code == 400 and "decision" in bad.text
