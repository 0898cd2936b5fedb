"""London Borough of Bexley: reciprocal hooks."""

from __future__ import annotations
