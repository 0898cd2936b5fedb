"""``haven up``: nats-server plus the four services as separate
processes, one line per service — ``<service> ready at http://127.0.0.1:<port>`` — plus
the NATS URL and the start page; one suite per data directory; a taken port is a clear
error; SIGTERM leaves no process behind."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from haven_runtime.ops.natsserver import free_port
from haven_runtime.testing import REPLY_TIMEOUT, flushed

SERVICES = ("options", "sanctuary", "reciprocal", "directory")
pytestmark = pytest.mark.slow


def _env(data_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env.update({"HAVEN_DATA_DIR": str(data_dir), "HAVEN_ENV": "development", "PYTHONUNBUFFERED": "1"})
    env.update({f"HAVEN_{s.upper()}_PORT": str(p) for s, p in ports.items()})
    return env


def _haven_up(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "haven_runtime.ops.cli", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


class Lines:
    """Collects a process's output on a thread so the test can wait for lines."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if m := re.fullmatch(pattern, line):
                    return m
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} within {timeout}s:\n" + "\n".join(self.lines[-40:]))


def _child_pids(pid: int) -> set[int]:
    found: set[int] = set()
    stack = [pid]
    while stack:
        p = stack.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for c in map(int, children):
                if c not in found:
                    found.add(c)
                    stack.append(c)
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of every descendant: the start time tells a reused pid apart."""
    found: set[tuple[int, str]] = set()
    for child in _child_pids(pid):
        stat = _stat(child)
        if stat:
            found.add((child, stat[19]))
    return found


def _alive(process: tuple[int, str]) -> bool:
    pid, started = process
    stat = _stat(pid)
    return stat is not None and stat[19] == started and stat[0] != "Z"


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {}


def test_haven_up_starts_everything_refuses_a_second_suite_and_stops_cleanly(tmp_path):
    ports = {s: free_port() for s in SERVICES}
    env = _env(tmp_path / "data", ports)
    proc = _haven_up(env)
    out = Lines(proc)
    try:
        for service in SERVICES:
            m = out.wait_for(rf"{service} ready at (http://127\.0\.0\.1:(\d+))", timeout=60)
            assert int(m.group(2)) == ports[service]
        nats_line = out.wait_for(r"nats at (nats://127\.0\.0\.1:\d+)", timeout=REPLY_TIMEOUT)
        out.wait_for(rf"start page: http://127\.0\.0\.1:{ports['options']}/", timeout=REPLY_TIMEOUT)
        for service in SERVICES:
            status, body = _get(f"http://127.0.0.1:{ports[service]}/health/ready")
            assert status == 200 and body["service"] == service and body["bus"] and body["database"]
        children = _descendants(proc.pid)
        assert len(children) >= 5  # nats-server and four services

        second = subprocess.run(
            [sys.executable, "-m", "haven_runtime.ops.cli", "up"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode != 0
        assert "already running" in (second.stdout + second.stderr)
        assert str(proc.pid) in (second.stdout + second.stderr)
        for service in SERVICES:  # the first suite is unharmed
            assert _get(f"http://127.0.0.1:{ports[service]}/health/ready")[0] == 200
        assert proc.poll() is None
        assert nats_line.group(1).startswith("nats://")
    finally:
        children = _descendants(proc.pid) if proc.poll() is None else set()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0, "\n".join(out.lines[-30:])
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "processes left behind"
    assert any(line == "haven stopped" for line in out.lines)
    # plain, service-prefixed logs: no colour codes, every service line names its service
    assert not [line for line in out.lines if "\x1b[" in line]
    service_lines = [line for line in out.lines if line.startswith("[")]
    assert service_lines and all(
        re.match(r"\[(options|sanctuary|reciprocal|directory)\] ", line) for line in service_lines
    )
    assert not [line for line in out.lines if " ERROR " in line or "Traceback" in line], "\n".join(out.lines)


def test_a_taken_port_is_a_clear_error(tmp_path):
    ports = {s: free_port() for s in SERVICES}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", ports["sanctuary"]))
        busy.listen()
        result = subprocess.run(
            [sys.executable, "-m", "haven_runtime.ops.cli", "up"],
            env=_env(tmp_path / "data", ports),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert f"sanctuary port {ports['sanctuary']}" in message and "already in use" in message
    assert "HAVEN_<SERVICE>_PORT" in message


def test_a_bad_setting_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "haven_runtime.ops.cli", "up"],
        env=_env(tmp_path / "data", {}) | {"HAVEN_OPTIONS_PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "HAVEN_OPTIONS_PORT" in result.stdout + result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_start_up_leaves_nothing_behind(tmp_path, signum):
    ports = {s: free_port() for s in SERVICES}
    proc = _haven_up(_env(tmp_path / "data", ports))
    out = Lines(proc)
    deadline = time.monotonic() + 20
    children: set[tuple[int, str]] = set()
    while time.monotonic() < deadline and len(children) < 5:
        children |= _descendants(proc.pid)
        time.sleep(0.02)
    assert len(children) >= 5, "\n".join(out.lines)
    proc.send_signal(signum)
    assert proc.wait(timeout=30) != 0 or any("ready at" in line for line in out.lines)
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "processes left behind"


def _haven(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "haven_runtime.ops.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def _status(env: dict[str, str]) -> dict[str, dict]:
    result = _haven(env, "status", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return {row["process"]: row for row in json.loads(result.stdout)["processes"]}


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


def test_a_crashed_process_is_restarted_while_the_others_keep_serving(tmp_path):
    """SIGKILL one service, then nats-server; `haven up` restarts each
    with a log line, the rest keep serving, and `haven status` / `haven events tail` find the
    suite through its data directory."""
    ports = {s: free_port() for s in SERVICES}
    env = _env(tmp_path / "data", ports)
    proc = _haven_up(env)
    out = Lines(proc)
    try:
        for service in SERVICES:
            out.wait_for(rf"{service} ready at http://127\.0\.0\.1:\d+", timeout=60)
        nats_url = out.wait_for(r"nats at (nats://127\.0\.0\.1:\d+)", timeout=REPLY_TIMEOUT).group(1)
        status = _status(env)
        assert sorted(status) == sorted([*SERVICES, "nats-server"])
        assert all(row["ready"] and row["restarts"] == 0 for row in status.values()), status
        assert status["nats-server"]["url"] == nats_url and status["options"]["port"] == ports["options"]
        text = _haven(env, "status").stdout
        assert re.search(rf"options\s+{status['options']['pid']}\s+{ports['options']}\s+yes\s+0", text), text

        # `haven events tail` with no URL finds the suite's randomly-ported server
        tail = subprocess.Popen(
            [sys.executable, "-m", "haven_runtime.ops.cli", "events", "tail", "--count", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert nats_url in tail.stderr.readline()
        asyncio.run(_publish(nats_url, "haven.options.evt.probe.v1.bexley"))
        tail_out, _ = tail.communicate(timeout=20)
        assert tail.returncode == 0 and "bexley" in tail_out

        others = {s: status[s]["pid"] for s in SERVICES if s != "options"}
        os.kill(status["options"]["pid"], signal.SIGKILL)
        out.wait_for(r"haven: options stopped unexpectedly \(exit code -9\); restarting in 1s.*", timeout=10)
        out.wait_for(r"haven: options restarted \(pid \d+\)", timeout=15)
        restarted = _wait(lambda: (s := _status(env))["options"]["ready"] and s, 60, "options ready again")
        assert restarted["options"]["restarts"] == 1 and restarted["options"]["pid"] != status["options"]["pid"]
        assert {s: restarted[s]["pid"] for s in others} == others  # the others were never stopped
        assert all(restarted[s]["ready"] for s in others)

        os.kill(status["nats-server"]["pid"], signal.SIGKILL)
        out.wait_for(r"haven: nats-server stopped unexpectedly \(exit code -9\); restarting in 1s.*", timeout=10)
        out.wait_for(rf"haven: nats-server restarted at {re.escape(nats_url)}", timeout=15)

        def all_ready():
            current = _status(env)
            return current if all(row["ready"] for row in current.values()) else None

        after = _wait(all_ready, 60, "every process ready after nats-server restarted")
        assert after["nats-server"]["restarts"] == 1 and {s: after[s]["pid"] for s in others} == others
        for service in SERVICES:
            status_code, body = _get(f"http://127.0.0.1:{ports[service]}/health/ready")
            assert status_code == 200 and body["bus"]
        assert proc.poll() is None
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0, "\n".join(out.lines[-30:])
    assert not (tmp_path / "data" / "haven.state.json").exists()
    stopped = _haven(env, "status")
    assert stopped.returncode != 0 and "not running" in stopped.stderr


async def _publish(url: str, subject: str) -> None:
    import nats

    nc = await nats.connect(url)
    await nc.publish(subject, b'{"org": "bexley"}')
    await flushed(nc)
    await nc.close()
