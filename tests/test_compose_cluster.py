"""The deployment's three-node NATS cluster, run for real from deploy/nats/*.conf (host names
rewritten to loopback ports): the migration job creates replicated streams, a service
starting afterwards keeps their replication, and an event published through one node is
consumed through another."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

import nats
import pytest
from click.testing import CliRunner

from haven_runtime.bus import provision_stream
from haven_runtime.ops.cli import main
from haven_runtime.ops.natsserver import free_port, nats_server_binary, wait_for_nats
from haven_runtime.settings import reset_settings

pytestmark = [pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cluster(tmp_path: Path):
    ports = [free_port() for _ in range(3)]
    routes = [free_port() for _ in range(3)]
    servers = []
    try:
        for i in range(3):
            text = (ROOT / "deploy" / "nats" / f"nats-{i + 1}.conf").read_text()
            text = re.sub(r"(?m)^http: .*$", "", text)
            text = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{ports[i]}")
            text = text.replace("listen: 0.0.0.0:6222", f"listen: 127.0.0.1:{routes[i]}")
            text = text.replace("/data/jetstream", str(tmp_path / f"js{i}"))
            for j in range(3):
                text = text.replace(f"nats-{j + 1}:6222", f"127.0.0.1:{routes[j]}")
            conf = tmp_path / f"nats-{i + 1}.conf"
            conf.write_text(text)
            log = open(tmp_path / f"nats-{i + 1}.log", "wb")  # noqa: SIM115 - closed with the process
            servers.append(
                subprocess.Popen([str(nats_server_binary()), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
            )
        for port in ports:
            wait_for_nats("127.0.0.1", port)
        yield [f"nats://127.0.0.1:{p}" for p in ports]
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _wait_for_meta_leader(url: str, timeout: float = 20.0) -> None:
    nc = await nats.connect(url)
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                await nc.jetstream().account_info()
                return
            except Exception:  # noqa: BLE001 - no JetStream meta leader yet
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def test_migration_job_creates_replicated_streams_that_services_keep(cluster, tmp_path, monkeypatch):
    await _wait_for_meta_leader(cluster[0])
    for name, value in {
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(tmp_path / "data"),
        "HAVEN_NATS_URL": cluster[0],
        "HAVEN_STREAM_REPLICAS": "3",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HAVEN_DATABASE_URL", raising=False)
    reset_settings()
    try:
        # compose's job, in a thread: the command runs its own event loop
        result = await asyncio.to_thread(
            CliRunner().invoke, main, ["migrate", "--service", "sanctuary", "--service", "options"]
        )
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    assert "options: stream ready (3 replica(s))" in result.output
    assert (tmp_path / "data" / "sanctuary.sqlite3").exists()

    nc = await nats.connect(cluster[1])
    try:
        js = nc.jetstream()
        info = await js.stream_info("HAVEN_OPTIONS")
        assert info.config.num_replicas == 3
        await provision_stream(js, "options")  # what each service does at start-up
        info = await js.stream_info("HAVEN_OPTIONS")
        assert info.config.num_replicas == 3
        assert len(info.cluster.replicas or []) == 2

        ack = await js.publish("haven.options.evt.probe.v1.bexley", b"{}", headers={"Nats-Msg-Id": "E1"})
        assert ack.stream == "HAVEN_OPTIONS"
    finally:
        await nc.close()

    other = await nats.connect(cluster[2])
    try:
        sub = await other.jetstream().pull_subscribe("haven.options.evt.>", durable="probe", stream="HAVEN_OPTIONS")
        msgs = await sub.fetch(1, timeout=5)
        assert msgs[0].headers["Nats-Msg-Id"] == "E1"
    finally:
        await other.close()
