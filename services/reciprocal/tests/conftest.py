"""Shared set-up for reciprocal tests: a running service, signed partners and named leads.

Every person here is invented (seeds README: "No real survivor data exists anywhere").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from haven_runtime.app import context_of

COORD = "cambridgeshire-da-services"
HOUSEHOLD = {
    "lead_name": "Jo Invented-Example",
    "contact": "07700 900123",
    "current_address": "1 Example Road, Fenland",
}
PERSONAL = ["Jo Invented-Example", "07700 900123", "Example Road", "Invented"]


@dataclass
class Reciprocal:
    client: object
    token: object
    leads: dict[str, str] = field(default_factory=dict)
    coord: str = COORD
    household: dict = field(default_factory=lambda: dict(HOUSEHOLD))
    personal: list = field(default_factory=lambda: list(PERSONAL))

    @property
    def ctx(self):
        return context_of(self.client.app)

    def coordinator(self):
        return self.token(COORD, "reciprocal_coordinator", sub="coord-1")

    def lead(self, org: str):
        return self.token(org, "named_lead", sub=self.leads[org])

    async def sign(self, org: str, kind: str | None = None, area: str | None = None):
        body = {
            "org": org,
            "signed_on": "2026-10-01",
            "partner_signatory": f"Director of Housing, {org}",
            "coordinator_signatory": "Service Manager, Cambridgeshire Specialist DA Services",
        }
        if kind:
            body["kind"] = kind
        if area:
            body["area"] = area
        r = await self.client.post(f"/schemes/{COORD}/partners", json=body, headers=self.coordinator())
        assert r.status_code == 201, r.text
        lead = f"{org}-lead-1"
        r = await self.client.post(
            f"/schemes/{COORD}/partners/{org}/named-leads",
            json={"officer_id": lead, "name": f"Named Lead {org}"},
            headers=self.coordinator(),
        )
        assert r.status_code == 201, r.text
        self.leads[org] = lead

    async def refer(self, expect: int = 201, **overrides):
        body = {
            "referring_partner": "fenland",
            "remit_explained_on": "2026-10-20",
            "abuse_category": "domestic_violence",
            "tenancy": "social",
            "current_area": "fenland",
            "bedrooms": 2,
            "household": HOUSEHOLD,
            "unsafe_areas": ["fenland", "peterborough"],
            "preferred_areas": ["cambridge"],
        } | overrides
        r = await self.client.post("/referrals", json=body, headers=self.coordinator())
        assert r.status_code == expect, r.text
        return r.json()

    async def accepted(self, **overrides) -> str:
        """A referral signed off by the referring lead and accepted: returns its ARC."""
        ref = (await self.refer(**overrides))["referral_ref"]
        partner = overrides.get("referring_partner", "fenland")
        assert (
            await self.client.post(f"/referrals/{ref}/signoff-request", headers=self.coordinator())
        ).status_code == 201
        body = {"decision": "approved", "agrees_to_owe": overrides.get("tenancy", "social") != "social"}
        r = await self.client.post(f"/referrals/{ref}/signoff", json=body, headers=self.lead(partner))
        assert r.status_code == 200, r.text
        r = await self.client.post(f"/referrals/{ref}/accept", headers=self.coordinator())
        assert r.status_code == 200, r.text
        return r.json()["arc"]

    async def offer(self, org: str, area: str | None = None, bedrooms: int = 2, **extra) -> str:
        body = {"area": area or org, "bedrooms": bedrooms, "available_from": "2026-11-01"} | extra
        r = await self.client.post("/properties", json=body, headers=self.lead(org))
        assert r.status_code == 201, r.text
        return r.json()["property_ref"]

    async def run_matching(self) -> dict:
        r = await self.client.post("/matching/run", headers=self.coordinator())
        assert r.status_code == 200, r.text
        return r.json()

    async def offered(self, arc: str) -> str:
        """Run the matcher, confirm ``arc``'s proposal, receiving lead signs off: returns the receiving org."""
        run = await self.run_matching()
        proposal = next(p for p in run["proposals"] if p["arc"] == arc)
        r = await self.client.post(
            f"/matching/proposals/{proposal['proposal_ref']}/confirm", headers=self.coordinator()
        )
        assert r.status_code == 200, r.text
        receiving = (await self.status(arc))["receiving_partner"]
        r = await self.client.post(
            f"/referrals/{arc}/signoff", json={"decision": "approved"}, headers=self.lead(receiving)
        )
        assert r.status_code == 200, r.text
        return receiving

    async def status(self, arc: str, headers=None) -> dict:
        r = await self.client.get(f"/referrals/{arc}", headers=headers or self.coordinator())
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def recip_factory(start_service, token):
    """``await recip_factory(plugins=…)``: the service with Fenland, Cambridge and Huntingdonshire signed."""

    async def make(plugins=None) -> Reciprocal:
        client = await start_service("reciprocal", plugins=plugins)
        r = Reciprocal(client=client, token=token)
        for org in ("fenland", "cambridge", "huntingdonshire"):
            await r.sign(org)
        return r

    return make


@pytest.fixture
async def recip(recip_factory) -> Reciprocal:
    return await recip_factory()
