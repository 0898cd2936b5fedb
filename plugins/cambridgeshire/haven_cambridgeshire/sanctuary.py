"""Cambridgeshire Housing Reciprocal: sanctuary hooks."""

from __future__ import annotations
