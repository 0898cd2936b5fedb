"""``haven up``: nats-server plus the four services as separate processes, supervised.

* One ``haven up`` per data directory: an exclusive ``flock`` on ``<data>/haven.lock``;
  a second one says which process holds it instead of corrupting data.
* Ports are checked before anything starts; a taken port is a clear error.
* Each service's output is forwarded with a ``[service]`` prefix.
* Ctrl-C / SIGTERM stops the services, then nats-server, leaving no process behind.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from haven_contracts.subjects import SERVICES
from haven_runtime.natsserver import NatsServer, port_in_use, start_nats_server
from haven_runtime.settings import Settings

READY_TIMEOUT = 60.0


class AlreadyRunning(RuntimeError):
    pass


class Interrupted(RuntimeError):
    """SIGINT or SIGTERM arrived during start-up; whatever started must be stopped."""


@dataclass
class Lock:
    path: Path
    fd: int

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


def acquire_lock(data_dir: Path) -> Lock:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "haven.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
        os.close(fd)
        raise AlreadyRunning(f"Haven is already running on {data_dir} (pid {holder}); stop it first or use another HAVEN_DATA_DIR") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return Lock(path, fd)


def _forward(prefix: str, stream) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"[{prefix}] {line.decode(errors='replace')}")
        sys.stdout.flush()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


class Suite:
    def __init__(self, settings: Settings, services: tuple[str, ...] = SERVICES) -> None:
        self.settings = settings
        self.services = services
        self.nats: NatsServer | None = None
        self.processes: dict[str, subprocess.Popen] = {}
        self.lock: Lock | None = None
        # Set by the signal handler. Start-up checks it between steps instead of raising from
        # the handler, which could interrupt Popen after the fork and orphan the child.
        self.interrupted = threading.Event()

    def _check_interrupted(self) -> None:
        if self.interrupted.is_set():
            raise Interrupted("stopped during start-up")

    def check_ports(self) -> None:
        taken = [f"{s} port {self.settings.port(s)}" for s in self.services if port_in_use(self.settings.port(s), self.settings.host)]
        if taken:
            raise RuntimeError(
                "port(s) already in use: " + ", ".join(taken) + " — stop what uses them or set HAVEN_<SERVICE>_PORT"
            )

    def start(self) -> str:
        self.lock = acquire_lock(self.settings.data_dir)
        self.check_ports()
        nats_url = self.settings.nats_url
        if not nats_url:
            self.nats = start_nats_server(
                self.settings.data_dir / "jetstream",
                binary=self.settings.nats_server_bin,
                log_file=self.settings.data_dir / "nats-server.log",
            )
            nats_url = self.nats.url
        env = os.environ | {"HAVEN_NATS_URL": nats_url, "HAVEN_DATA_DIR": str(self.settings.data_dir), "PYTHONUNBUFFERED": "1"}
        for service in self.services:
            self._check_interrupted()
            proc = subprocess.Popen(
                [sys.executable, "-m", "haven_runtime.serve", service],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes[service] = proc
            threading.Thread(target=_forward, args=(service, proc.stdout), daemon=True).start()
        return nats_url

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        pending = set(self.services)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            self._check_interrupted()
            for service in sorted(pending):
                proc = self.processes[service]
                if proc.poll() is not None:
                    raise RuntimeError(f"{service} exited with code {proc.returncode} during start-up (see its log above)")
                if _ready(f"http://{self.settings.host}:{self.settings.port(service)}/health/ready"):
                    pending.discard(service)
            time.sleep(0.1)
        if pending:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(sorted(pending))}")

    def url(self, service: str) -> str:
        return f"http://{self.settings.host}:{self.settings.port(service)}"

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.nats:
            self.nats.stop()
        if self.lock:
            self.lock.release()
            self.lock = None

    def watch(self) -> int:
        """Block until a signal or a service dies; returns the exit code."""
        stop = threading.Event()
        code = 0

        def _on_signal(signum, _frame):
            stop.set()

        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
        while not stop.wait(0.5):
            dead = [s for s, p in self.processes.items() if p.poll() is not None]
            if dead:
                print(f"haven: {', '.join(dead)} stopped unexpectedly; shutting down", file=sys.stderr)
                code = 1
                break
            if self.nats and self.nats.process.poll() is not None:
                print("haven: nats-server stopped unexpectedly; shutting down", file=sys.stderr)
                code = 1
                break
        return code
