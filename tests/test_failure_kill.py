"""Kill -9 of a consuming service mid-flow ("kill -9 of nats-server or a
consumer mid-flow: 0 events lost, 0 applied twice").

Seed ``000_93a7cd5d2a8b6030.txt``: "borough A will make contact with borough B in advance
using a list of named officers" — Bexley's officer posts many advance-contact
notifications to the options service, which is also Bromley's inbox consumer
(``options-jwa-inbox``). The options process is killed with SIGKILL while notifications
are being written and consumed, then restarted on the same database: every notification
that was committed reaches Bromley's inbox exactly once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from haven_runtime.identity import issue_token
from haven_runtime.ops.natsserver import free_port
from haven_runtime.testing import TEST_TOKEN_KEYS, make_settings

pytestmark = pytest.mark.slow

NOTIFICATIONS = 40
KILL_AFTER = 15


class Service:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name, self.env, self.log = name, env, log
        self.port = int(env[f"HAVEN_{name.upper()}_PORT"])
        self.proc: subprocess.Popen | None = None

    def spawn(self) -> "Service":
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "haven_runtime.serve", self.name],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def start(self) -> None:
        self.spawn().wait_ready()

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"{self.name} exited: {self.log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not ready: {self.log.read_text()[-3000:]}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _ok(response: httpx.Response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_kill_9_of_the_consumer_loses_nothing_and_applies_nothing_twice(nats_server, tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")} | {
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(data),
        "HAVEN_NATS_URL": nats_server.url,
        "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS,
        "HAVEN_OPTIONS_PORT": str(free_port()),
        "HAVEN_DIRECTORY_PORT": str(free_port()),
        "HAVEN_ACK_WAIT_SECONDS": "1",
        "HAVEN_REDELIVERY_BACKOFF": "0.2",
        "HAVEN_LOG_LEVEL": "WARNING",
    }
    settings = make_settings(tmp_path, nats_server.url)
    headers = {"Authorization": f"Bearer {issue_token('officer-1', 'bexley', ['options_officer'], settings=settings)}"}
    directory = Service("directory", env, tmp_path / "directory.log")
    options = Service("options", env, tmp_path / "options.log")
    db = data / "options.sqlite3"
    try:
        for service in (directory.spawn(), options.spawn()):
            service.wait_ready()
        confirmed: list[str] = []
        with httpx.Client(base_url=options.url, headers=headers, timeout=10) as client:
            # advance contact follows a duty accepted on a case held here (000_93a7cd5d2a8b6030.txt)
            case_refs = [
                _ok(
                    client.post(
                        "/cases",
                        json={"person": {"name": "Invented Client"}, "channel": "reception", "duty_accepted": True},
                    )
                )["ref"]
                for _ in range(NOTIFICATIONS)
            ]
            for i in range(NOTIFICATIONS):
                if i == KILL_AFTER:
                    options.kill9()  # mid-flow: earlier events are still being relayed and consumed
                    options.start()
                r = client.post("/jwa/notifications", json={"case_ref": case_refs[i], "to_org": "bromley"})
                assert r.status_code == 201, r.text
                confirmed.append(r.json()["ref"])

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _count(db, "SELECT count(*) FROM jwa_inbox_item") < NOTIFICATIONS:
            time.sleep(0.2)
        time.sleep(1.5)  # longer than the ack wait: any redelivery would have happened by now

        assert _count(db, "SELECT count(*) FROM jwa_notification") == NOTIFICATIONS
        assert _count(db, "SELECT count(*) FROM jwa_inbox_item") == NOTIFICATIONS, options.log.read_text()[-3000:]
        assert _count(db, "SELECT count(DISTINCT ref) FROM jwa_inbox_item") == NOTIFICATIONS
        assert _count(db, "SELECT count(*) FROM haven_inbox WHERE consumer = 'options-jwa-inbox'") == NOTIFICATIONS
        assert _count(db, "SELECT count(*) FROM haven_outbox WHERE sent_at IS NULL") == 0
        assert _count(db, "SELECT count(*) FROM haven_dead_letter") == 0
        with sqlite3.connect(db) as conn:
            inbox_refs = {row[0] for row in conn.execute("SELECT ref FROM jwa_inbox_item")}
        assert inbox_refs == set(confirmed)
    finally:
        options.stop()
        directory.stop()
