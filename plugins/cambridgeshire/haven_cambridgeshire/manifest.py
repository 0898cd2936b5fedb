"""Who the ``cambridgeshire`` plugin serves."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "002_c1c7b199d9a53274.txt"
ORGANISATIONS = (
    Organisation(
        id="cambridgeshire-da-services",
        name="Cambridgeshire Specialist DA Services",
        kind="specialist_da_service",
        source=SEED,
    ),
    Organisation(id="cambridge", name="Cambridge City Council", kind="local_authority", source=SEED),
    Organisation(
        id="east-cambridgeshire", name="East Cambridgeshire District Council", kind="local_authority", source=SEED
    ),
    Organisation(id="fenland", name="Fenland District Council", kind="local_authority", source=SEED),
    Organisation(id="huntingdonshire", name="Huntingdonshire District Council", kind="local_authority", source=SEED),
    Organisation(
        id="south-cambridgeshire", name="South Cambridgeshire District Council", kind="local_authority", source=SEED
    ),
    Organisation(id="peterborough", name="Peterborough City Council", kind="local_authority", source=SEED),
)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="cambridgeshire",
        organisations=ORGANISATIONS,
        summary="The Cambridgeshire Housing Reciprocal Agreement (memorandum of understanding)",
        seeds=(SEED,),
    )
