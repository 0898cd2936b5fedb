"""London Borough of Bexley: the Bobby Van (seed ``001_2a45bb55c36fcb52.txt``).

"Bobby Van — Secures windows/doors/new front door, spy-holes, link-line alarms in client's
property directly linked to local police, set at green, amber, red." Bexley runs it as its
sanctuary scheme with the core workflow and defaults; its measures extend the catalogue.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import SanctuaryScheme, SecurityMeasure

SEED = "001_2a45bb55c36fcb52.txt"

SCHEME = SanctuaryScheme(org="bexley", name="Bexley Bobby Van", borough="Bexley", police_org="met-police", source=SEED)

BOBBY_VAN = tuple(
    SecurityMeasure(key=k, label=v, source=f"{SEED}: Bobby Van")
    for k, v in (
        ("window_security", "Window security"),
        ("door_security", "Door security"),
        ("new_front_door", "New front door"),
        ("spy_hole", "Spy-hole"),
        ("link_line_alarm", "Link-line alarm directly linked to local police (green, amber, red)"),
    )
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "bexley" else None


@hookimpl
def haven_sanctuary_catalogue(org: str) -> list[SecurityMeasure]:
    return list(BOBBY_VAN) if org == "bexley" else []
