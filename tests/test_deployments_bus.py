"""Several deployments of the same service on one nats-server ("Deployments on one
bus"): each has its own stream and names, receives only what is addressed to the
organisations it hosts, answers requests only for them, and stores nothing of the others.

Both deployments run in this process with their own settings and SQLite files; the
separate-process harness is in ``tests/federation``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import nats
import pytest

from haven_contracts.events.options import MoveNotified, ReferralDetailsRequest
from haven_contracts.messages import encode, envelope_for
from haven_runtime.bus import NotHostedOnBus, request
from haven_runtime.deployment import resolve_deployment
from haven_runtime.identity import issue_token
from haven_runtime.settings import SettingsError, load_settings
from haven_runtime.testing import REPLY_TIMEOUT, eventually, make_settings
from haven_runtime.testing.plugins import case_with_accepted_duty


def _deployment(tmp_path, nats_url: str, name: str, orgs: str):
    return make_settings(
        tmp_path / name, nats_url, HAVEN_DEPLOYMENT=name, HAVEN_HOSTED_ORGS=orgs, HAVEN_FEDERATION_RESCAN_SECONDS="0.5"
    )


def _auth(settings, org: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token('officer-1', org, roles, settings=settings)}"}


def test_deployment_settings_are_validated_at_start_up(tmp_path):
    with pytest.raises(SettingsError, match="HAVEN_DEPLOYMENT"):
        load_settings({"HAVEN_DATA_DIR": str(tmp_path), "HAVEN_DEPLOYMENT": "Bexley Borough"})
    with pytest.raises(SettingsError, match="HAVEN_HOSTED_ORGS"):
        load_settings({"HAVEN_DATA_DIR": str(tmp_path), "HAVEN_HOSTED_ORGS": "bexley,Not An Org"})
    settings = load_settings(
        {"HAVEN_DATA_DIR": str(tmp_path), "HAVEN_DEPLOYMENT": "se-london", "HAVEN_HOSTED_ORGS": "southwark, dartford"}
    )
    with pytest.raises(SettingsError, match="dartford.*no loaded plugin serves"):
        resolve_deployment(settings, ["southwark", "bexley"])
    hosted = resolve_deployment(settings, ["southwark", "dartford", "bexley"])
    assert hosted.federated and hosted.orgs == {"southwark", "dartford"} and not hosted.hosts("bexley")
    assert hosted.stream("options") == "HAVEN_OPTIONS_SE-LONDON"
    assert hosted.consumer("options", "jwa-inbox") == "se-london_options-jwa-inbox"
    assert hosted.queue("directory") == "se-london_directory-responders"
    everything = resolve_deployment(load_settings({"HAVEN_DATA_DIR": str(tmp_path)}), ["southwark", "bexley"])
    assert not everything.federated and everything.orgs == {"southwark", "bexley"}
    assert (everything.stream("options"), everything.consumer("options", "jwa-inbox")) == (
        "HAVEN_OPTIONS",
        "options-jwa-inbox",
    )


async def test_addressed_events_reach_only_the_hosting_deployment(start_service, nats_server, tmp_path):
    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    lewisham = _deployment(tmp_path, nats_server.url, "lewisham", "lewisham")
    await start_service("options", settings=bexley)
    receiver = await start_service("options", settings=lewisham)

    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        own = await js.stream_info("HAVEN_OPTIONS_BEXLEY")
        assert own.config.subjects == ["haven.options.evt.*.*.bexley", "haven.options.evt.*.*.bexley.*"]
        inbound = "HAVEN_IN_OPTIONS_LEWISHAM"
        assert (await js.consumer_info(inbound, "lewisham_options-jwa-inbox")).name == "lewisham_options-jwa-inbox"

        async def sources_bexley():
            return "HAVEN_OPTIONS_BEXLEY" in {s.name for s in (await js.stream_info(inbound)).config.sources or []}

        await eventually(sources_bexley)  # whichever deployment started first
        now = datetime.now(UTC)
        for to_org, ref in (("greenwich", "JWA-7K3QD9X2MA"), ("lewisham", "JWA-7K3QD9X2MB")):
            event = MoveNotified(
                org="bexley",
                to_org=to_org,
                notification_ref=ref,
                case_ref="CASE-7K3QD9X2MB",
                addressed_to=[f"{to_org}-dv-lead"],
                notified_at=now,
            )
            ack = await js.publish(event.subject, encode(event), headers=envelope_for(event, subject=ref).to_headers())
            assert ack.stream == "HAVEN_OPTIONS_BEXLEY"

        async def lewisham_inbox():
            r = await receiver.get("/jwa/inbox", headers=_auth(lewisham, "lewisham", "dv_lead"))
            return r.json() if r.status_code == 200 and r.json() else None

        inbox = await eventually(lewisham_inbox)
        assert [i["ref"] for i in inbox] == ["JWA-7K3QD9X2MB"]
        # the one addressed to Greenwich never entered Lewisham's inbound stream
        assert (await js.stream_info(inbound)).state.messages == 1
    finally:
        await nc.close()


@pytest.mark.no_responders
async def test_requests_reach_only_the_hosting_deployment_and_unhosted_fail_fast(start_service, nats_server, tmp_path):
    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    await start_service("options", settings=bexley)
    nc = await nats.connect(nats_server.url)
    try:
        from fast_depends.msgspec import MsgSpecSerializer
        from faststream.nats import NatsBroker

        broker = NatsBroker(nats_server.url, serializer=MsgSpecSerializer())
        async with broker:
            await broker.connect()
            asked = ReferralDetailsRequest(
                target_org="bexley",
                requested_by="lewisham",
                case_ref="CASE-7K3QD9X2MB",
                referral_ref="JWA-7K3QD9X2MB",
                requested_by_officer="officer-1",
                purpose="test",
            )
            reply = await request(broker, asked, timeout=REPLY_TIMEOUT)
            assert reply.ok is False and reply.error  # answered (refused: no such case), not timed out
            # NATS answers "no responders" at once: NotHostedOnBus, not the timeout
            with pytest.raises(NotHostedOnBus, match="greenwich"):
                await request(
                    broker, ReferralDetailsRequest(**{**_fields(asked), "target_org": "greenwich"}), timeout=5
                )
    finally:
        await nc.close()


def _fields(req) -> dict:
    import msgspec

    return msgspec.structs.asdict(req)


async def test_nothing_of_an_unhosted_organisation_is_stored(start_service, nats_server, tmp_path):
    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    options = await start_service("options", settings=bexley)
    directory = await start_service("directory", settings=bexley)
    with pytest.raises(Exception, match="not hosted by deployment bexley"):
        _auth(bexley, "lewisham", "options_officer")
    everywhere = make_settings(tmp_path / "other-keys", nats_server.url)
    r = await options.post(
        "/cases",
        json={"channel": "in_person", "person": {"name": "Canary Person"}},
        headers=_auth(everywhere, "lewisham", "options_officer"),
    )
    assert r.status_code == 401
    listing = (await options.get("/-/plugins")).json()
    assert listing["deployment"] == {"name": "bexley", "hosted_orgs": ["bexley"], "federated": True}
    assert "lewisham" in {o for p in listing["plugins"] for o in p["organisations"]}  # loaded, for public data only
    r = await directory.get("/organizations", params={"per_page": 200})
    names = " | ".join(o["name"] for o in r.json()["contents"])
    assert "Bexley" in names and "Lewisham" not in names and "Dartford" not in names, names


def test_an_inbound_stream_sources_each_subject_once():
    """JetStream refuses overlapping source filters: one another covers is dropped."""
    from haven_contracts.subjects import event_filter
    from haven_runtime.bus import ConsumerSpec
    from haven_runtime.federation import source_filters

    def spec(filter_subject: str, service: str = "options") -> ConsumerSpec:
        return ConsumerSpec(purpose="p", from_service=service, filter_subject=filter_subject, handler=None)  # type: ignore[arg-type]

    specs = [
        spec(event_filter("options", "move-notified", 1, addressed=True)),
        spec(event_filter("options", addressed=True)),
        spec(event_filter("directory", "role-holders-published", 1, addressed=False), "directory"),
    ]
    assert source_filters(specs, ["lewisham", "bexley"]) == {
        "options": ["haven.options.evt.*.*.*.bexley", "haven.options.evt.*.*.*.lewisham"],
        "directory": ["haven.directory.evt.role-holders-published.v1.*"],
    }


@pytest.fixture
def restarted_servers():
    """Servers a test restarts; stopped after the apps (set up first, so torn down last)."""
    servers: list = []
    yield servers
    for server in servers:
        server.stop()


async def test_kill_9_of_nats_server_between_deployments_loses_nothing_and_applies_nothing_twice(
    restarted_servers, start_service, nats_server, tmp_path
):
    import sqlite3

    from haven_runtime.ops.natsserver import start_nats_server

    bexley = _deployment(tmp_path, nats_server.url, "bexley", "bexley")
    lewisham = _deployment(tmp_path, nats_server.url, "lewisham", "lewisham")
    await start_service("directory", settings=lewisham)
    sender = await start_service("options", settings=bexley)
    receiver = await start_service("options", settings=lewisham)
    officer = _auth(bexley, "bexley", "options_officer")
    cases = [await case_with_accepted_duty(sender, officer) for _ in range(8)]

    async def notify(i: int):
        r = await sender.post("/jwa/notifications", json={"case_ref": cases[i], "to_org": "lewisham"}, headers=officer)
        return r.json()["ref"] if r.status_code == 201 else None

    sent = [await eventually(lambda: notify(0))]  # once Lewisham's role holders reached Bexley
    sent += [await notify(i) for i in range(1, 4)]
    nats_server.kill()
    sent += [await notify(i) for i in range(4, 8)]  # routed from the read model: no bus needed
    assert all(sent)
    restarted = start_nats_server(
        nats_server.store_dir, port=nats_server.port, log_file=tmp_path / "nats-after-kill.log"
    )
    restarted_servers.append(restarted)
    lead = _auth(lewisham, "lewisham", "dv_lead")

    async def all_arrived():
        r = await receiver.get("/jwa/inbox", headers=lead)
        return r.status_code == 200 and set(sent) <= {i["ref"] for i in r.json()}

    await eventually(all_arrived)
    with sqlite3.connect(lewisham.data_dir / "options.sqlite3") as conn:
        items = conn.execute("SELECT count(*), count(DISTINCT ref) FROM jwa_inbox_item").fetchone()
        applied = conn.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM haven_inbox WHERE consumer = 'lewisham_options-jwa-inbox'"
        ).fetchone()
        dead = conn.execute("SELECT count(*) FROM haven_dead_letter").fetchone()[0]
    assert items == (len(sent), len(sent)) and applied == (len(sent), len(sent)) and dead == 0
