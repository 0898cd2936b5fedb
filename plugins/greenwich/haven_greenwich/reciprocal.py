"""Royal Borough of Greenwich: reciprocal hooks."""

from __future__ import annotations
