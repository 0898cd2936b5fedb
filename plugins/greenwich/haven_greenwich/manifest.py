"""Who the ``greenwich`` plugin serves."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "001_2a45bb55c36fcb52.txt"
ORGANISATIONS = (Organisation(id="greenwich", name="Royal Borough of Greenwich", kind="local_authority", source=SEED),)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="greenwich",
        organisations=ORGANISATIONS,
        summary="Greenwich's DV housing-options procedure and sanctuary project",
        seeds=(SEED,),
    )
