"""Organisations the directory lists: Haven's partner organisations (those a loaded plugin
serves) and the agencies their procedures signpost to — Refuge, Women's Aid groups,
Victim Support, IDVA services, Citizens Advice, law centres, helplines (seeds ``001``,
``004`` Appendix B, ``003`` principle 9: "an up to date list of local agencies").

Organisations and their public phones, e-mails and websites are public organisational
contacts (``seeds/README.md``) and are published in the HSDS tier.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.plugin.directory import AgencyRecord
from haven_contracts.plugin.records import Organisation
from haven_contracts.plugin.taxonomy import stable_id
from haven_directory.history import apply_changes, record
from haven_directory.tables import DirOrganisation

PUBLIC_FIELDS = frozenset({"name", "kind", "description", "email", "url", "phones", "area"})


def _values(rec: AgencyRecord) -> dict[str, Any]:
    return {
        "name": rec.name,
        "kind": rec.kind,
        "description": rec.description,
        "email": rec.email,
        "url": rec.url,
        "phones": [msgspec.to_builtins(p) for p in rec.phones],
        "area": rec.area,
    }


def agency_from_manifest(org: Organisation) -> AgencyRecord:
    return AgencyRecord(id=org.id, name=org.name, kind=org.kind, area=org.area, source=org.source)


async def upsert_organisation(rec: AgencyRecord, *, partner: bool, changed_by: str) -> bool:
    """Insert ``rec`` or refresh its uncorrected fields; True when something changed.

    A manifest entry (name and kind only) never blanks contact details another plugin or
    an officer supplied: empty values in ``rec`` are not applied to an existing row.
    """
    now = datetime.now(UTC)
    existing = await DirOrganisation.objects().where(DirOrganisation.key == rec.id).first()
    values = _values(rec)
    if existing is None:
        columns: dict[str, Any] = {
            k: (msgspec.json.encode(v).decode() if k == "phones" else v) for k, v in values.items()
        }
        await DirOrganisation.insert(
            DirOrganisation(
                key=rec.id,
                uid=stable_id("organization", rec.id),
                partner=partner,
                source=rec.source,
                updated_at=now,
                **columns,
            )
        )
        await record(
            "organisation", rec.id, "*", None, values, action="create", changed_by=changed_by, confidential=False
        )
        return True
    corrected = set(msgspec.json.decode(existing.corrected or "[]"))
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    changed = await apply_changes(
        existing, "organisation", values, changed_by=changed_by, public_fields=PUBLIC_FIELDS, skip=corrected
    )
    if partner and not existing.partner:
        existing.partner = True
        changed.append("partner")
    if changed:
        existing.updated_at = now
        await existing.save()
    return bool(changed)


async def is_partner(org: str) -> bool:
    return await DirOrganisation.exists().where((DirOrganisation.key == org) & (DirOrganisation.partner == True))  # noqa: E712


async def by_uid(uid: str) -> DirOrganisation | None:
    return await DirOrganisation.objects().where(DirOrganisation.uid == uid).first()


async def by_key(key: str) -> DirOrganisation | None:
    return await DirOrganisation.objects().where(DirOrganisation.key == key).first()
