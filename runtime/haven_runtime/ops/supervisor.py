"""``haven up``: nats-server plus the four services as separate processes, supervised.

* One ``haven up`` per data directory: an exclusive ``flock`` on ``<data>/haven.lock``;
  a second one says which process holds it instead of corrupting data.
* Ports are checked before anything starts; a taken port is a clear error.
* Each service's output is forwarded with a ``[service]`` prefix.
* A process that dies is restarted with back-off (1 s, 2 s, 4 s … at most 30 s) and a log
  line, while the others keep serving; only after :data:`MAX_CRASHES` crashes of one
  process within :data:`CRASH_WINDOW` seconds does the suite give up and stop. A service
  that exits cleanly (an operator's ``kill <pid>``) is started again at once and not
  counted as a crash: that is how one service is restarted alone.
* ``<data>/haven.state.json`` records the NATS URL and each process's pid, port and
  restarts while the suite runs, for ``haven status`` and ``haven events tail``.
* Ctrl-C / SIGTERM stops the services, then nats-server, leaving no process behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from haven_contracts.subjects import SERVICES
from haven_runtime.ops.natsserver import NatsServer, port_in_use, start_nats_server
from haven_runtime.settings import Settings

READY_TIMEOUT = 60.0
MAX_CRASHES = 5
CRASH_WINDOW = 120.0
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
STATE_FILE = "haven.state.json"
NATS = "nats-server"


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
        raise AlreadyRunning(
            f"Haven is already running on {data_dir} (pid {holder}); stop it first or use another HAVEN_DATA_DIR"
        ) from None
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


@dataclass
class Supervised:
    """Restart bookkeeping of one process (a service or nats-server)."""

    restarts: int = 0
    crashes: list[float] = field(default_factory=list)
    restart_at: float | None = None  # monotonic time of a scheduled restart
    started: float = field(default_factory=time.time)

    def crash(self, now: float) -> int:
        """Record a crash; returns how many fell within the window."""
        self.crashes = [t for t in self.crashes if now - t < CRASH_WINDOW] + [now]
        return len(self.crashes)

    def backoff(self) -> float:
        return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (len(self.crashes) - 1))


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def read_state(data_dir: Path) -> dict | None:
    """The running suite's state, or None when no ``haven up`` holds ``data_dir``'s lock."""
    path = state_path(data_dir)
    lock = data_dir / "haven.lock"
    if not path.exists() or not lock.exists():
        return None
    fd = os.open(lock, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: a suite is running
        else:
            return None  # nobody holds it: a stale file from a suite that was killed
    finally:
        os.close(fd)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


class Suite:
    def __init__(self, settings: Settings, services: tuple[str, ...] = SERVICES) -> None:
        self.settings = settings
        self.services = services
        self.nats: NatsServer | None = None
        self.nats_url: str | None = None
        self.processes: dict[str, subprocess.Popen] = {}
        self.supervised: dict[str, Supervised] = {}
        self.lock: Lock | None = None
        # Set by the signal handler. Start-up checks it between steps instead of raising from
        # the handler, which could interrupt Popen after the fork and orphan the child.
        self.interrupted = threading.Event()

    def _check_interrupted(self) -> None:
        if self.interrupted.is_set():
            raise Interrupted("stopped during start-up")

    def check_ports(self) -> None:
        taken = [
            f"{s} port {self.settings.port(s)}"
            for s in self.services
            if port_in_use(self.settings.port(s), self.settings.host)
        ]
        if taken:
            raise RuntimeError(
                "port(s) already in use: " + ", ".join(taken) + " — stop what uses them or set HAVEN_<SERVICE>_PORT"
            )

    def start(self) -> str:
        self.lock = acquire_lock(self.settings.data_dir)
        self.check_ports()
        nats_url = self.settings.nats_url
        if not nats_url:
            self.nats = self._start_nats()
            nats_url = self.nats.url
        self.nats_url = nats_url
        self.supervised[NATS] = Supervised()
        for service in self.services:
            self._check_interrupted()
            self._spawn(service)
            self.supervised[service] = Supervised()
        self.write_state()
        return nats_url

    def _start_nats(self, port: int | None = None) -> NatsServer:
        return start_nats_server(
            self.settings.data_dir / "jetstream",
            port=port,
            binary=self.settings.nats_server_bin,
            log_file=self.settings.data_dir / "nats-server.log",
        )

    def _spawn(self, service: str) -> subprocess.Popen:
        env = os.environ | {
            "HAVEN_NATS_URL": self.nats_url or "",
            "HAVEN_DATA_DIR": str(self.settings.data_dir),
            "PYTHONUNBUFFERED": "1",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "haven_runtime.serve", service],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[service] = proc
        threading.Thread(target=_forward, args=(service, proc.stdout), daemon=True).start()
        return proc

    def state(self) -> dict:
        """What ``haven status`` shows: the supervisor, NATS, and each process."""
        processes: dict[str, dict] = {}
        if NATS in self.supervised:
            info = self.supervised[NATS]
            processes[NATS] = {
                "pid": self.nats.process.pid if self.nats else None,
                "port": self.nats.port if self.nats else None,
                "url": self.nats_url,
                "external": self.nats is None,
                "restarts": info.restarts,
                "started": info.started,
            }
        for service, proc in self.processes.items():
            info = self.supervised.get(service, Supervised())
            processes[service] = {
                "pid": proc.pid,
                "port": self.settings.port(service),
                "url": self.url(service),
                "restarts": info.restarts,
                "started": info.started,
                "restarting": info.restart_at is not None,
            }
        return {
            "pid": os.getpid(),
            "data_dir": str(self.settings.data_dir),
            "nats_url": self.nats_url,
            "processes": processes,
        }

    def write_state(self) -> None:
        """Atomically replace ``<data>/haven.state.json`` (readers never see half a file)."""
        path = state_path(self.settings.data_dir)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), indent=2) + "\n")
        os.replace(tmp, path)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        pending = set(self.services)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            self._check_interrupted()
            for service in sorted(pending):
                proc = self.processes[service]
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{service} exited with code {proc.returncode} during start-up (see its log above)"
                    )
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
        state_path(self.settings.data_dir).unlink(missing_ok=True)
        if self.lock:
            self.lock.release()
            self.lock = None

    def watch(self) -> int:
        """Supervise until a signal (returns 0) or a process crashes too often (returns 1)."""
        stop = threading.Event()

        def _on_signal(signum, _frame):
            stop.set()

        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
        while not stop.wait(0.2):
            if not self._supervise_once():
                return 1
        return 0

    def _supervise_once(self) -> bool:
        """Notice exits, schedule and perform restarts; False means give up."""
        now = time.monotonic()
        changed = False
        if self.nats and NATS in self.supervised:
            info = self.supervised[NATS]
            if info.restart_at is None and self.nats.process.poll() is not None:
                if not self._schedule(NATS, info, self.nats.process.returncode, now):
                    return False
                changed = True
            if info.restart_at is not None and now >= info.restart_at:
                try:
                    # the same port and storage: the services reconnect by themselves
                    self.nats = self._start_nats(port=self.nats.port)
                except Exception as exc:  # noqa: BLE001 - counts as another crash
                    _log(f"{NATS} failed to restart: {exc}")
                    info.restart_at = None
                    if not self._schedule(NATS, info, None, time.monotonic()):
                        return False
                else:
                    info.restart_at, info.restarts, info.started = None, info.restarts + 1, time.time()
                    _log(f"{NATS} restarted at {self.nats.url}")
                changed = True
        for service, proc in list(self.processes.items()):
            info = self.supervised[service]
            if info.restart_at is None and proc.poll() is not None:
                if not self._schedule(service, info, proc.returncode, now):
                    return False
                changed = True
            if info.restart_at is not None and now >= info.restart_at:
                new = self._spawn(service)
                info.restart_at, info.restarts, info.started = None, info.restarts + 1, time.time()
                _log(f"{service} restarted (pid {new.pid})")
                changed = True
        if changed:
            self.write_state()
        return True

    def _schedule(self, name: str, info: Supervised, code: int | None, now: float) -> bool:
        if code == 0:  # a clean exit is an operator's restart: at once, not a crash
            _log(f"{name} exited cleanly; starting it again")
            info.restart_at = now
            return True
        crashes = info.crash(now)
        if crashes > MAX_CRASHES:
            _log(
                f"{name} crashed {crashes} times within {CRASH_WINDOW:.0f}s (exit code {code}); giving up and "
                "shutting down"
            )
            return False
        delay = info.backoff()
        _log(
            f"{name} stopped unexpectedly (exit code {code}); restarting in {delay:.0f}s (crash {crashes} of "
            f"{MAX_CRASHES} allowed in {CRASH_WINDOW:.0f}s)"
        )
        info.restart_at = now + delay
        return True


def _log(message: str) -> None:
    print(f"haven: {message}", file=sys.stderr, flush=True)
