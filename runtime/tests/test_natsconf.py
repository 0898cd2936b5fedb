"""`haven nats-config`: one user per service, per federated deployment and per borough integrator."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from haven_runtime.natsconf import integrator_user, read_credentials
from haven_runtime.ops import cli
from haven_runtime.ops.natsserver import nats_server_binary
from haven_runtime.settings import reset_settings


def test_cli_writes_a_valid_configuration_for_every_service_and_borough(tmp_path, monkeypatch):
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "d"))
    reset_settings()
    out, creds = tmp_path / "nats.conf", tmp_path / "nats.credentials"
    try:
        result = CliRunner().invoke(
            cli.main,
            ["nats-config", "--out", str(out), "--credentials", str(creds), "--org", "bexley", "--org", "bromley"],
        )
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    config = json.loads(out.read_text().split("\n", 1)[1])
    users = {u["user"]: u for u in config["authorization"]["users"]}
    assert set(users) == {
        "haven-options",
        "haven-sanctuary",
        "haven-reciprocal",
        "haven-directory",
        "integrator-bexley",
        "integrator-bromley",
    }
    assert users["integrator-bexley"]["permissions"]["publish"] == {"deny": [">"]}
    assert set(read_credentials(creds)) == set(users)
    check = subprocess.run(
        [str(nats_server_binary()), "-c", str(out), "-t"], capture_output=True, text=True, timeout=30
    )
    assert check.returncode == 0, check.stderr


def test_cli_requires_key_with_certificate(tmp_path):
    result = CliRunner().invoke(
        cli.main, ["nats-config", "--out", str(tmp_path / "x"), "--org", "bexley", "--tls-cert", "c.pem"]
    )
    assert result.exit_code != 0 and "--tls-key" in result.output


def test_integrator_subjects_cover_own_sent_and_addressed_events_only():
    assert integrator_user("bexley").subscribe == (
        "haven.*.evt.*.*.bexley",
        "haven.*.evt.*.*.bexley.*",
        "haven.*.evt.*.*.*.bexley",
    )


def test_cli_writes_into_the_data_directory_by_default_and_listens_on_host(tmp_path, monkeypatch):
    """Secrets never land in the working tree by default, and --host is where the server listens."""
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "d"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    reset_settings()
    try:
        result = CliRunner().invoke(
            cli.main, ["nats-config", "--org", "bexley", "--host", "10.1.2.3", "--port", "4333"]
        )
        explicit = CliRunner().invoke(
            cli.main,
            ["nats-config", "--org", "bexley", "--dir", str(tmp_path / "elsewhere"), "--listen-host", "0.0.0.0"],
        )
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    assert list(work.iterdir()) == []  # nothing in the current directory
    conf = tmp_path / "d" / "nats" / "nats.conf"
    config = json.loads(conf.read_text().split("\n", 1)[1])
    assert config["listen"] == "10.1.2.3:4333"
    assert "@10.1.2.3:4333" in (tmp_path / "d" / "nats" / "nats.credentials").read_text()
    assert oct(conf.stat().st_mode & 0o777) == "0o600"
    assert explicit.exit_code == 0, explicit.output
    config = json.loads((tmp_path / "elsewhere" / "nats.conf").read_text().split("\n", 1)[1])
    assert config["listen"] == "0.0.0.0:4222"
    assert "@127.0.0.1:4222" in (tmp_path / "elsewhere" / "nats.credentials").read_text()


def test_each_service_may_subscribe_only_to_its_own_reply_inboxes():
    from haven_runtime.natsconf import inbox_prefix, service_user

    user = service_user("options")
    assert "_INBOX.>" not in user.subscribe
    assert user.subscribe == ("haven.options.req.>", f"{inbox_prefix('haven-options')}.>")
    assert inbox_prefix("haven-options") == "_INBOX.haven-options"


def test_cli_writes_one_user_per_federated_deployment(tmp_path, monkeypatch):
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "d"))
    reset_settings()
    out, creds = tmp_path / "nats.conf", tmp_path / "nats.credentials"
    args = [
        "nats-config",
        "--out",
        str(out),
        "--credentials",
        str(creds),
        "--org",
        "bexley",
        "--deployment",
        "bexley=bexley",
        "--deployment",
        "southwark-dartford=southwark,dartford",
    ]
    try:
        result = CliRunner().invoke(cli.main, args)
        refused = CliRunner().invoke(cli.main, [*args[:5], "--deployment", "Not A Slug=bexley"])
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    users = {u["user"]: u for u in json.loads(out.read_text().split("\n", 1)[1])["authorization"]["users"]}
    assert {"deployment-bexley", "deployment-southwark-dartford"} <= set(users)
    publish = users["deployment-southwark-dartford"]["permissions"]["publish"]["allow"]
    assert "haven.options.evt.*.*.dartford" in publish and not any("bexley" in p for p in publish)
    assert "HAVEN_NATS_URL_DEPLOYMENT_SOUTHWARK_DARTFORD=" in creds.read_text()
    check = subprocess.run(
        [str(nats_server_binary()), "-c", str(out), "-t"], capture_output=True, text=True, timeout=30
    )
    assert check.returncode == 0, check.stderr
    assert refused.exit_code != 0 and "NAME=ORG" in refused.output
