"""Who the ``southwark`` plugin serves."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "001_2a45bb55c36fcb52.txt"
ORGANISATIONS = (Organisation(id="southwark", name="London Borough of Southwark", kind="local_authority", source=SEED),)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="southwark", organisations=ORGANISATIONS, summary="Southwark's DV housing-options procedure", seeds=(SEED,)
    )
