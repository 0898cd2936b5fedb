"""London Borough of Southwark's sanctuary scheme (seed ``001_2a45bb55c36fcb52.txt``).

"Sanctuary scheme. Options officer complete sanctuary form which is faxed to the sanctuary
project officer." The seed gives no timescales or catalogue: Southwark runs the core
workflow with the core defaults.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import SanctuaryScheme

SCHEME = SanctuaryScheme(
    org="southwark",
    name="Southwark Sanctuary Scheme",
    borough="Southwark",
    police_org="met-police",
    source="001_2a45bb55c36fcb52.txt",
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "southwark" else None
