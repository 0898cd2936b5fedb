"""Directory tables. Officers' work contacts are organisational data, not survivor data."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("directory")


class Officer(Table, tablename="officer"):
    key = Varchar(length=100, unique=True)
    org = Varchar(length=63, index=True)
    name = Varchar(length=200)
    email = Varchar(length=200, null=True, default=None)
    phone = Varchar(length=50, null=True, default=None)
    sex = Varchar(length=20, null=True, default=None)
    dv_specialism = Boolean(default=False)
    confidential = Boolean(default=True)
    source = Varchar(length=200, default="")
    updated_at = Timestamptz()


class PositionHolding(Table, tablename="position_holding"):
    """Who held a position at an organisation from ``start`` until (not including) ``end``; open-ended if null."""

    org = Varchar(length=63, index=True)
    position = Varchar(length=50)
    officer_key = Varchar(length=100)
    start = Date()
    end = Date(null=True, default=None)
    changed_by = Varchar(length=255, default="plugin")
    changed_at = Timestamptz()
    detail = JSON(default="{}")


TABLES = [Officer, PositionHolding]
