"""``haven migrate``: a one-off job that brings each service's schema up to date, safely
re-runnable, adding new defaulted columns and refusing anything it cannot do safely."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from piccolo.columns import Integer, Varchar
from piccolo.table import Table

from haven_runtime.migrate import MigrationError, describe_database, migrate_service

BACKENDS = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)


def _cli(*args: str, data_dir) -> object:
    from haven_runtime.cli import main
    from haven_runtime.settings import reset_settings

    reset_settings()
    try:
        return CliRunner().invoke(main, ["migrate", *args], env={"HAVEN_DATA_DIR": str(data_dir), "HAVEN_DATABASE_URL": ""})
    finally:
        reset_settings()


def test_haven_migrate_creates_then_reports_up_to_date(tmp_path):
    first = _cli("--service", "options", data_dir=tmp_path)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("options: ") and "created haven_outbox" in first.output
    with sqlite3.connect(tmp_path / "options.sqlite3") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"haven_outbox", "haven_inbox", "haven_dead_letter", "haven_audit", "jwa_notification"} <= names
    assert "uq_haven_inbox_consumer_event_id" in names
    again = _cli("--service", "options", data_dir=tmp_path)
    assert again.exit_code == 0 and "already up to date" in again.output
    assert not (tmp_path / "directory.sqlite3").exists()


def test_haven_migrate_every_service(tmp_path):
    result = _cli(data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == ["directory", "options", "reciprocal", "sanctuary"]


def test_unknown_service_is_a_clear_error(tmp_path):
    result = _cli("--service", "housing", data_dir=tmp_path)
    assert result.exit_code != 0 and "unknown service 'housing'" in result.output


def _versions():
    class V1(Table, tablename="migrate_probe"):
        ref = Varchar(length=20)

    class V2(Table, tablename="migrate_probe"):
        ref = Varchar(length=20)
        attempts = Integer(default=0)
        note = Varchar(length=50, null=True, default=None)

    class V3(Table, tablename="migrate_probe"):
        ref = Varchar(length=20)
        attempts = Integer(default=0)
        note = Varchar(length=50, null=True, default=None)
        code = Varchar(length=20, unique=True)

    return V1, V2, V3


@BACKENDS
async def test_new_defaulted_columns_are_added_and_unsafe_ones_refused(haven_settings, db_backend):
    v1, v2, v3 = _versions()
    first = await migrate_service("options", haven_settings, tables=[v1])
    assert first.created == ["migrate_probe"]
    second = await migrate_service("options", haven_settings, tables=[v2])
    assert second.added_columns == ["migrate_probe.attempts", "migrate_probe.note"]
    assert (await migrate_service("options", haven_settings, tables=[v2])).summary().endswith("already up to date")
    with pytest.raises(MigrationError, match=r"migrate_probe\.code .*hand-written migration"):
        await migrate_service("options", haven_settings, tables=[v3])


def test_database_description_hides_credentials():
    assert describe_database("postgresql://haven:s3cret@db.internal:6543/haven_options") == "postgresql db.internal:6543/haven_options"
    assert "s3cret" not in describe_database("postgres://u:s3cret@h/x")
