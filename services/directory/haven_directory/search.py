"""The officers' directory search: organisations and agencies, services and officers in one answer.

Every word typed must appear in the record or in its organisation's name ("Bexley Women" finds
Bexley Women's Aid and its services). Partner organisations' officers also see confidential
services (with their locations) and officers, and that read is audited with its purpose; anyone
else signed in sees the public tier only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from haven_directory.access import audited_read
from haven_directory.officer_records import view as officer_view
from haven_directory.organisations import is_partner
from haven_directory.service_listing import full_services, public_services
from haven_directory.services_catalogue import location_view
from haven_directory.tables import DirOrganisation, Officer
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal


@dataclass
class Found:
    organisations: list[DirOrganisation] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    officers: list[dict[str, Any]] | None = None
    partner: bool = False


def matches(words: list[str], *texts: str | None) -> bool:
    text = " ".join(t for t in texts if t).casefold()
    return all(w in text for w in words)


async def search(ctx: ServiceContext, principal: Principal, q: str, org: str | None, *, purpose: str) -> Found:
    words = q.casefold().split()
    partner = ctx.plugins.serves(principal.org) or await is_partner(principal.org)
    orgs = {o.key: o for o in await DirOrganisation.objects()}

    def org_name(key: str) -> str:
        return orgs[key].name if key in orgs else key

    found = Found(partner=partner)
    found.organisations = sorted(
        (
            o
            for o in orgs.values()
            if (not org or o.key == org) and matches(words, o.name, o.description, o.area, o.kind.replace("_", " "))
        ),
        key=lambda o: o.name,
    )
    rows = [
        r
        for r in await public_services(include_confidential=partner)
        if (not org or r.org == org) and matches(words, r.name, r.description, org_name(r.org), r.area)
    ]
    decrypt = (lambda loc: (lambda v: (v["address_1"], v["postal_code"]))(location_view(ctx, loc))) if partner else None
    records = await full_services(rows, orgs, tier="confidential" if partner else "public", decrypt=decrypt)
    # with what the page needs beside the HSDS record: whose it is (for the organisation column and
    # for who may correct it) and whether it is confidential
    found.services = [
        rec | {"key": r.key, "org_key": r.org, "org_name": org_name(r.org), "confidential": r.confidential}
        for r, rec in zip(rows, records)
    ]
    if partner:
        await audited_read(
            ctx,
            principal,
            "service",
            "search",
            purpose=purpose,
            detail={"count": len(rows), "confidential": sum(1 for r in rows if r.confidential)},
        )
        people = Officer.objects().where(Officer.active == True).order_by(Officer.org).order_by(Officer.name)  # noqa: E712
        if org:
            people = people.where(Officer.org == org)
        chosen = [o for o in await people if matches(words, o.name, o.job_title, o.team, org_name(o.org))]
        await audited_read(
            ctx,
            principal,
            "officer",
            f"search:{org or '*'}",
            org=org or "",
            purpose=purpose,
            detail={"count": len(chosen)},
        )
        found.officers = [await officer_view(o) for o in chosen]
    return found
