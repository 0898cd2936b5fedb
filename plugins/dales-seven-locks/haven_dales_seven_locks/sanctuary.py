"""Dales Housing / Seven Locks Housing: sanctuary hooks."""

from __future__ import annotations
