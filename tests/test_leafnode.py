"""A borough's own deployment joined to a sub-regional hub as a NATS leaf node, run with the
committed deploy/leafnode/*.conf on real nats-server processes (ports and storage rewritten
to this machine): addressed events cross in both directions, requests are answered across
the link, and a borough can neither speak for another organisation nor see what is not
addressed to it."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from pathlib import Path

import nats
import pytest

from haven_runtime.bus import provision_stream
from haven_runtime.natsserver import free_port, nats_server_binary, wait_for_nats
from haven_runtime.testing import flushed

ROOT = Path(__file__).resolve().parents[1]
LEAF = ROOT / "deploy" / "leafnode"
HUB_PASSWORD = "hub-services-secret-0123456789"


def _start(conf: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    out = open(log, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen([str(nats_server_binary()), "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT, env=os.environ | env)


def _rewrite(text: str, client: int, store: Path, leaf: int | None = None) -> str:
    text = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{client}")
    text = text.replace("/data/jetstream", str(store))
    if leaf is not None:
        text = text.replace("listen: 0.0.0.0:7422", f"listen: 127.0.0.1:{leaf}")
    return text


@pytest.fixture
def hub_and_borough(tmp_path: Path):
    hub_port, leaf_port, borough_port = free_port(), free_port(), free_port()
    password = "leaf-secret-for-the-test-0123456789"
    hub_conf, borough_conf = tmp_path / "hub.conf", tmp_path / "bexley.conf"
    hub_conf.write_text(_rewrite((LEAF / "hub.conf").read_text(), hub_port, tmp_path / "hub-js", leaf_port))
    borough_conf.write_text(_rewrite((LEAF / "borough-bexley.conf").read_text(), borough_port, tmp_path / "bexley-js"))
    procs = [
        _start(hub_conf, {"HAVEN_LEAF_BEXLEY_PASSWORD": password, "HAVEN_HUB_PASSWORD": HUB_PASSWORD}, tmp_path / "hub.log"),
        _start(borough_conf, {"HAVEN_HUB_LEAF_URL": f"nats-leaf://leaf-bexley:{password}@127.0.0.1:{leaf_port}"}, tmp_path / "bexley.log"),
    ]
    try:
        wait_for_nats("127.0.0.1", hub_port)
        wait_for_nats("127.0.0.1", borough_port)
        yield f"nats://haven-hub:{HUB_PASSWORD}@127.0.0.1:{hub_port}", f"nats://127.0.0.1:{borough_port}", tmp_path
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


async def _wait_for_leaf(log: Path, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while "Leafnode connection created" not in log.read_text(errors="replace"):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"leaf node did not connect:\n{log.read_text()[-2000:]}")
        await asyncio.sleep(0.05)


async def _count(js, stream: str) -> int:
    return (await js.stream_info(stream)).state.messages


async def test_borough_leaf_node_exchanges_only_its_own_traffic(hub_and_borough):
    hub_url, borough_url, tmp = hub_and_borough
    await _wait_for_leaf(tmp / "bexley.log")
    hub, borough = await nats.connect(hub_url), await nats.connect(borough_url)
    try:
        hub_js, borough_js = hub.jetstream(), borough.jetstream()
        await provision_stream(hub_js, "options")  # each side's own services provision their streams
        await provision_stream(borough_js, "options")
        await asyncio.sleep(0.3)  # subscription interest propagates over the leaf connection

        # Bexley -> Bromley over the hub, captured by the hub's stream
        ack = await borough_js.publish("haven.options.evt.move-notified.v1.bexley.bromley", b"{}", headers={"Nats-Msg-Id": "E1"})
        assert ack.stream == "HAVEN_OPTIONS"
        await _eventually(lambda: _count(hub_js, "HAVEN_OPTIONS"), 1)

        # Bromley (on the hub) -> Bexley, captured by Bexley's own stream
        await hub_js.publish("haven.options.evt.move-notified.v1.bromley.bexley", b"{}", headers={"Nats-Msg-Id": "E2"})
        await _eventually(lambda: _count(borough_js, "HAVEN_OPTIONS"), 2)

        # a request from Bexley answered by a hub service, reply on Bexley's inbox
        async def answer(msg):
            await msg.respond(b'{"ok":true}')

        await hub.subscribe("haven.directory.req.role-holders.v1.*", cb=answer)
        await flushed(hub)
        await asyncio.sleep(0.3)
        reply = await borough.request("haven.directory.req.role-holders.v1.bromley", b"{}", timeout=3)
        assert reply.data == b'{"ok":true}'

        # and a question from the hub about Bexley's records, answered by Bexley's own service
        async def answer_locally(msg):
            await msg.respond(b'{"ok":true,"from":"bexley"}')

        await borough.subscribe("haven.options.req.referral-details.v1.*", cb=answer_locally)
        await flushed(borough)
        await asyncio.sleep(0.3)
        reply = await hub.request("haven.options.req.referral-details.v1.bexley", b"{}", timeout=3)
        assert reply.data == b'{"ok":true,"from":"bexley"}'

        # Bexley cannot speak for Bromley; the hub does not pass on Bromley -> Lewisham
        await borough_js.publish("haven.options.evt.move-notified.v1.bromley.lewisham", b"{}", headers={"Nats-Msg-Id": "E3"})
        await hub_js.publish("haven.options.evt.move-notified.v1.bromley.lewisham", b"{}", headers={"Nats-Msg-Id": "E4"})
        await asyncio.sleep(0.5)
        assert await _count(hub_js, "HAVEN_OPTIONS") == 3  # E1, E2 and its own E4 — not Bexley's E3
        assert await _count(borough_js, "HAVEN_OPTIONS") == 3  # E1, E2 and its own E3 — not E4
    finally:
        await hub.close()
        await borough.close()


async def _eventually(fn, expected: int, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (value := await fn()) < expected:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected {expected}, got {value}")
        await asyncio.sleep(0.05)


def test_committed_leaf_configs_parse():
    env = os.environ | {"HAVEN_LEAF_BEXLEY_PASSWORD": "x" * 32, "HAVEN_HUB_PASSWORD": "y" * 32, "HAVEN_HUB_LEAF_URL": "nats-leaf://u:p@127.0.0.1:7422"}
    for conf in sorted(LEAF.glob("*.conf")):
        check = subprocess.run([str(nats_server_binary()), "-t", "-c", str(conf)], capture_output=True, text=True, env=env, timeout=10)
        assert check.returncode == 0, check.stderr
    assert re.search(r"domain: hub", (LEAF / "hub.conf").read_text())
