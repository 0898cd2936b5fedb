"""Reciprocal tables."""

from __future__ import annotations

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("reciprocal")

TABLES: list = []
