"""London Borough of Bromley: sanctuary hooks."""

from __future__ import annotations

__all__: list[str] = []
