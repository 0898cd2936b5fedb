"""Schemathesis hook module (loaded through ``SCHEMATHESIS_HOOKS`` by ``test_hsds_openapi.py``).

Schemathesis skips schema validation of media types it cannot read; this lets it read
``format=ndjson`` answers — one JSON object a line — as the list Haven's HSDS profile
documents for ``application/x-ndjson``, so those answers are validated too.
"""

from __future__ import annotations

import json

import schemathesis


@schemathesis.deserializer("application/x-ndjson")
def ndjson(ctx, response):
    return [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line.strip()]
