"""The image's install works, checked without a Docker daemon: the build stage's steps of
deploy/Dockerfile (its COPY sources and its RUN steps, i.e. ``deploy/install.sh``) run in a
clean directory with a fresh virtual environment; then the migration job and each service
start from that environment with the environment compose.yaml gives them (pointed at a
nats-server started here, and PostgreSQL when ``HAVEN_TEST_POSTGRES_DSN`` is set), and every
``/health/ready`` answers 200.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from haven_contracts.subjects import SERVICES
from haven_runtime.ops.natsserver import free_port
from haven_runtime.testing import create_postgres_database, drop_postgres_database, postgres_dsn

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
SECRETS = {
    "POSTGRES_PASSWORD": "pw-url-safe-0123456789",
    "HAVEN_TOKEN_KEYS": "k1:" + "s" * 40,
    "HAVEN_FIELD_KEYS": "f1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
    "HAVEN_BLIND_INDEX_KEY": "blind-index-key-for-the-image-test",
}
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", ".haven", ".pytest_cache", "*.sqlite3", "node_modules")


def build_stage() -> tuple[dict[str, str], list[tuple[list[str], str]], list[str]]:
    """(ENV, COPY (sources, destination) pairs, RUN commands) of the Dockerfile's first stage."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    stage = text.split("\nFROM ", 2)[1]
    env: dict[str, str] = {}
    copies: list[tuple[list[str], str]] = []
    runs: list[str] = []
    for line in stage.splitlines():
        word, _, rest = line.partition(" ")
        if word == "ENV":
            env.update(dict(item.split("=", 1) for item in shlex.split(rest)))
        elif word == "COPY":
            *sources, dest = rest.split()
            copies.append((sources, dest))
        elif word == "RUN":
            runs.append(rest)
    return env, copies, runs


def compose_environment(service: str) -> dict[str, str]:
    """``service``'s environment as the Compose CLI resolves it from the example .env."""
    return {k: str(v) for k, v in _compose_service(service)["environment"].items()}


def compose_command(service: str) -> list[str]:
    """``service``'s command as the Compose CLI resolves it."""
    return list(_compose_service(service)["command"])


def _compose_service(service: str) -> dict:
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose"  # type: ignore[union-attr, arg-type]
    result = subprocess.run(
        [
            str(binary),
            "--project-directory",
            str(ROOT),
            "-f",
            str(ROOT / "compose.yaml"),
            "--env-file",
            str(ROOT / "deploy" / "haven.env.example"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)} | SECRETS,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"][service]


def install(app: Path) -> Path:
    """Copy what the Dockerfile copies to ``app`` and run its RUN steps there; returns the venv."""
    env, copies, runs = build_stage()
    app.mkdir(parents=True)
    for sources, dest in copies:
        target = app / dest
        for source in sources:
            src = ROOT / source
            to = target / src.name if dest.endswith("/") or len(sources) > 1 else target
            to.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, to, ignore=_SKIP)
            else:
                shutil.copy2(src, to)
    assert [r for r in runs if not r.startswith("pip install")] == ["sh deploy/install.sh"], runs
    uv = shutil.which("uv")
    assert uv, "uv is needed (the image installs it with pip)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_", "HAVEN_", "PYTHON"))}
    # the same interpreter version as the image's base (python:3.11) and this test run
    clean |= env | {"PATH": f"{Path(uv).parent}:{clean.get('PATH', '/usr/bin:/bin')}", "UV_PYTHON": sys.executable}
    for run in runs:
        if run.startswith("pip install"):
            continue  # installs uv itself, which is already here
        result = subprocess.run(["sh", "-c", run], cwd=app, env=clean, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    venv = app / ".venv"
    assert (venv / "bin" / "python").exists()
    return venv


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


def test_the_image_install_runs_every_service_with_the_compose_environment(tmp_path, nats_server):
    app = tmp_path / "app"
    venv = install(app)
    installed = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(sorted(e.name for e in m.entry_points(group='haven.services')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert installed.stdout.strip() == str(sorted(SERVICES)), installed.stderr
    # non-editable: the environment must not point back at the repository's sources
    assert str(ROOT) not in "".join(p.read_text() for p in (venv / "lib").glob("python3*/site-packages/*.pth"))

    base = postgres_dsn()
    prefix = f"haven_img_{uuid.uuid4().hex[:8]}"
    if base:
        for service in SERVICES:
            asyncio.run(create_postgres_database(base, f"{prefix}_{service}"))
        database_url = f"{base.rpartition('/')[0]}/{prefix}_{{service}}"
    else:
        database_url = f"sqlite:///{tmp_path / 'data'}/{{service}}.sqlite3"
    ports = {s: free_port() for s in SERVICES}
    runtime_path = f"{venv / 'bin'}:/usr/bin:/bin"
    processes: dict[str, subprocess.Popen] = {}
    try:
        for service in SERVICES:
            env = compose_environment(service) | {
                "PATH": runtime_path,
                "PYTHONUNBUFFERED": "1",
                "HAVEN_NATS_URL": nats_server.url,  # instead of nats-1..3 in the cluster
                "HAVEN_DATABASE_URL": database_url,  # instead of the postgres container
                "HAVEN_HOST": "127.0.0.1",
                "HAVEN_DATA_DIR": str(tmp_path / "data"),
                f"HAVEN_{service.upper()}_PORT": str(ports[service]),
            }
            if service == SERVICES[0]:  # compose's one-off job, before any service starts
                job = compose_command("migrate")
                assert job == ["haven", "migrate"]
                migrate = subprocess.run(job, cwd=app, env=env, capture_output=True, text=True, timeout=300)
                assert migrate.returncode == 0, migrate.stdout[-3000:] + migrate.stderr[-3000:]
                assert all(
                    f"{s}: stream ready" in migrate.stdout and f"{s}/m0001_initial" in migrate.stdout for s in SERVICES
                )
            # the image's CMD: sh -c 'exec python -m haven_runtime.serve "$HAVEN_SERVICE"'
            processes[service] = subprocess.Popen(
                ["sh", "-c", 'exec python -m haven_runtime.serve "$HAVEN_SERVICE"'],
                cwd=app,
                env=env,
                stdout=open(tmp_path / f"{service}.log", "wb"),
                stderr=subprocess.STDOUT,  # noqa: SIM115
            )
        pending = set(SERVICES)
        deadline = time.monotonic() + 120
        while pending and time.monotonic() < deadline:
            for service in sorted(pending):
                proc = processes[service]
                assert proc.poll() is None, f"{service} exited:\n" + (tmp_path / f"{service}.log").read_text()[-3000:]
                if _ready(f"http://127.0.0.1:{ports[service]}/health/ready"):
                    pending.discard(service)
            time.sleep(0.2)
        assert not pending, {s: (tmp_path / f"{s}.log").read_text()[-2000:] for s in pending}
        with urllib.request.urlopen(f"http://127.0.0.1:{ports['options']}/health/ready", timeout=5) as response:
            body = json.loads(response.read())
        assert body["database"] and body["bus"]
    finally:
        for proc in processes.values():
            proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if base:
            for service in SERVICES:
                asyncio.run(drop_postgres_database(base, f"{prefix}_{service}"))
