"""Dales Housing / Seven Locks Housing: options hooks."""

from __future__ import annotations

__all__: list[str] = []
