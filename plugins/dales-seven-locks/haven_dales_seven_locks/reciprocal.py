"""Dales Housing / Seven Locks Housing in housing reciprocals (seed ``003_8738e4ccc4c4272a.txt``).

Principle 8: "Where a transfer is offered to the victim, this will normally be on a like
for like basis and where possible, away from the victim's local area. If a transfer away
from the local area cannot be achieved from within the Group's own stock, it will seek to
make a reciprocal arrangement with another landlord."

Both landlords are registered providers that may sign a reciprocal memorandum; the policy
does not say where their stock is, so ``stock_areas`` is left open.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.reciprocal import PartnerProfile
from haven_dales_seven_locks.manifest import SEED


@hookimpl
def haven_reciprocal_partner_profile(org: str) -> PartnerProfile | None:
    return PartnerProfile(
        org=org,
        kind="registered_provider",
        like_for_like=True,
        reciprocal_when_own_stock_cannot=True,
        escalation_to="Group Chief Executive",
        source=f"{SEED} principle 8",
    )
