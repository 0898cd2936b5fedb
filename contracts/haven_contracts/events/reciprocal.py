"""Reciprocal service events and requests (seed ``002_c1c7b199d9a53274.txt``). ARC and partner ids only."""

from __future__ import annotations
