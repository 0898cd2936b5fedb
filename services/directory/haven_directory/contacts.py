"""How a client reaches the services and agencies an officer signposts: names, telephone numbers
and opening hours in words, for the *options offered / advice given* sheet.

Seed ``000_93a7cd5d2a8b6030.txt``: "boroughs will provide links to appropriate support agencies
for the applicant"; ``003_8738e4ccc4c4272a.txt`` principle 9: "an up to date list of local
agencies". The answer is the public tier only — a confidential service (every refuge) is
never named on a sheet handed to a client — and the hours are the directory's typed sessions
(``004_d4b796f614d2cfd3.txt`` office hours and Appendix B) said in words, UK local time.
"""

from __future__ import annotations

from typing import Any

import msgspec

from haven_contracts.events.directory import ServiceContact, ServiceContactsLookup, ServiceContactsReply
from haven_directory.organisations import is_partner
from haven_directory.tables import CatalogueService, DirOrganisation
from haven_runtime.context import ServiceContext

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDER = list(DAY_NAMES)
NTH = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last"}


def _json(value: Any, default: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) and value else (value or default)


def _days(byday: str | None) -> str:
    """``MO,TU,WE,TH`` → "Monday to Thursday"; ``WE`` → "Wednesday"; ``2MO`` → "second Monday"."""
    if not byday:
        return ""
    parts = byday.split(",")
    if all(p in DAY_NAMES for p in parts):
        idx = [ORDER.index(p) for p in parts]
        if len(idx) == 7:
            return "every day"
        if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
            return f"{DAY_NAMES[parts[0]]} to {DAY_NAMES[parts[-1]]}"
        return ", ".join(DAY_NAMES[p] for p in parts)
    return ", ".join(f"{NTH.get(p[:-2], p[:-2])} {DAY_NAMES[p[-2:]]}".strip() for p in parts)


def _clock(hhmm: str) -> str:
    hour, minute = hhmm.split(":")[:2]
    return f"{int(hour)}:{minute}"


def hours_in_words(session: dict[str, Any]) -> str:
    """One typed session as a client reads it: "Monday to Thursday, 8:45 to 17:15" or "every day, 24 hours"."""
    opens, closes = (session.get("opens_at") or "")[:5], (session.get("closes_at") or "")[:5]
    if (opens, closes) == ("00:00", "23:59"):
        times = "24 hours"
    else:
        times = f"{_clock(opens)} to {_clock(closes)}" if opens and closes else ""
    every = session.get("interval")
    cadence = f"every {every} {'weeks' if session.get('freq') == 'WEEKLY' else 'months'}" if every and every > 1 else ""
    words = ", ".join(w for w in (_days(session.get("byday")), times, cadence) if w)
    return ": ".join(w for w in (session.get("description"), words) if w)


def _phones(items: Any) -> list[str]:
    return [
        " ".join(w for w in (p.get("number"), f"({p['description']})" if p.get("description") else None) if w)
        for p in _json(items, [])
        if p.get("number")
    ]


async def contact_of(key: str) -> ServiceContact | None:
    """The public contact of the service or organisation ``key``; None when it is unknown or confidential."""
    service = (
        await CatalogueService.objects()
        .where(
            (CatalogueService.key == key) & (CatalogueService.confidential == False)  # noqa: E712
        )
        .first()
    )
    if service is not None:
        org = await DirOrganisation.objects().where(DirOrganisation.key == service.org).first()
        name = service.name if org is None or org.name in service.name else f"{service.name} ({org.name})"
        phones = _phones(service.phones) or (_phones(org.phones) if org else [])
        hours = [h for h in (hours_in_words(s) for s in _json(service.schedules, [])) if h]
        return ServiceContact(key=key, name=name, phones=phones, hours=hours)
    org = await DirOrganisation.objects().where(DirOrganisation.key == key).first()
    if org is not None:
        return ServiceContact(key=key, name=org.name, phones=_phones(org.phones))
    return None


async def answer_service_contacts(ctx: ServiceContext, req: ServiceContactsLookup) -> ServiceContactsReply:
    """Request/reply: the public contacts of ``keys``, for a partner organisation's officers."""
    if not ctx.plugins.serves(req.requested_by) and not await is_partner(req.requested_by):
        return ServiceContactsReply(ok=False, error="forbidden", message="only partner organisations may ask")
    found = [await contact_of(key) for key in dict.fromkeys(req.keys)]
    return ServiceContactsReply(contacts=[c for c in found if c is not None])
