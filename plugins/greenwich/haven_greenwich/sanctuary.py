"""Royal Borough of Greenwich's Sanctuary Project (seed ``001_2a45bb55c36fcb52.txt``).

"Options officer complete sanctuary form which is faxed to the sanctuary project officer.
Undertakes a property risk assessment with crime prevention officer within 24 hours and
usually completed within 2 working days." The 24-hour assessment replaces the core
"ask the police within 3 working days" clock; the other values are core defaults.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import ClockRule, SanctuaryScheme

SEED = "001_2a45bb55c36fcb52.txt"

CLOCKS = (
    ClockRule(
        key="cpo_assessment",
        label="Property risk assessment with the crime prevention officer",
        starts="received",
        stops="inspected",
        office_hours_only=True,
        level=ServiceLevel(
            amount=24,
            unit="hours",
            source=f"{SEED}: property risk assessment with crime prevention officer within 24 hours",
        ),
    ),
    ClockRule(
        key="assessment_complete",
        label="Property risk assessment completed",
        starts="received",
        stops="recommendations_received",
        office_hours_only=True,
        level=ServiceLevel(amount=2, unit="working_days", source=f"{SEED}: usually completed within 2 working days"),
    ),
)

SCHEME = SanctuaryScheme(
    org="greenwich",
    name="Greenwich Sanctuary Project",
    borough="Greenwich",
    clocks=CLOCKS,
    omit_core_clocks=("police_request",),
    police_org="met-police",
    source=SEED,
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "greenwich" else None
