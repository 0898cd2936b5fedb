"""Dartford Borough Council: reciprocal hooks."""

from __future__ import annotations
