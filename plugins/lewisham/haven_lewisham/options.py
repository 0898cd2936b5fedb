"""London Borough of Lewisham: options hooks."""

from __future__ import annotations

__all__: list[str] = []
