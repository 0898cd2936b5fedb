"""Sanctuary service events and requests (seed ``004_d4b796f614d2cfd3.txt``). References only."""

from __future__ import annotations
