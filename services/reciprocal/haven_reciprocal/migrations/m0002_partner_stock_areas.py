"""Partner stock areas."""

from __future__ import annotations

from piccolo.columns import JSON

from haven_runtime.schema import AddColumn, Migration

MIGRATION = Migration(
    [
        AddColumn('reciprocal_partner', 'stock_areas', JSON(default='[]')),
    ]
)
