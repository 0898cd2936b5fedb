"""The taxonomy as HSDS ``taxonomy`` and ``taxonomy_term`` records.

The terms themselves are part of the plugin contract (:mod:`haven_contracts.plugin.taxonomy`),
so plugins check their codes against the same list the directory publishes.
"""

from __future__ import annotations

from typing import Any

from haven_contracts.plugin.taxonomy import (
    BY_CODE,
    TAXONOMY_DESCRIPTION,
    TAXONOMY_ID,
    TAXONOMY_NAME,
    TAXONOMY_VERSION,
    Term,
)


def taxonomy_record() -> dict:
    return {
        "id": TAXONOMY_ID,
        "name": TAXONOMY_NAME,
        "description": TAXONOMY_DESCRIPTION,
        "version": TAXONOMY_VERSION,
    }


def term_record(term: Term, *, nested: bool = True) -> dict:
    record: dict[str, Any] = {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "taxonomy_id": TAXONOMY_ID,
        "language": "en",
    }
    if term.parent:
        record["parent_id"] = BY_CODE[term.parent].id
    if nested:
        record["taxonomy_detail"] = taxonomy_record()
    return record
