"""Loading plugin directory data at start-up and on upgrade, idempotently.

Each organisation a loaded plugin serves is a partner; its plugins' ``DirectoryData`` is
merged in plugin-name order and upserted by stable key. A record that breaks the contract
(an unknown taxonomy code, an officer for another organisation) is skipped and reported in
the log and on ``/health``-style diagnostics (``ctx.extras["directory_load_errors"]``),
never loaded half-way.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from haven_runtime.context import ServiceContext
from haven_directory.officers import upsert_officer
from haven_directory.organisations import agency_from_manifest, upsert_organisation
from haven_directory.services_catalogue import upsert_forum, upsert_location, upsert_service
from haven_directory.taxonomy import unknown_codes

log = logging.getLogger("haven.directory.seed")


async def load_directory(ctx: ServiceContext) -> dict[str, int]:
    """Upsert every plugin's directory data; returns counts of records seen by kind."""
    counts = {"organisations": 0, "officers": 0, "services": 0, "locations": 0, "forums": 0}
    errors: list[str] = []
    today = datetime.now(UTC).date()
    seen_orgs: set[str] = set()
    served = {o.id for o in ctx.plugins.organisations()}
    for organisation in ctx.plugins.organisations():
        by = f"plugin:{organisation.id}"
        async with ctx.store.transaction():
            if organisation.id not in seen_orgs:
                await upsert_organisation(agency_from_manifest(organisation), partner=True, changed_by=by)
                seen_orgs.add(organisation.id)
                counts["organisations"] += 1
            for data in ctx.plugins.call_results(organisation.id, "haven_directory_data"):
                for agency in data.agencies:
                    if agency.id in seen_orgs and agency.id != organisation.id:
                        continue
                    await upsert_organisation(agency, partner=agency.id in served, changed_by=by)
                    seen_orgs.add(agency.id)
                    counts["organisations"] += 1
                for loc in data.locations:
                    await upsert_location(ctx, loc, changed_by=by)
                    counts["locations"] += 1
                for svc in data.services:
                    bad = unknown_codes(svc.taxonomy)
                    if bad:
                        errors.append(f"{organisation.id}: service {svc.key!r} has unknown taxonomy code(s) {bad}")
                        continue
                    await upsert_service(svc, changed_by=by)
                    counts["services"] += 1
                for forum in data.forums:
                    await upsert_forum(forum, changed_by=by)
                    counts["forums"] += 1
                for officer in data.officers:
                    if officer.org != organisation.id:
                        errors.append(f"{organisation.id}: officer {officer.key!r} belongs to {officer.org!r}")
                        continue
                    await upsert_officer(officer, changed_by=by, today=today)
                    counts["officers"] += 1
    for error in errors:
        log.error("directory data rejected: %s", error)
    ctx.extras["directory_load_errors"] = errors
    ctx.extras["directory_load_counts"] = counts
    return counts
