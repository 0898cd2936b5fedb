"""``haven migrate``: a one-off job that applies each service's pending migrations — the
same code a service runs at start-up — safely re-runnable, and writes a new migration step
with ``--new``."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from haven_runtime.ops.migrate import describe_database, migrate_service

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)


def _cli(*args: str, data_dir) -> object:
    from haven_runtime.ops.cli import main
    from haven_runtime.settings import reset_settings

    reset_settings()
    try:
        return CliRunner().invoke(
            main, ["migrate", *args], env={"HAVEN_DATA_DIR": str(data_dir), "HAVEN_DATABASE_URL": ""}
        )
    finally:
        reset_settings()


def test_haven_migrate_creates_then_reports_up_to_date(tmp_path):
    first = _cli("--service", "options", data_dir=tmp_path)
    assert first.exit_code == 0, first.output
    assert (
        first.output.startswith("options: ")
        and "applied haven_runtime/m0001_initial, options/m0001_initial" in first.output
    )
    with sqlite3.connect(tmp_path / "options.sqlite3") as conn:
        names = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")
        }
    assert {"haven_outbox", "haven_inbox", "haven_dead_letter", "haven_audit", "jwa_notification"} <= names
    assert {
        "uq_haven_inbox_consumer_event_id",
        "haven_schema_migration",
        "haven_audit_no_update",
        "haven_audit_no_delete",
    } <= names
    again = _cli("--service", "options", data_dir=tmp_path)
    assert again.exit_code == 0 and "already up to date" in again.output
    assert not (tmp_path / "directory.sqlite3").exists()


def test_haven_migrate_every_service(tmp_path):
    result = _cli(data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "directory",
        "options",
        "reciprocal",
        "sanctuary",
    ]


def test_unknown_service_is_a_clear_error(tmp_path):
    result = _cli("--service", "housing", data_dir=tmp_path)
    assert result.exit_code != 0 and "unknown service 'housing'" in result.output


@BACKENDS
async def test_migrate_then_start_up_finds_nothing_to_do(haven_settings, db_backend, start_service):
    """The job and start-up are one path: after ``haven migrate`` a starting service applies nothing."""
    report = await migrate_service("reciprocal", haven_settings)
    assert "reciprocal/m0002_partner_stock_areas" in report.applied
    assert (await migrate_service("reciprocal", haven_settings)).applied == []
    client = await start_service("reciprocal")
    assert (await client.get("/health/ready")).status_code == 200


def test_new_writes_nothing_when_the_migrations_are_complete(tmp_path):
    result = _cli("--service", "sanctuary", "--new", "nothing", data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    assert "already build what the table classes declare" in result.output
    assert not list(tmp_path.iterdir())  # no database touched


def test_database_description_hides_credentials():
    assert (
        describe_database("postgresql://haven:s3cret@db.internal:6543/haven_options")
        == "postgresql db.internal:6543/haven_options"
    )
    assert "s3cret" not in describe_database("postgres://u:s3cret@h/x")
