"""Who the ``dales-seven-locks`` plugin serves."""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "003_8738e4ccc4c4272a.txt"
ORGANISATIONS = (
    Organisation(id="dales-housing", name="Dales Housing", kind="housing_association", source=SEED),
    Organisation(id="seven-locks-housing", name="Seven Locks Housing", kind="housing_association", source=SEED),
)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="dales-seven-locks",
        organisations=ORGANISATIONS,
        summary="Housing association DV policy AG/013",
        seeds=(SEED,),
    )
