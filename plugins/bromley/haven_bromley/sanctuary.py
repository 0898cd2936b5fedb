"""London Borough of Bromley's sanctuary scheme (seed ``001_2a45bb55c36fcb52.txt``).

"Sanctuary Scheme — Staff complete a referral form for the scheme. Majority of referrals
come from the police and not through Housing Options." The seed gives no timescales or
catalogue: Bromley runs the core workflow with the core defaults.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.sanctuary import SanctuaryScheme

SCHEME = SanctuaryScheme(
    org="bromley",
    name="Bromley Sanctuary Scheme",
    borough="Bromley",
    police_org="met-police",
    source="001_2a45bb55c36fcb52.txt",
)


@hookimpl
def haven_sanctuary_scheme(org: str) -> SanctuaryScheme | None:
    return SCHEME if org == "bromley" else None
