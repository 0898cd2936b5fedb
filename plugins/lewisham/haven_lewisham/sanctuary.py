"""London Borough of Lewisham's sanctuary scheme (seed ``001_2a45bb55c36fcb52.txt``).

"Options officer complete sanctuary form which is emailed/faxed to the sanctuary project
officer. Timescales: Between 24-48 hours to complete a Risk Assessment. Within two working
days, appointment made for CPO to assess property. Within 5 working days, contractor will
install the security measures. For more complicated sanctuary, within 10 working days."

The risk assessment is the sanctuary officer's assessment of the referral (its eligibility
decision, which includes whether it is safe to remain); the range 24–48 hours is a target
and a deadline. Installation replaces the core contractor's-timescale clock.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import ClockRule, SanctuaryScheme

SEED = "001_2a45bb55c36fcb52.txt"

CLOCKS = (
    ClockRule(
        key="risk_assessment",
        label="Complete the risk assessment",
        starts="received",
        stops="eligibility_decided",
        office_hours_only=True,
        level=ServiceLevel(
            target=24, amount=48, unit="hours", source=f"{SEED}: Between 24-48 hours to complete a Risk Assessment"
        ),
    ),
    ClockRule(
        key="cpo_appointment",
        label="Appointment made for the CPO to assess the property",
        starts="received",
        stops="inspection_booked",
        office_hours_only=True,
        level=ServiceLevel(
            amount=2, unit="working_days", source=f"{SEED}: Within two working days, appointment made for CPO"
        ),
    ),
    ClockRule(
        key="installation",
        label="Contractor installs the security measures",
        starts="works_ordered",
        stops="works_completed",
        categories=("standard",),
        level=ServiceLevel(
            amount=5, unit="working_days", source=f"{SEED}: Within 5 working days, contractor will install"
        ),
    ),
    ClockRule(
        key="installation_complex",
        label="Contractor installs a more complicated sanctuary",
        starts="works_ordered",
        stops="works_completed",
        categories=("complex",),
        level=ServiceLevel(
            amount=10, unit="working_days", source=f"{SEED}: For more complicated sanctuary, within 10 working days"
        ),
    ),
)

SCHEME = SanctuaryScheme(
    org="lewisham",
    name="Lewisham Sanctuary Scheme",
    borough="Lewisham",
    clocks=CLOCKS,
    omit_core_clocks=("police_request", "works_completion"),
    works_categories=("standard", "complex", "emergency"),
    police_org="met-police",
    source=SEED,
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "lewisham" else None
