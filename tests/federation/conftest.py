"""Cross-deployment harness: several Haven deployments as separate OS
processes on one nats-server, each with its own data directory, token keys, field keys,
ports and hosted organisations — Bexley, Lewisham, Southwark+Dartford, Cambridgeshire (the
reciprocal's coordinator and most of its partners) and Fenland (a partner on its own).

The deployments start once per test session (starting them per test would not fit a test's
time budget); tests use distinct case references so they do not see each other's work. Every
test's bus traffic is sniffed for survivor data, except a test marked ``no_responders``
(a ``>`` subscriber is interest, and would stop NATS answering "no responders").
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from haven_runtime.identity import issue_token
from haven_runtime.ops.natsserver import free_port, start_nats_server
from haven_runtime.privacy import sniff
from haven_runtime.settings import Settings, load_settings

READY_TIMEOUT = 90.0
SHARED = ("options", "directory")
#: name: (hosted organisations, services run); the sanctuary and reciprocal run where their
#: schemes are (Dartford's sanctuary scheme, the Cambridgeshire reciprocal)
DEPLOYMENTS = {
    "bexley": (("bexley",), SHARED),  # with the test plugin below: its sanctuary cases go to Dartford
    "lewisham": (("lewisham",), SHARED),
    "southwark-dartford": (("southwark", "dartford"), (*SHARED, "sanctuary")),
    "cambridgeshire": (
        (
            "cambridgeshire-da-services",
            "cambridge",
            "east-cambridgeshire",
            "huntingdonshire",
            "peterborough",
            "south-cambridgeshire",
        ),
        (*SHARED, "reciprocal"),
    ),
    # a reciprocal partner running its own deployment, apart from the coordinator's
    "fenland": (("fenland",), SHARED),
}
#: the deployment whose directory also serves every organisation's public listing
HUB = "southwark-dartford"


@dataclass
class Deployment:
    """One deployment: its services as processes of ``python -m haven_runtime.serve``."""

    name: str
    orgs: tuple[str, ...]
    data_dir: Path
    nats_url: str
    services: tuple[str, ...] = ("options", "directory")
    pythonpath: tuple[Path, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            "HAVEN_ENV": "test",
            "HAVEN_DEPLOYMENT": self.name,
            "HAVEN_HOSTED_ORGS": ",".join(self.orgs),
            "HAVEN_DATA_DIR": str(self.data_dir),
            "HAVEN_NATS_URL": self.nats_url,
            "HAVEN_TOKEN_KEYS": f"{self.name}:{secrets.token_urlsafe(32)}",
            "HAVEN_FIELD_KEYS": f"{self.name}:{base64.b64encode(secrets.token_bytes(32)).decode()}",
            "HAVEN_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "HAVEN_FEDERATION_RESCAN_SECONDS": "1",
            "HAVEN_REDELIVERY_BACKOFF": "0.2,0.2,0.5",
            "HAVEN_MAX_DELIVER": "3",
            "HAVEN_LOG_LEVEL": "WARNING",
            **{
                f"HAVEN_{s.upper()}_PORT": str(free_port()) for s in ("options", "sanctuary", "reciprocal", "directory")
            },
        }
        if self.pythonpath:
            self.env["PYTHONPATH"] = os.pathsep.join(
                [*map(str, self.pythonpath), *filter(None, [os.environ.get("PYTHONPATH")])]
            )

    @property
    def settings(self) -> Settings:
        return load_settings(self.env)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.env[f'HAVEN_{service.upper()}_PORT']}"

    def token(self, org: str, *roles: str, sub: str = "officer-1") -> dict[str, str]:
        """A bearer token signed with this deployment's own keys."""
        return {
            "Authorization": f"Bearer {issue_token(sub, org, roles or ('options_officer',), settings=self.settings)}"
        }

    def start(self, *services: str) -> None:
        for service in services or self.services:
            log = open(self.data_dir / f"{service}.log", "ab")  # noqa: SIM115 - lives as long as the process
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", "haven_runtime.serve", service],
                env=os.environ | self.env | {"PYTHONUNBUFFERED": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, *services: str, timeout: float = READY_TIMEOUT) -> None:
        pending = set(services or self.processes)
        deadline = time.monotonic() + timeout
        while pending:
            for service in sorted(pending):
                proc = self.processes[service]
                if proc.poll() is not None:
                    raise RuntimeError(f"{self.name} {service} exited {proc.returncode}:\n{self.log(service)}")
                if _ready(f"{self.url(service)}/health/ready"):
                    pending.discard(service)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: not ready after {timeout:.0f}s: {', '.join(sorted(pending))}")
            time.sleep(0.1)

    def kill(self, service: str) -> None:
        """kill -9: no shutdown hook runs."""
        proc = self.processes.pop(service)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.processes.clear()

    def log(self, service: str) -> str:
        path = self.data_dir / f"{service}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


#: A plugin installed only in Bexley's deployment: Bexley's cases choosing the sanctuary option
#: are referred to Dartford's scheme (seed ``004_d4b796f614d2cfd3.txt``: "any organisation
#: working with a person they deem suitable for sanctuary measures can make a referral to the
#: scheme"), so that referral crosses from one deployment to another.
DARTFORD_SCHEME_PLUGIN = '''
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.options import SchemeOperator
from haven_contracts.plugin.records import Organisation, PluginManifest


@hookimpl
def haven_manifest():
    return PluginManifest(name="test-dartford-scheme", organisations=(
        Organisation(id="bexley", name="London Borough of Bexley", kind="local_authority"),))


@hookimpl
def haven_sanctuary_scheme_for(org, case):
    return SchemeOperator(org="dartford", name="Dartford Sanctuary Scheme", source="004_d4b796f614d2cfd3.txt")
'''


def install_test_plugin(root: Path, name: str, source: str) -> Path:
    """A plugin importable from ``root`` and found by its ``haven`` entry point when ``root``
    is on a process's ``PYTHONPATH`` (a ``.dist-info`` directory is all importlib.metadata needs)."""
    module = "haven_test_" + name.replace("-", "_")
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(source)
    info = root / f"{module}-0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: haven-test-{name}\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[haven]\ntest-{name} = {module}\n")
    return root


@pytest.fixture(scope="session")
def federation(tmp_path_factory):
    """``{name: Deployment}`` for the deployments, all running on one nats-server."""
    root = tmp_path_factory.mktemp("federation")
    server = start_nats_server(root / "jetstream", log_file=root / "nats-server.log")
    extra = {"bexley": (install_test_plugin(root / "bexley-plugins", "dartford-scheme", DARTFORD_SCHEME_PLUGIN),)}
    deployments = {
        name: Deployment(name, orgs, root / name, server.url, services, extra.get(name, ()))
        for name, (orgs, services) in DEPLOYMENTS.items()
    }
    deployments[HUB].env["HAVEN_DIRECTORY_HUB"] = "true"
    try:
        for deployment in deployments.values():
            deployment.start()
        for deployment in deployments.values():
            deployment.wait_ready()
        yield deployments
    finally:
        for deployment in deployments.values():
            deployment.stop()
        server.stop()


@pytest.fixture
def own_deployments():
    """Deployments a test starts itself, on its own nats-server (``make(name, orgs, data_dir,
    nats_url)``); stopped at the end of the test."""
    started: list[Deployment] = []

    def make(
        name: str, orgs: tuple[str, ...], data_dir: Path, nats_url: str, services: tuple[str, ...] = SHARED
    ) -> Deployment:
        deployment = Deployment(name, orgs, data_dir, nats_url, services)
        started.append(deployment)
        return deployment

    yield make
    for deployment in started:
        deployment.stop()


@pytest.fixture(autouse=True)
async def _sniffed(request, federation):
    """Every subject during a cross-deployment test is sniffed for survivor data."""
    if request.node.get_closest_marker("no_responders") is not None:
        yield None
        return
    nats_url = next(iter(federation.values())).nats_url
    async with sniff(nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2) as sniffer:
        yield sniffer
    sniffer.assert_clean()
