"""Reciprocal hooks: what an organisation's plugin adds to the reciprocal service."""

from __future__ import annotations
