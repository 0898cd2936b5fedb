"""Who the ``bexley`` plugin serves."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "001_2a45bb55c36fcb52.txt"
ORGANISATIONS = (Organisation(id="bexley", name="London Borough of Bexley", kind="local_authority", source=SEED),)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="bexley", organisations=ORGANISATIONS, summary="Bexley's DV housing-options procedure", seeds=(SEED,)
    )
