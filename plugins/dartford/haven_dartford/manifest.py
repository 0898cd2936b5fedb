"""Who the ``dartford`` plugin serves."""

from __future__ import annotations

from datetime import time

from haven_contracts.clocks import OfficeHours
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest

SEED = "004_d4b796f614d2cfd3.txt"

#: "8:45am and 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday" (seed 004, section 3 and 5).
OFFICE_HOURS = OfficeHours(
    days={
        **{day: (time(8, 45), time(17, 15)) for day in (1, 2, 3, 4)},
        5: (time(8, 45), time(16, 45)),
    },
    source="004_d4b796f614d2cfd3.txt: 8:45am-5:15pm Monday to Thursday, 8:45am-4:45pm Friday",
)
ORGANISATIONS = (
    Organisation(
        id="dartford", name="Dartford Borough Council", kind="local_authority", office_hours=OFFICE_HOURS, source=SEED
    ),
)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="dartford",
        organisations=ORGANISATIONS,
        summary="Dartford's sanctuary scheme referral procedure",
        seeds=(SEED,),
    )
