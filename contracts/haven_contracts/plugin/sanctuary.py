"""Sanctuary hooks: what an organisation's plugin adds to the sanctuary service."""

from __future__ import annotations
