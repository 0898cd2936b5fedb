"""Royal Borough of Greenwich: options hooks."""

from __future__ import annotations

__all__: list[str] = []
