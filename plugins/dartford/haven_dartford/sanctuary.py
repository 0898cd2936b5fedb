"""Dartford Borough Council's Sanctuary Scheme (seed ``004_d4b796f614d2cfd3.txt``, the reference process).

Office hours (sections 3 and 5), the security measures available (section 4), funding by
tenure (section 6) and the timescales of section 9: "DBC will ask the Police within 3
working days, to carry out an assessment in the form of an inspection"; "arrangements for
the works to be carried out within 24 hours of receiving the assessment back"; completion
"according to contractor timescales, however in some cases this may need to be treated as
an emergency" (no emergency figure in the seed: the core default applies).
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import ClockRule, FundingRule, SanctuaryScheme, SecurityMeasure
from haven_dartford.manifest import OFFICE_HOURS

SEED = "004_d4b796f614d2cfd3.txt"

CLOCKS = (
    ClockRule(
        key="police_request",
        label="Ask the Police to inspect the property",
        starts="received",
        stops="inspection_requested",
        office_hours_only=True,
        level=ServiceLevel(
            amount=3, unit="working_days", source=f"{SEED} s.9: DBC will ask the Police within 3 working days"
        ),
    ),
    ClockRule(
        key="works_arranged",
        label="Arrange the works",
        starts="recommendations_received",
        stops="works_ordered",
        level=ServiceLevel(
            amount=24, unit="hours", source=f"{SEED} s.9: within 24 hours of receiving the assessment back"
        ),
    ),
    ClockRule(
        key="works_completion",
        label="Complete the works (contractor's timescale)",
        starts="works_ordered",
        stops="works_completed",
        categories=("standard",),
    ),
    ClockRule(
        key="works_completion_emergency",
        label="Complete emergency works",
        starts="works_ordered",
        stops="works_completed",
        categories=("emergency",),
        level=ServiceLevel(amount=24, unit="hours", source="core default: emergency works within 24 hours"),
    ),
)

CATALOGUE = tuple(
    SecurityMeasure(key=k, label=v, source=f"{SEED} s.4")
    for k, v in (
        ("fire_proof_letter_box", "Fire proof letter box"),
        ("double_locking_night_latch", "Double locking night latch"),
        ("mortice_lock", "Mortice lock"),
        ("mortice_bolt", "Mortice bolt"),
        ("door_chain", "Door chain"),
        ("mirror_tile", "Mirror tile"),
        ("window_lock", "Window lock"),
        ("door_viewer", "Door viewer"),
        ("london_bar", "London bar"),
        ("birmingham_bar", "Birmingham bar"),
        ("pas_24_door", "PAS 24 door"),
        ("security_lighting", "Security lighting"),
        ("trellis_toppings", "Trellis toppings"),
        ("fencing_2m", "2m fencing"),
        ("defensive_planting", "Defensive planting (Pyracantha, Gorse, Climbing roses, Hawthorn)"),
    )
)

FUNDING = (
    FundingRule(
        tenure="council_tenant",
        funding="existing_budget",
        source=f"{SEED} s.6: For DBC tenants, ... within existing budgets",
    ),
    FundingRule(
        tenure="private_sector_tenant",
        funding="preventing_homelessness_grant",
        source=f"{SEED} s.6: ... funded from Communities and Local Government Preventing Homelessness Grant",
    ),
    FundingRule(
        tenure="owner_occupier",
        funding="preventing_homelessness_grant",
        source=f"{SEED} s.6: ... funded from Communities and Local Government Preventing Homelessness Grant",
    ),
    FundingRule(
        tenure="housing_association_tenant",
        funding="landlord",
        fallback="council",
        source=f"{SEED} s.6: the Council will request the RSL resources the works, but will cover this cost if "
        "this is not possible",
    ),
)

SCHEME = SanctuaryScheme(
    org="dartford",
    name="Dartford Sanctuary Scheme",
    borough="Dartford",
    office_hours=OFFICE_HOURS,
    clocks=CLOCKS,
    catalogue=CATALOGUE,
    funding=FUNDING,
    police_org="kent-police",
    works_categories=("standard", "emergency"),
    source=SEED,
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "dartford" else None
