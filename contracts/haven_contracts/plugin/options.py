"""Options hooks: what an organisation's plugin adds to the options service."""

from __future__ import annotations
