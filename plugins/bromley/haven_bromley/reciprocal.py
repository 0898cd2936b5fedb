"""London Borough of Bromley: reciprocal hooks."""

from __future__ import annotations
