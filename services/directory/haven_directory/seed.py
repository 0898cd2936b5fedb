"""Loading plugin directory data at start-up and on upgrade, idempotently.

Each organisation this deployment hosts is a partner; its plugins' ``DirectoryData`` is
merged in plugin-name order and upserted by stable key. Organisations another deployment
hosts are not seeded here, even when their plugin is installed or a hosted organisation
lists them: their owner's directory publishes them.
A record that breaks the contract (an unknown taxonomy code, an officer for another organisation) is skipped and
reported in the log and on ``/health``-style diagnostics (``ctx.extras["directory_load_errors"]``),
never loaded half-way.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import msgspec

from haven_contracts.plugin.directory import AgencyRecord, DirectoryData, ServiceRecord
from haven_contracts.plugin.taxonomy import unknown_codes
from haven_directory.listings import publish_listing
from haven_directory.officers import upsert_officer
from haven_directory.organisations import agency_from_manifest, upsert_organisation
from haven_directory.publishing import publish_holders
from haven_directory.services_catalogue import upsert_forum, upsert_location, upsert_service
from haven_runtime.context import ServiceContext
from haven_runtime.db import serialise

log = logging.getLogger("haven.directory.seed")


def _merge(first: AgencyRecord, later: AgencyRecord) -> AgencyRecord:
    """Fill fields ``first`` left empty from a later listing of the same agency."""
    fill = {
        f: getattr(later, f)
        for f in ("description", "email", "url", "phones", "area")
        if not getattr(first, f) and getattr(later, f)
    }
    return msgspec.structs.replace(first, **fill) if fill else first


async def load_directory(ctx: ServiceContext) -> dict[str, int]:
    """Upsert every plugin's directory data; returns counts of records loaded by kind."""
    errors: list[str] = []
    today = datetime.now(UTC).date()
    served = {o.id for o in ctx.plugins.organisations()}
    hosted = served & ctx.deployment.orgs
    foreign = served - hosted
    agencies: dict[str, tuple[str, AgencyRecord]] = {}
    services: dict[str, tuple[str, ServiceRecord]] = {}
    per_org: list[tuple[str, DirectoryData]] = []
    for organisation in ctx.plugins.organisations():
        if organisation.id not in hosted:
            continue
        agencies.setdefault(organisation.id, (organisation.id, agency_from_manifest(organisation)))
        for data in ctx.plugins.call_results(organisation.id, "haven_directory_data"):
            per_org.append((organisation.id, data))
            for agency in data.agencies:
                if agency.id in foreign:
                    continue
                if agency.id in agencies:
                    who, seen = agencies[agency.id]
                    # an organisation's own entry outranks its manifest line and others' listings of it
                    own = agency.id == organisation.id
                    agencies[agency.id] = (
                        organisation.id if own else who,
                        _merge(agency, seen) if own else _merge(seen, agency),
                    )
                else:
                    agencies[agency.id] = (organisation.id, agency)
            for svc in data.services:
                bad = unknown_codes(svc.taxonomy)
                if bad:
                    errors.append(f"{organisation.id}: service {svc.key!r} has unknown taxonomy code(s) {bad}")
                else:
                    services.setdefault(svc.key, (organisation.id, svc))
    counts = {"organisations": len(agencies), "services": len(services), "officers": 0, "locations": 0, "forums": 0}
    async with ctx.store.transaction() as uow:
        await serialise(ctx.engine, "directory-seed")  # replicas starting together upsert in turn
        for key, (by, agency) in agencies.items():
            await upsert_organisation(agency, partner=key in hosted, changed_by=f"plugin:{by}")
        for org, data in per_org:
            for loc in data.locations:
                await upsert_location(ctx, loc, changed_by=f"plugin:{org}")
                counts["locations"] += 1
        for by, svc in services.values():
            await upsert_service(svc, changed_by=f"plugin:{by}")
        for org, data in per_org:
            for forum in data.forums:
                await upsert_forum(forum, changed_by=f"plugin:{org}")
                counts["forums"] += 1
            for officer in data.officers:
                if officer.org != org:
                    errors.append(f"{org}: officer {officer.key!r} belongs to {officer.org!r}")
                    continue
                await upsert_officer(officer, changed_by=f"plugin:{org}", today=today)
                counts["officers"] += 1
        for org in sorted(hosted):
            await publish_holders(uow, org)
            await publish_listing(uow, org)
    for error in errors:
        log.error("directory data rejected: %s", error)
    ctx.extras["directory_load_errors"] = errors
    ctx.extras["directory_load_counts"] = counts
    return counts
