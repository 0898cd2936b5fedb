"""Cambridgeshire Housing Reciprocal: options hooks."""

from __future__ import annotations

__all__: list[str] = []
