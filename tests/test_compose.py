"""compose.yaml: valid against the Compose Specification, and consistent with the services'
own settings (names, ports, variables), since no container engine runs on these machines."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from haven_contracts.subjects import SERVICES
from haven_runtime.ops.natsserver import nats_server_binary
from haven_runtime.settings import DEFAULT_PORTS, load_settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
DEPLOY = ROOT / "deploy"
SCHEMA = Path(__file__).parent / "schemas" / "compose-spec" / "compose-spec.json"
_VAR = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:-|:\?|-|\?)(?P<arg>[^}]*))?\}")

SECRETS = {
    "POSTGRES_PASSWORD": "pw-url-safe-0123456789",
    "HAVEN_TOKEN_KEYS": "k1:" + "s" * 40,
    "HAVEN_FIELD_KEYS": "f1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
    "HAVEN_BLIND_INDEX_KEY": "blind-index-key-for-the-compose-test",
}


class MissingVariable(LookupError):
    pass


def interpolate(value, env: dict[str, str]):
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}`` interpolation."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def sub(m: re.Match) -> str:
        name, op, arg = m.group("name"), m.group("op"), m.group("arg") or ""
        current = env.get(name)
        if op == ":-":
            return current or arg
        if op == ":?":
            if not current:
                raise MissingVariable(f"{name}: {arg}")
            return current
        return current or ""

    return _VAR.sub(sub, value)


def raw() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def resolved(env: dict[str, str] | None = None) -> dict:
    return interpolate(raw(), SECRETS if env is None else env)


def test_compose_file_validates_against_the_compose_specification():
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    for doc in (raw(), resolved()):
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]
        assert errors == []
    broken = resolved()
    broken["services"]["options"]["deploy"]["replicas"] = {"count": 2}
    assert not validator.is_valid(broken)


def test_every_service_is_declared_with_its_settings():
    services = resolved()["services"]
    proxy = (DEPLOY / "proxy" / "haproxy.cfg").read_text()
    prometheus = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    scraped = {(n, c["port"]) for c in prometheus["scrape_configs"][0]["dns_sd_configs"] for n in c["names"]}
    for name in SERVICES:
        svc = services[name]
        env = {k: str(v) for k, v in svc["environment"].items()}
        assert env["HAVEN_SERVICE"] == name
        settings = load_settings(env)  # production settings must load: secrets present and valid
        assert settings.env == "production" and settings.host == "0.0.0.0"
        port = settings.port(name)
        assert port == DEFAULT_PORTS[name]
        assert str(port) in svc["expose"]
        frontend = re.search(rf"^frontend {name}\n(.*?)(?:\n\n|\Z)", proxy, flags=re.M | re.S).group(1)
        backend = re.search(rf"^backend {name}\n(.*?)(?:\n\n|\Z)", proxy, flags=re.M | re.S).group(1)
        assert f"bind :{port}" in frontend
        assert "deny deny_status 404 if { path /metrics }" in frontend  # metrics stay on the internal network
        # every replica from DNS, each actively checked: an unready one gets no traffic
        assert f"server-template {name}- 1-10 {name}:{port}" in backend
        assert "option httpchk GET /health/ready" in backend and "http-check expect status 200" in backend
        assert (name, port) in scraped
        url = settings.database_url(name)
        assert url.startswith("postgresql://") and url.endswith(f"/haven_{name}")
        assert int(svc["deploy"]["replicas"]) >= 1
        assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert env["HAVEN_NATS_URL"].startswith("nats://nats-")
        assert set(settings.plugins or ()) == {
            p.name for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists()
        }


def test_replicas_and_plugin_set_come_from_the_environment():
    env = SECRETS | {"HAVEN_OPTIONS_REPLICAS": "5", "HAVEN_PLUGINS": "bexley"}
    services = resolved(env)["services"]
    assert services["options"]["deploy"]["replicas"] == "5"
    assert load_settings(services["sanctuary"]["environment"]).plugins == ("bexley",)


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_a_missing_secret_stops_the_deployment(secret):
    env = {k: v for k, v in SECRETS.items() if k != secret}
    with pytest.raises(MissingVariable, match=secret):
        resolved(env)


def test_every_haven_variable_in_compose_is_read_by_haven():
    """A misspelt variable would be silently ignored by the services."""
    sources = "\n".join(p.read_text() for p in (ROOT / "runtime" / "haven_runtime").rglob("*.py"))
    used = {k for svc in raw()["services"].values() for k in (svc.get("environment") or {}) if k.startswith("HAVEN_")}
    sources += (DEPLOY / "Dockerfile").read_text().replace("$HAVEN_SERVICE", '"HAVEN_SERVICE"')
    per_service = {f"HAVEN_{s.upper()}_PORT" for s in SERVICES} | {f"HAVEN_{s.upper()}_DATABASE_URL" for s in SERVICES}
    unknown = sorted(v for v in used if v not in per_service and f'"{v}' not in sources and f"'{v}" not in sources)
    assert unknown == []


def test_only_the_proxy_is_published():
    services = resolved()["services"]
    published = sorted(
        name for name, svc in services.items() if svc.get("ports") and "monitoring" not in svc.get("profiles", [])
    )
    assert published == ["proxy"]
    assert resolved()["networks"]["internal"]["internal"] is True
    for name in SERVICES:
        assert services[name]["networks"] == ["internal"]


def test_migration_job_and_databases():
    compose = resolved()
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["haven", "migrate"]  # the same migrations every service applies at start-up
    assert migrate["restart"] == "no"
    assert int(migrate["environment"]["HAVEN_STREAM_REPLICAS"]) == 3
    init = (DEPLOY / "postgres" / "init-databases.sql").read_text()
    for name in SERVICES:
        assert f"CREATE DATABASE haven_{name};" in init


def test_nats_cluster_configs_are_valid_for_nats_server():
    services = resolved()["services"]
    nodes = [n for n in services if re.fullmatch(r"nats-\d+", n)]
    assert nodes == ["nats-1", "nats-2", "nats-3"]
    for node in nodes:
        conf = DEPLOY / "nats" / f"{node}.conf"
        text = conf.read_text()
        assert f"server_name: {node}" in text and "jetstream" in text
        assert all(f"nats-route://{other}:6222" in text for other in nodes)
        check = subprocess.run(
            [str(nats_server_binary()), "-t", "-c", str(conf)], capture_output=True, text=True, timeout=10
        )
        assert check.returncode == 0, check.stderr


def test_dockerfile_copies_what_exists():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for src in re.findall(r"^COPY (?!--)(\S+)", dockerfile, flags=re.M):
        assert (ROOT / src).exists(), src
    assert 'python -m haven_runtime.serve \\"$HAVEN_SERVICE\\"' in dockerfile
