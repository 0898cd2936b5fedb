"""Per-deployment NATS users from ``haven nats-config --deployment``, on a real nats-server
started with the generated configuration.

Two boroughs each run their own deployment, their
services connecting as their deployment's generated user: Bexley's advance contact reaches
Lewisham and Lewisham's acknowledgement comes back (seed ``000_93a7cd5d2a8b6030.txt``:
"borough A will make contact with borough B in advance using a list of named officers")
without one permission violation in the server log; and each deployment user is refused
speaking for, answering for, listening to or reading the streams of the other deployment.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import nats
import pytest

from haven_contracts.subjects import inbound_stream_name
from haven_runtime.natsconf import (
    deployment_user,
    deployment_user_name,
    discover_consumers,
    generate,
    inbox_prefix,
    write,
)
from haven_runtime.ops.natsserver import start_nats_server
from haven_runtime.testing import eventually, flushed
from haven_runtime.testing.plugins import case_with_accepted_duty

DEPLOYMENTS = {"bexley": ["bexley"], "lewisham": ["lewisham"]}


@pytest.fixture(autouse=True)
async def _sniffed():
    """These tests run their own nats-server, where every user is limited by the generated
    configuration (a sniffer subscribed to ``>`` would need a user allowed everything), so the
    shared harness and its sniffer are not started for them."""
    yield None


@pytest.fixture
def secured(tmp_path: Path):
    generated = generate(orgs=[], deployments=DEPLOYMENTS)
    conf = tmp_path / "nats.conf"
    write(generated, conf, tmp_path / "nats.credentials", host="127.0.0.1", port=4222, tls=False)
    log = tmp_path / "secured-nats.log"
    server = start_nats_server(tmp_path / "secured-js", config_file=conf, log_file=log)
    try:
        yield generated, server, log
    finally:
        server.stop()


async def _connect(generated, server, user: str):
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    nc = await nats.connect(generated.url(user, server.host, server.port), error_cb=on_error, allow_reconnect=False)
    return nc, errors


def _violations(errors) -> list[str]:
    return [str(e) for e in errors if "permissions violation" in str(e).lower()]


async def test_each_deployment_runs_the_jwa_flow_as_its_own_generated_user(secured, tmp_path, own_deployments):
    """Each deployment a separate set of OS processes (two deployments of one service cannot
    share a process: the storage layer's tables are bound to one database per process)."""
    generated, server, log = secured
    deployments = {
        name: own_deployments(
            name, tuple(orgs), tmp_path / name, generated.url(deployment_user_name(name), server.host, server.port)
        )
        for name, orgs in DEPLOYMENTS.items()
    }
    for deployment in deployments.values():
        deployment.start()
    for deployment in deployments.values():
        await asyncio.to_thread(deployment.wait_ready)
    a, b = deployments["bexley"], deployments["lewisham"]
    officer, lead = a.token("bexley", "options_officer"), b.token("lewisham", "dv_lead", sub="lewisham-dv-lead")
    async with (
        httpx.AsyncClient(base_url=a.url("options"), timeout=10) as bexley,
        httpx.AsyncClient(base_url=b.url("options"), timeout=10) as lewisham,
    ):
        await _notify_and_acknowledge(bexley, lewisham, officer, lead)
    text = log.read_text()
    assert "Violation" not in text, [line for line in text.splitlines() if "Violation" in line]


async def _notify_and_acknowledge(bexley, lewisham, officer, lead) -> None:
    case = await case_with_accepted_duty(bexley, officer)

    async def notified():
        # 422 until Lewisham's directory snapshot has reached Bexley's read model
        r = await bexley.post("/jwa/notifications", json={"case_ref": case, "to_org": "lewisham"}, headers=officer)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    sent = await eventually(notified)

    async def in_inbox():
        r = await lewisham.get("/jwa/inbox", headers=lead)
        return [i for i in r.json() if i["ref"] == sent["ref"]]

    await eventually(in_inbox)
    assert (await lewisham.post(f"/jwa/inbox/{sent['ref']}/acknowledge", headers=lead)).status_code == 200

    async def acknowledged():
        r = await bexley.get("/jwa/notifications", headers=officer)
        return [n for n in r.json() if n["ref"] == sent["ref"] and n["acknowledged"]]

    await eventually(acknowledged)


@pytest.mark.parametrize(
    "subject",
    [
        "haven.options.evt.move-notified.v1.lewisham.bexley",  # speaking for Lewisham
        "haven.directory.evt.role-holders-published.v1.lewisham",
        # reading its inbox
        f"$JS.API.CONSUMER.MSG.NEXT.{inbound_stream_name('options', 'lewisham')}.lewisham_options-jwa-inbox",
        f"$JS.API.STREAM.UPDATE.{inbound_stream_name('options', 'lewisham')}",
        "$JS.API.STREAM.UPDATE.HAVEN_OPTIONS_LEWISHAM",
        "$JS.API.STREAM.DELETE.HAVEN_OPTIONS_LEWISHAM",
        "$JS.API.STREAM.PURGE.HAVEN_OPTIONS_BEXLEY",
        "$JS.API.CONSUMER.CREATE.HAVEN_OPTIONS_LEWISHAM.x",  # a consumer on another deployment's stream
    ],
)
async def test_a_deployment_user_cannot_publish_for_another_deployment(secured, subject):
    generated, server, _ = secured
    nc, errors = await _connect(generated, server, deployment_user_name("bexley"))
    await nc.publish(subject, b"{}")
    await flushed(nc)
    await eventually(lambda: _violations(errors))
    await nc.close()


@pytest.mark.parametrize(
    "subject",
    [
        "haven.options.req.referral-details.v1.lewisham",  # answering for Lewisham
        "haven.options.req.>",
        f"{inbox_prefix(deployment_user_name('lewisham'))}.>",  # Lewisham's replies: possibly personal details
        "_INBOX.>",
        "haven.options.evt.>",  # raw events of every organisation
        "haven.options.evt.move-notified.v1.lewisham.greenwich",
        f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{inbound_stream_name('options', 'lewisham')}.>",
        ">",
    ],
)
async def test_a_deployment_user_cannot_subscribe_to_another_deployments_subjects(secured, subject):
    generated, server, _ = secured
    nc, errors = await _connect(generated, server, deployment_user_name("bexley"))
    await nc.subscribe(subject)
    await flushed(nc)
    await eventually(lambda: _violations(errors))
    await nc.close()


def test_a_deployment_user_names_only_its_own_streams_durables_and_organisations():
    user = deployment_user("southwark-dartford", ["southwark", "dartford"], discover_consumers())
    granted = " ".join(user.publish + user.subscribe)
    for other in ("bexley", "lewisham", "BEXLEY"):
        assert other not in granted
    assert "$JS.API.STREAM.NAMES" in user.publish
    assert "$JS.EVENT.ADVISORY.STREAM.CREATED.*" in user.subscribe
    assert f"{inbox_prefix('deployment-southwark-dartford')}.>" in user.subscribe
    inbound = inbound_stream_name("sanctuary", "southwark-dartford")
    assert f"$JS.API.CONSUMER.MSG.NEXT.{inbound}.southwark-dartford_sanctuary-referrals-from-options" in user.publish
    assert not any("DELETE" in p or "PURGE" in p or p.endswith("evt.>") for p in user.publish)
    assert not any(
        p.startswith("haven.") and ".evt." in p for p in user.subscribe
    )  # events arrive through its streams only


async def test_answering_a_request_for_its_own_organisation_is_allowed(secured):
    generated, server, _ = secured
    bexley, bexley_errors = await _connect(generated, server, deployment_user_name("bexley"))
    lewisham, lewisham_errors = await _connect(generated, server, deployment_user_name("lewisham"))

    async def answer(msg) -> None:
        await msg.respond(b'{"ok":true}')

    await lewisham.subscribe(
        "haven.options.req.referral-details.v1.lewisham", queue="lewisham_options-responders", cb=answer
    )
    await flushed(lewisham)
    inbox = f"{inbox_prefix(deployment_user_name('bexley'))}.options"
    sub = await bexley.subscribe(f"{inbox}.>")
    await bexley.publish("haven.options.req.referral-details.v1.lewisham", b"{}", reply=f"{inbox}.1")
    reply = await sub.next_msg(timeout=10)
    assert reply.data == b'{"ok":true}'
    assert _violations(bexley_errors) == [] and _violations(lewisham_errors) == []
    await bexley.close()
    await lewisham.close()
