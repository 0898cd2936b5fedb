"""London Borough of Lewisham: reciprocal hooks."""

from __future__ import annotations
