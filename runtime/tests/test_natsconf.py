"""`haven nats-config` (issue 8, "Bus security"): one user per service and per borough integrator."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from haven_runtime import cli
from haven_runtime.natsconf import integrator_user, read_credentials
from haven_runtime.natsserver import nats_server_binary
from haven_runtime.settings import reset_settings


def test_cli_writes_a_valid_configuration_for_every_service_and_borough(tmp_path, monkeypatch):
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "d"))
    reset_settings()
    out, creds = tmp_path / "nats.conf", tmp_path / "nats.credentials"
    try:
        result = CliRunner().invoke(cli.main, ["nats-config", "--out", str(out), "--credentials", str(creds), "--org", "bexley", "--org", "bromley"])
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    config = json.loads(out.read_text().split("\n", 1)[1])
    users = {u["user"]: u for u in config["authorization"]["users"]}
    assert set(users) == {"haven-options", "haven-sanctuary", "haven-reciprocal", "haven-directory", "integrator-bexley", "integrator-bromley"}
    assert users["integrator-bexley"]["permissions"]["publish"] == {"deny": [">"]}
    assert set(read_credentials(creds)) == set(users)
    check = subprocess.run([str(nats_server_binary()), "-c", str(out), "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_cli_requires_key_with_certificate(tmp_path):
    result = CliRunner().invoke(cli.main, ["nats-config", "--out", str(tmp_path / "x"), "--org", "bexley", "--tls-cert", "c.pem"])
    assert result.exit_code != 0 and "--tls-key" in result.output


def test_integrator_subjects_cover_own_sent_and_addressed_events_only():
    assert integrator_user("bexley").subscribe == ("haven.*.evt.*.*.bexley", "haven.*.evt.*.*.bexley.*", "haven.*.evt.*.*.*.bexley")
