"""Dales Housing / Seven Locks Housing: reciprocal hooks."""

from __future__ import annotations

__all__: list[str] = []
