"""Options service events: cases and the Joint Working Agreement across boroughs
(seed ``000_93a7cd5d2a8b6030.txt``). References only — never a name, address or free text."""

from __future__ import annotations

from datetime import datetime

from haven_contracts.ids import OrgId
from haven_contracts.messages import Event


class MoveNotified(Event):
    """JWA advance contact: borough ``org`` (duty accepted) tells borough ``to_org`` that the
    client intends to approach it. Addressed to B's named officers by directory id."""

    service = "options"
    name = "move-notified"
    version = 1

    to_org: OrgId
    notification_ref: str
    case_ref: str
    addressed_to: list[str]
    notified_at: datetime
    information_shared: bool = False
