"""London Borough of Southwark: sanctuary hooks."""

from __future__ import annotations

__all__: list[str] = []
