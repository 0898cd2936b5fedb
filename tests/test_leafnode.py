"""A borough's own deployment joined to a sub-regional hub as a NATS leaf node, run with the
committed deploy/leafnode/*.conf on real nats-server processes (ports and storage rewritten
to this machine), carrying Haven's real events and requests.

Bexley's server also carries the users ``haven nats-config --deployment bexley=bexley``
generates, and Bexley connects as its deployment user ``deployment-bexley``: Bexley's advance
contact to Bromley (seed ``000_93a7cd5d2a8b6030.txt``: "borough A will make contact with
borough B in advance using a list of named officers") crosses into the hub's account and is
captured by the hub's stream; Bromley's acknowledgement comes back; requests are answered
across the link with the reply on Bexley's own inbox; and Bexley can neither speak or answer
for another organisation (refused at its own server, so nothing crosses) nor receive what is
not addressed to it (refused by the hub's accounts).
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import nats
import pytest

from haven_contracts.events.options import MoveAcknowledged, MoveNotified, ReferralDetailsReply, ReferralDetailsRequest
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope, Event, decode_event, encode, envelope_for
from haven_runtime.bus import check_subject, provision_stream
from haven_runtime.deployment import Deployment
from haven_runtime.natsconf import connection_name, deployment_user_name, generate, inbox_prefix
from haven_runtime.ops.natsserver import free_port, nats_server_binary, wait_for_nats
from haven_runtime.testing import REPLY_TIMEOUT, eventually, flushed

ROOT = Path(__file__).resolve().parents[1]
LEAF = ROOT / "deploy" / "leafnode"
HUB_PASSWORD = "hub-services-secret-0123456789"
OBSERVER = ("test-observer", "observer-secret-for-the-test-0123456789")
BEXLEY = Deployment(name="bexley", orgs=frozenset({"bexley"}), federated=True)


def _start(conf: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    out = open(log, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [str(nats_server_binary()), "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT, env=os.environ | env
    )


def _rewrite(text: str, client: int, store: Path, leaf: int | None = None) -> str:
    text = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{client}")
    text = text.replace("/data/jetstream", str(store))
    if leaf is not None:
        text = text.replace("listen: 0.0.0.0:7422", f"listen: 127.0.0.1:{leaf}")
    return text


def _borough_users(generated) -> str:
    """The generated deployment user, and an observer allowed everything (the test's own eyes
    on Bexley's server), as an ``authorization`` block (nats-server reads JSON values)."""
    users = [u for u in generated.config["authorization"]["users"] if u["user"] == deployment_user_name("bexley")]
    users.append({"user": OBSERVER[0], "password": OBSERVER[1]})
    return "\nauthorization: " + json.dumps({"users": users}) + "\n"


@pytest.fixture
def hub_and_borough(tmp_path: Path):
    hub_port, leaf_port, borough_port = free_port(), free_port(), free_port()
    password = "leaf-secret-for-the-test-0123456789"
    generated = generate(orgs=[], consumers={}, deployments={"bexley": ["bexley"]})
    hub_conf, borough_conf = tmp_path / "hub.conf", tmp_path / "bexley.conf"
    hub_conf.write_text(_rewrite((LEAF / "hub.conf").read_text(), hub_port, tmp_path / "hub-js", leaf_port))
    borough_conf.write_text(
        _rewrite((LEAF / "borough-bexley.conf").read_text(), borough_port, tmp_path / "bexley-js")
        + _borough_users(generated)
    )
    procs = [
        _start(
            hub_conf, {"HAVEN_LEAF_BEXLEY_PASSWORD": password, "HAVEN_HUB_PASSWORD": HUB_PASSWORD}, tmp_path / "hub.log"
        ),
        _start(
            borough_conf,
            {"HAVEN_HUB_LEAF_URL": f"nats-leaf://leaf-bexley:{password}@127.0.0.1:{leaf_port}"},
            tmp_path / "bexley.log",
        ),
    ]
    try:
        wait_for_nats("127.0.0.1", hub_port)
        wait_for_nats("127.0.0.1", borough_port)
        yield {
            "hub": f"nats://haven-hub:{HUB_PASSWORD}@127.0.0.1:{hub_port}",
            "bexley": generated.url(deployment_user_name("bexley"), "127.0.0.1", borough_port),
            "observer": f"nats://{OBSERVER[0]}:{OBSERVER[1]}@127.0.0.1:{borough_port}",
            "logs": tmp_path,
        }
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


def _published(event: Event) -> tuple[str, bytes, dict[str, str]]:
    """Subject, payload and headers exactly as the outbox relay publishes ``event``."""
    return event.subject, encode(event), envelope_for(event, subject=getattr(event, "case_ref", None)).to_headers()


def _read(subject: str, data: bytes, headers: dict[str, str] | None) -> Event:
    """The event as a consumer reads it: envelope from the headers, payload checked against the subject."""
    event = decode_event(Envelope.from_headers(dict(headers or {})).type, data)
    check_subject(event, subject)
    return event


def _violations(errors) -> list[str]:
    return [str(e) for e in errors if "permissions violation" in str(e).lower()]


async def test_borough_leaf_node_carries_havens_events_and_requests_for_its_deployment_user_only(hub_and_borough):
    urls = hub_and_borough
    await eventually(lambda: "Leafnode connection created" in (urls["logs"] / "bexley.log").read_text(errors="replace"))
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    hub = await nats.connect(urls["hub"])
    bexley = await nats.connect(
        urls["bexley"], inbox_prefix=inbox_prefix(connection_name("options", "bexley")), error_cb=on_error
    )
    observer = await nats.connect(urls["observer"])
    try:
        hub_js, bexley_js = hub.jetstream(), bexley.jetstream()
        await provision_stream(hub_js, "options")  # the hub's own services' stream (its own domain)
        await provision_stream(bexley_js, "options", deployment=BEXLEY)  # Bexley's own, as its deployment user

        # Bexley's advance contact to Bromley, over the hub: in Bexley's own stream and the hub's
        notified = MoveNotified(
            org="bexley",
            to_org="bromley",
            notification_ref=new_reference("JWA"),
            case_ref=new_reference("CASE"),
            addressed_to=["bromley-dv-lead", "bromley-team-manager"],
            notified_at=datetime.now(UTC),
        )
        subject, data, headers = _published(notified)

        async def crossed():
            # publish until the hub's interest has reached Bexley (the same Nats-Msg-Id: stored once)
            ack = await bexley_js.publish(subject, data, headers=headers)
            assert ack.stream == BEXLEY.stream("options")
            return (await hub_js.stream_info("HAVEN_OPTIONS")).state.messages

        await eventually(crossed)
        at_hub = await hub_js.get_last_msg("HAVEN_OPTIONS", subject)
        assert _read(at_hub.subject, at_hub.data, at_hub.headers) == notified
        assert (await bexley_js.stream_info(BEXLEY.stream("options"))).state.messages == 1

        # Bromley (on the hub) acknowledges; the message addressed to Bexley reaches Bexley's server
        seen: list = []

        async def collect(msg) -> None:
            seen.append(msg)

        await observer.subscribe("haven.options.evt.>", cb=collect)
        await flushed(observer)
        acknowledged = MoveAcknowledged(
            org="bromley",
            to_org="bexley",
            notification_ref=notified.notification_ref,
            acknowledged_at=datetime.now(UTC),
        )
        # the hub does not pass on Bromley -> Lewisham; the acknowledgement published after it
        # arrives, so once it is here the other would have been too
        elsewhere = MoveAcknowledged(
            org="bromley", to_org="lewisham", notification_ref=new_reference("JWA"), acknowledged_at=datetime.now(UTC)
        )

        outgoing = [_published(event) for event in (elsewhere, acknowledged)]

        async def came_back():
            for subject, data, headers in outgoing:  # the same ids each time: stored once
                await hub_js.publish(subject, data, headers=headers)
            return [m for m in seen if m.subject == acknowledged.subject]

        (back, *_) = await eventually(came_back)
        assert _read(back.subject, back.data, back.headers) == acknowledged
        assert {m.subject for m in seen} <= {notified.subject, acknowledged.subject}

        # Bexley asks for Bromley's referral details: answered on the hub, reply on Bexley's own inbox
        async def answer_for_bromley(msg) -> None:
            asked = msgspec.json.decode(msg.data, type=ReferralDetailsRequest)
            await msg.respond(encode(ReferralDetailsReply(ok=False, error="not_found", case_ref=asked.case_ref)))

        await hub.subscribe(
            "haven.options.req.referral-details.v1.bromley", queue="options-responders", cb=answer_for_bromley
        )
        await flushed(hub)
        asked = ReferralDetailsRequest(
            target_org="bromley",
            requested_by="bexley",
            case_ref=new_reference("CASE"),
            referral_ref=notified.notification_ref,
            requested_by_officer="bexley-officer-1",
            purpose="leaf node test",
        )

        async def answered():
            try:
                reply = await bexley.request(asked.subject, encode(asked), timeout=REPLY_TIMEOUT)
            except nats.errors.NoRespondersError:
                return None  # interest not yet across the link
            assert reply.subject.startswith(inbox_prefix(deployment_user_name("bexley")) + ".")
            return msgspec.json.decode(reply.data, type=ReferralDetailsReply)

        reply = await eventually(answered)
        assert reply.error == "not_found" and reply.case_ref == asked.case_ref

        # and the hub's question about Bexley's records is answered by Bexley's deployment user
        async def answer_for_bexley(msg) -> None:
            asked = msgspec.json.decode(msg.data, type=ReferralDetailsRequest)
            await msg.respond(encode(ReferralDetailsReply(ok=False, error="no_consent", case_ref=asked.case_ref)))

        await bexley.subscribe(
            "haven.options.req.referral-details.v1.bexley", queue="bexley_options-responders", cb=answer_for_bexley
        )
        await flushed(bexley)
        question = msgspec.structs.replace(asked, target_org="bexley", requested_by="bromley")

        async def asked_across():
            try:
                return msgspec.json.decode(
                    (await hub.request(question.subject, encode(question), timeout=REPLY_TIMEOUT)).data,
                    type=ReferralDetailsReply,
                )
            except nats.errors.NoRespondersError:
                return None

        assert (await eventually(asked_across)).error == "no_consent"
        assert _violations(errors) == []

        # Bexley's deployment user cannot speak for Bromley: refused at its own server, nothing crosses
        forged = MoveNotified(
            org="bromley",
            to_org="lewisham",
            notification_ref=new_reference("JWA"),
            case_ref=new_reference("CASE"),
            addressed_to=["lewisham-dv-lead"],
            notified_at=datetime.now(UTC),
        )
        subject, data, headers = _published(forged)
        await bexley.publish(subject, data, headers=headers)
        await flushed(bexley)
        await eventually(lambda: _violations(errors))
        # nor answer for Bromley, nor listen to what is not addressed to it
        for pattern in ("haven.options.req.referral-details.v1.bromley", "haven.options.evt.>", "_INBOX.>"):
            errors.clear()
            await bexley.subscribe(pattern)
            await flushed(bexley)
            await eventually(lambda: _violations(errors))
        stored = await hub_js.stream_info("HAVEN_OPTIONS")
        assert stored.state.messages == 3  # Bexley's notification and the hub's own two acknowledgements
    finally:
        for nc in (hub, bexley, observer):
            await nc.close()


def test_committed_leaf_configs_parse():
    env = os.environ | {
        "HAVEN_LEAF_BEXLEY_PASSWORD": "x" * 32,
        "HAVEN_HUB_PASSWORD": "y" * 32,
        "HAVEN_HUB_LEAF_URL": "nats-leaf://u:p@127.0.0.1:7422",
    }
    for conf in sorted(LEAF.glob("*.conf")):
        check = subprocess.run(
            [str(nats_server_binary()), "-t", "-c", str(conf)], capture_output=True, text=True, env=env, timeout=10
        )
        assert check.returncode == 0, check.stderr
    assert "domain: hub" in (LEAF / "hub.conf").read_text()
