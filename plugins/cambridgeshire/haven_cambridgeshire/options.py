"""Cambridgeshire Housing Reciprocal: options hooks."""

from __future__ import annotations
