"""Named leads follow the directory (seed ``002_c1c7b199d9a53274.txt`` §3: partners are
responsible for "Identifying named leads ... and informing Cambridgeshire Specialist DA
Services of any changes in staffing"), across services over a real nats-server."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import DirectoryData, OfficerRecord
from haven_contracts.plugin.records import Organisation, PluginManifest
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.testing import eventually


class FenlandStaff:
    """A test plugin: two invented Fenland housing officers in the directory."""

    @hookimpl
    def haven_manifest(self):
        return PluginManifest(name="test-fenland-staff", organisations=(
            Organisation(id="fenland", name="Fenland District Council", kind="local_authority"),))

    @hookimpl
    def haven_directory_data(self, org):
        if org != "fenland":
            return None
        return DirectoryData(officers=(
            OfficerRecord(key="fenland-housing-a", org="fenland", name="Alex Example", positions=("reciprocal_named_lead",)),
            OfficerRecord(key="fenland-housing-b", org="fenland", name="Sam Example", positions=()),
        ))


async def test_a_directory_change_of_named_lead_reaches_the_reciprocal(start_service, recip_factory, haven_settings):
    plugins = build_plugin_manager(haven_settings)
    assert plugins.register(FenlandStaff(), name="test-fenland-staff") is not None, plugins.failures
    directory = await start_service("directory", plugins=plugins)
    recip = await recip_factory(plugins=plugins)
    r = await recip.client.post(f"/schemes/{recip.coord}/partners/fenland/named-leads",
                                json={"officer_id": "fenland-housing-a", "name": "Alex Example"}, headers=recip.coordinator())
    assert r.status_code == 201
    ref = (await recip.refer())["referral_ref"]
    await recip.client.post(f"/referrals/{ref}/signoff-request", headers=recip.coordinator())

    r = await directory.put("/orgs/fenland/positions/reciprocal_named_lead", json={"officer_key": "fenland-housing-b"},
                            headers=recip.token("fenland", "team_manager", sub="fen-tm"))
    assert r.status_code == 200, r.text

    async def leads():
        partners = (await recip.client.get(f"/schemes/{recip.coord}/partners", headers=recip.coordinator())).json()
        return [(l["officer_id"], l["name"]) for l in next(p for p in partners if p["org"] == "fenland")["named_leads"]
                if l["end"] is None]

    await eventually(lambda: _has(leads, ("fenland-housing-b", "Sam Example")))
    assert ("fenland-housing-a", "Alex Example") not in await leads()
    r = await recip.client.post(f"/referrals/{ref}/signoff", json={"decision": "approved"},
                                headers=recip.token("fenland", "named_lead", sub="fenland-housing-a"))
    assert r.status_code == 403
    r = await recip.client.post(f"/referrals/{ref}/signoff", json={"decision": "approved"},
                                headers=recip.token("fenland", "named_lead", sub="fenland-housing-b"))
    assert r.status_code == 200, r.text


async def _has(leads, item) -> bool:
    return item in await leads()
