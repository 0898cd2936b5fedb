"""Dales Housing / Seven Locks Housing: directory data."""

from __future__ import annotations

__all__: list[str] = []
