"""``haven up`` cold start to all services ready, and resident memory per service.

    uv run python bench/coldstart.py

Runs ``haven up`` on a fresh data directory with free ports (embedded nats-server, SQLite,
every shipped plugin), times until it has printed every ``<service> ready at`` line, then
reads each service process's resident set size from /proc after a few requests.
A diagnostic: the targets are measured by ``bench/run.py`` against four
bare Litestar apps started the same way, and <= 100 MB resident per service.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import free_port, machine


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"haven_runtime.serve" in cmd:
            found[cmd[cmd.index(b"haven_runtime.serve") + 1].decode()] = int(entry.name)
    return found


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ports = {s: free_port() for s in ("options", "sanctuary", "reciprocal", "directory")}
        env = (
            os.environ
            | {"HAVEN_DATA_DIR": tmp, "HAVEN_LOG_LEVEL": "WARNING"}
            | {f"HAVEN_{s.upper()}_PORT": str(p) for s, p in ports.items()}
        )
        env.pop("HAVEN_NATS_URL", None)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "haven_runtime.ops.cli", "up"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready: dict[str, float] = {}
        try:
            while len(ready) < len(ports):
                line = proc.stdout.readline()  # type: ignore[union-attr]
                if not line:
                    raise SystemExit(f"haven up exited early (code {proc.poll()})")
                for service in ports:
                    if line.startswith(f"{service} ready at"):
                        ready[service] = time.perf_counter() - t0
            total = max(ready.values())
            for service, port in ports.items():
                for path in ("/health/ready", "/-/plugins", "/schema/openapi.json"):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read()
            memory = {service: rss_mb(pid) for service, pid in children(proc.pid).items()}
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"machine: {machine()}")
    print(f"haven up cold start to all ready: {total:.1f} s")
    for service in sorted(memory):
        verdict = "meets" if memory[service] <= 100 else "misses"
        print(f"  {service:<11} resident {memory[service]:6.1f} MB ({verdict} N7's 100 MB)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
