"""Dartford Borough Council: directory data."""

from __future__ import annotations

__all__: list[str] = []
