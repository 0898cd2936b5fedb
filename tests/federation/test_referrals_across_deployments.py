"""Referrals from one deployment's case to a scheme another deployment hosts: a Bexley case to
Dartford's sanctuary scheme (Southwark+Dartford's deployment), and a Fenland case to the
Cambridgeshire reciprocal's coordinator (Cambridgeshire's deployment), the details fetched
across deployments by the consent-checked request.

Seed ``004_d4b796f614d2cfd3.txt``: "any organisation working with a person they deem suitable
for sanctuary measures can make a referral to the scheme"; seed ``003_8738e4ccc4c4272a.txt``
principle 5: external agencies are contacted "with the permission of the victim"; seed
``002_c1c7b199d9a53274.txt`` §3: each partner is responsible for "Integrating referral into the
Reciprocal into existing local referral pathways".
"""

from __future__ import annotations

import httpx
import pytest

from haven_runtime.testing import eventually

pytestmark = pytest.mark.asyncio

# Invented: no real survivor data exists anywhere in this project.
PERSON = {
    "name": "Robin Invented-Sanctuary",
    "date_of_birth": "1985-11-02",
    "address": "12 Nowhere Lane, Testville",
    "phone": "07000 900789",
    "safe_contact": "text only",
}


async def test_a_bexley_case_referred_to_dartfords_scheme_on_another_deployment(federation):
    bexley, dartford = federation["bexley"], federation["southwark-dartford"]
    officer = bexley.token("bexley", "options_officer")
    spo = dartford.token("dartford", "sanctuary_officer", sub="dartford-spo-1")
    async with (
        httpx.AsyncClient(base_url=bexley.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=dartford.url("sanctuary"), timeout=10) as s,
    ):
        r = await a.post(
            "/cases",
            json={
                "person": PERSON,
                "channel": "reception",
                "tenure": "council_secure",
                "perpetrator_at_property": False,
            },
            headers=officer,
        )
        assert r.status_code == 201, r.text
        case = r.json()["ref"]
        options = {o["id"]: o for o in (await a.get(f"/cases/{case}/options", headers=officer)).json()}
        assert options["bexley-bobby-van"]["consent_recipient"] == "dartford"  # the scheme's organisation
        r = await a.post(f"/cases/{case}/options/offer", json={"option_ids": ["bexley-bobby-van"]}, headers=officer)
        assert r.status_code == 201, r.text
        r = await a.post(
            f"/cases/{case}/consents", json={"purpose": "contact_agency", "recipient": "dartford"}, headers=officer
        )
        assert r.status_code == 201, r.text
        consent = r.json()["ref"]
        r = await a.post(
            f"/cases/{case}/options/bexley-bobby-van/decision", json={"decision": "chosen"}, headers=officer
        )
        assert r.status_code == 200, r.text
        referral = r.json()["referral"]
        assert referral["to_org"] == "dartford"

        async def at_dartford():
            r = await s.get("/referrals", headers=spo)
            assert r.status_code == 200, r.text
            return [x for x in r.json() if x["ref"] == referral["ref"]]

        (received,) = await eventually(at_dartford)
        assert (
            received["referrer_org"] == "bexley"
            and received["case_ref"] == case
            and received["details_status"] == "pending"
        )

        # consent is checked at Bexley's deployment when the details are asked for: withdrawn, nothing leaves
        r = await a.post(f"/cases/{case}/consents/{consent}/withdraw", headers=officer)
        assert r.status_code == 200, r.text
        r = await s.post(f"/referrals/{referral['ref']}/details/fetch", headers=spo)
        assert r.status_code == 200, r.text
        assert r.json()["details_status"] == "pending" and "no_consent" in r.json()["reason"]

        r = await a.post(
            f"/cases/{case}/consents", json={"purpose": "contact_agency", "recipient": "dartford"}, headers=officer
        )
        assert r.status_code == 201, r.text
        r = await s.post(f"/referrals/{referral['ref']}/details/fetch", headers=spo)
        assert r.status_code == 200 and r.json()["details_status"] == "received", r.text
        r = await s.get(f"/referrals/{referral['ref']}", params={"purpose": "referral"}, headers=spo)
        assert r.status_code == 200, r.text
        assert r.json()["form"]["person"]["name"] == PERSON["name"]

        # Bexley's audit trail shows the release to Dartford's officer, and the refusal before it
        r = await a.get("/-/audit", params={"entity": "case", "ref": case}, headers=bexley.token("bexley", "auditor"))
        assert r.status_code == 200, r.text
        by_dartford = [e["action"] for e in r.json() if e["actor"].startswith("dartford:")]
        assert by_dartford == ["refuse", "share"]


@pytest.mark.rule("reciprocal.local-referral-pathways")
async def test_a_fenland_case_referred_to_the_cambridgeshire_reciprocal_coordinator_on_another_deployment(federation):
    fenland, cambs = federation["fenland"], federation["cambridgeshire"]
    coordinator_org = "cambridgeshire-da-services"
    officer = fenland.token("fenland", "options_officer", sub="fenland-officer-1")
    coordinator = cambs.token(coordinator_org, "reciprocal_coordinator", sub="cambs-coordinator-1")
    async with (
        httpx.AsyncClient(base_url=fenland.url("options"), timeout=10) as a,
        httpx.AsyncClient(base_url=cambs.url("reciprocal"), timeout=10) as rc,
    ):
        r = await a.post(
            "/cases", json={"person": PERSON, "channel": "reception", "tenure": "council_secure"}, headers=officer
        )
        assert r.status_code == 201, r.text
        case = r.json()["ref"]
        options = {o["id"]: o for o in (await a.get(f"/cases/{case}/options", headers=officer)).json()}
        assert options["reciprocal"]["eligible"] and options["reciprocal"]["consent_recipient"] == coordinator_org
        r = await a.post(f"/cases/{case}/options/offer", json={"option_ids": ["reciprocal"]}, headers=officer)
        assert r.status_code == 201, r.text
        r = await a.post(f"/cases/{case}/options/reciprocal/decision", json={"decision": "chosen"}, headers=officer)
        assert r.status_code == 409, r.text  # the client's permission to contact the coordinator comes first
        r = await a.post(
            f"/cases/{case}/consents", json={"purpose": "contact_agency", "recipient": coordinator_org}, headers=officer
        )
        assert r.status_code == 201, r.text
        chosen = {"decision": "chosen", "bedrooms": 2, "unsafe_areas": ["fenland"]}
        r = await a.post(f"/cases/{case}/options/reciprocal/decision", json=chosen, headers=officer)
        assert r.status_code == 200, r.text
        (referral,) = r.json()["referrals"]
        assert referral["to_org"] == coordinator_org

        async def at_coordinator():
            r = await rc.get("/incoming-referrals", headers=coordinator)
            assert r.status_code == 200, r.text
            return [x for x in r.json() if x["ref"] == referral["ref"]]

        (received,) = await eventually(at_coordinator)
        assert received["referring_partner"] == "fenland" and received["case_ref"] == case
        assert (received["bedrooms"], received["unsafe_areas"]) == (2, ["fenland"])

        # the coordinator refers only for partners that have signed the memorandum
        r = await rc.post(
            f"/schemes/{coordinator_org}/partners",
            headers=coordinator,
            json={
                "org": "fenland",
                "signed_on": "2026-10-01",
                "partner_signatory": "Director of Housing, Fenland",
                "coordinator_signatory": "Service Manager, Cambridgeshire Specialist DA Services",
            },
        )
        assert r.status_code in (201, 409), r.text
        take_up = {
            "remit_explained_on": "2026-10-20",
            "abuse_category": "domestic_violence",
            "preferred_areas": ["cambridge"],
        }
        # another partner's officer on the coordinator's deployment may not take it up
        r = await rc.post(
            f"/incoming-referrals/{referral['ref']}/take-up",
            json=take_up,
            headers=cambs.token("cambridge", "named_lead"),
        )
        assert r.status_code == 403
        r = await rc.post(f"/incoming-referrals/{referral['ref']}/take-up", json=take_up, headers=coordinator)
        assert r.status_code == 201, r.text
        created = r.json()["referral_ref"]
        r = await rc.get(f"/referrals/{created}/identity", params={"purpose": "casework"}, headers=coordinator)
        assert r.status_code == 200 and PERSON["name"] in r.text

        async def clock_stopped_at_fenland():
            rows = (await a.get(f"/cases/{case}/referrals", headers=officer)).json()
            return [x for x in rows if x["ref"] == referral["ref"] and x["completed_at"]]

        await eventually(clock_stopped_at_fenland)
