"""London Borough of Southwark: reciprocal hooks."""

from __future__ import annotations
