"""Dartford Borough Council: options hooks."""

from __future__ import annotations
