"""London Borough of Bexley: sanctuary hooks."""

from __future__ import annotations

__all__: list[str] = []
