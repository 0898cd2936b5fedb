"""A service process started with HAVEN_LOG_FORMAT=json writes one JSON object per line once
it is running (the image's default), naming the service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from haven_runtime.ops.natsserver import free_port
from haven_runtime.testing import TEST_TOKEN_KEYS

pytestmark = pytest.mark.slow


def test_running_service_logs_json(nats_server, tmp_path):
    port = free_port()
    env = os.environ | {
        "HAVEN_ENV": "test",
        "HAVEN_DATA_DIR": str(tmp_path),
        "HAVEN_NATS_URL": nats_server.url,
        "HAVEN_TOKEN_KEYS": TEST_TOKEN_KEYS,
        "HAVEN_LOG_FORMAT": "json",
        "HAVEN_LOG_LEVEL": "INFO",
        "HAVEN_SANCTUARY_PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "haven_runtime.serve", "sanctuary"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1) as r:
                    assert r.headers.get("x-correlation-id") is None or len(r.headers["x-correlation-id"]) == 32
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "service did not become ready"
                time.sleep(0.1)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    lines = out.splitlines()
    running = lines[next(i for i, line in enumerate(lines) if "Waiting for application startup" in line) + 1 :]
    assert running, out
    for line in running:
        record = json.loads(line)
        assert record["service"] == "sanctuary" and record["level"] and record["message"]
