"""The eight eligibility criteria of seed ``004_d4b796f614d2cfd3.txt`` s.7, landlord
permission, and criteria / borough checks added by plugins."""

from __future__ import annotations

import nats
import pytest

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest
from haven_contracts.plugin.sanctuary import CriterionOutcome, EligibilityCriterion
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.testing import eventually, flushed
from haven_sanctuary.eligibility import CORE_CRITERIA

OTHER_CRITERIA = [c.key for c in CORE_CRITERIA if c.key != "landlord_agrees"]


async def _refer(client, token, form, **kw) -> str:
    r = await client.post("/referrals", json=form(**kw), headers=token("bexley", "options_officer"))
    assert r.status_code == 201, r.text
    return r.json()["ref"]


@pytest.mark.rule("dartford.eligibility-criteria")
def test_the_eight_criteria_of_the_procedure():
    """Seed 004_d4b796f614d2cfd3.txt s.7: "The following criteria must be met before sanctuary
    measures are approved" — eight of them, in the procedure's order."""
    assert [c.key for c in CORE_CRITERIA] == [
        "landlord_agrees",
        "lives_in_borough",
        "right_to_occupy",
        "perpetrator_not_resident",
        "victim_agrees",
        "intends_to_remain",
        "safe_to_remain",
        "homeless_without_works",
    ]
    assert all(c.source.startswith("004_d4b796f614d2cfd3.txt") for c in CORE_CRITERIA)


@pytest.mark.rule("dartford.eligibility-criteria")
@pytest.mark.parametrize("unmet", OTHER_CRITERIA)
async def test_each_unmet_criterion_makes_the_referral_ineligible_and_is_explained(
    start_service, token, form, walk, unmet
):
    """Seed 004_d4b796f614d2cfd3.txt s.7: each criterion "must be met before sanctuary measures
    are approved"; the decision explains each unmet criterion and who confirmed it."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = await _refer(client, token, form)
    await w.meet_all(ref, skip=(unmet,))
    await w.ok("PUT", f"/referrals/{ref}/criteria/{unmet}", json={"status": "not_met", "note": "invented note"})
    body = await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    decision = body["decision"]
    assert decision["eligible"] is False and body["eligibility"] == "ineligible"
    (item,) = decision["unmet"]
    assert item["key"] == unmet and item["confirmed_by"] == "sanctuary-officer-1"
    assert "Not met" in item["explanation"] and "invented note" in item["explanation"]


@pytest.mark.rule("dartford.eligibility-criteria")
async def test_all_met_or_not_applicable_is_eligible_and_pending_is_409(start_service, token, form, walk):
    """Seed 004_d4b796f614d2cfd3.txt s.7: criteria "must be met before sanctuary measures are
    approved" — a decision while criteria are pending is refused with the pending list."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = await _refer(client, token, form)
    await w.ok("PUT", f"/referrals/{ref}/criteria/victim_agrees", json={"status": "met"})
    r = await client.post(f"/referrals/{ref}/eligibility/decide", headers=w.officer)
    assert r.status_code == 409 and "lives_in_borough" in r.text
    await w.meet_all(ref)
    criteria = (await client.get(f"/referrals/{ref}/criteria", headers=w.officer)).json()
    landlord = next(c for c in criteria if c["key"] == "landlord_agrees")
    assert landlord["status"] == "not_applicable" and landlord["confirmed_by"] == "system"
    assert all(c["confirmed_by"] for c in criteria)
    body = await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    assert body["decision"]["eligible"] is True
    again = await client.post(f"/referrals/{ref}/eligibility/decide", headers=w.officer)
    assert again.status_code == 409


@pytest.mark.rule("dartford.landlord-permission")
@pytest.mark.parametrize(
    ("tenure", "asked"),
    [
        ("housing_association_tenant", True),
        ("private_sector_tenant", True),
        ("owner_occupier", False),
        ("council_tenant", False),
    ],
)
async def test_landlord_permission_requested_automatically_for_other_landlords(
    start_service, token, form, nats_server, tenure, asked
):
    """Seed 004_d4b796f614d2cfd3.txt s.7: "If the person requiring extra security is not a DBC
    tenant, permission will have to be asked from the landlord for the works to go ahead"."""
    nc = await nats.connect(nats_server.url)
    seen: list[str] = []

    async def collect(msg):
        seen.append(msg.subject)

    await nc.subscribe("haven.sanctuary.evt.>", cb=collect)
    await flushed(nc)  # the server knows the subscription before anything is published
    client = await start_service("sanctuary")
    ref = await _refer(client, token, form, tenure=tenure)
    await eventually(lambda: any("referral-received" in s for s in seen))
    await flushed(nc)
    status = (await client.get("/referrals", headers=token("dartford", "sanctuary_officer"))).json()[0]
    assert status["landlord_permission"] == ("requested" if asked else "not_applicable")
    assert any("landlord-permission-requested" in s for s in seen) is asked
    await nc.close()
    assert ref


@pytest.mark.rule("dartford.landlord-permission")
@pytest.mark.parametrize(("decision", "eligible"), [("given", True), ("refused", False)])
async def test_landlord_answer_decides_the_landlord_criterion(start_service, token, form, walk, decision, eligible):
    """Seed 004_d4b796f614d2cfd3.txt s.7: "The landlord agrees to the works" must be met."""
    client = await start_service("sanctuary")
    w = walk(client)
    ref = await _refer(client, token, form, tenure="private_sector_tenant")
    r = await client.put(f"/referrals/{ref}/criteria/landlord_agrees", json={"status": "met"}, headers=w.officer)
    assert r.status_code == 409 and "landlord-permission" in r.text
    await w.meet_all(ref)
    await w.ok("POST", f"/referrals/{ref}/landlord-permission", json={"decision": decision})
    body = await w.ok("POST", f"/referrals/{ref}/eligibility/decide")
    assert body["decision"]["eligible"] is eligible
    if not eligible:
        assert [u["key"] for u in body["decision"]["unmet"]] == ["landlord_agrees"]
    r = await client.post(f"/referrals/{ref}/landlord-permission", json={"decision": "given"}, headers=w.officer)
    assert r.status_code == 409


class ExtraRules:
    """A test plugin for Dartford adding a criterion and replacing the borough check."""

    @hookimpl
    def haven_manifest(self):
        return PluginManifest(
            name="zz-test", organisations=(Organisation(id="dartford", name="Dartford", kind="local_authority"),)
        )

    @hookimpl
    def haven_sanctuary_criteria(self, org, referral):
        return [EligibilityCriterion(key="test_extra", label="An extra criterion from a plugin")]

    @hookimpl
    def haven_sanctuary_borough_check(self, org, referral):
        if referral.postcode_district == "DA1":
            return CriterionOutcome(status="met", reason="DA1")
        return None


async def test_plugins_add_criteria_and_change_the_borough_check(start_service, token, form, haven_settings, walk):
    """As required: "Plugins may add criteria or change the borough check"."""
    plugins = build_plugin_manager(haven_settings)
    assert plugins.register(ExtraRules(), name="zz-test") is not None
    client = await start_service("sanctuary", plugins=plugins)
    w = walk(client)
    ref = await _refer(client, token, form)
    criteria = {c["key"]: c for c in (await client.get(f"/referrals/{ref}/criteria", headers=w.officer)).json()}
    assert (
        criteria["lives_in_borough"]["status"] == "met"
        and criteria["lives_in_borough"]["confirmed_by"] == "plugin:dartford"
    )
    assert criteria["test_extra"]["status"] == "pending"
    await w.meet_all(ref)
    r = await client.post(f"/referrals/{ref}/eligibility/decide", headers=w.officer)
    assert r.status_code == 409 and "test_extra" in r.text

    elsewhere = form(
        person={
            "name": "B Invented",
            "address": "2 Sample Street, Gravesend DA11 0AA",
            "telephone": "01474 000000",
            "date_of_birth": "1985-05-05",
        }
    )
    r = await client.post("/referrals", json=elsewhere, headers=token("bexley", "options_officer"))
    other = r.json()["ref"]
    criteria = {c["key"]: c for c in (await client.get(f"/referrals/{other}/criteria", headers=w.officer)).json()}
    assert criteria["lives_in_borough"]["status"] == "pending"
