"""Corrections keep history: every changed field of a directory record is written to
``dir_history`` in the same transaction as the change (who, which organisation, when,
old and new value), so who held a post or what a service said on a date stays answerable.

Rows for confidential fields (officers' contacts, refuge locations) are marked
``confidential`` and served only in the officers' tier.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_directory.tables import History


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return msgspec.json.encode(value).decode()


async def record(
    entity: str,
    key: str,
    field_name: str,
    previous: Any,
    replacement: Any,
    *,
    action: str,
    changed_by: str,
    changed_by_org: str = "",
    confidential: bool = True,
) -> None:
    await History.insert(
        History(
            entity=entity,
            entity_key=key,
            action=action,
            field_name=field_name,
            previous_value=_text(previous),
            replacement_value=_text(replacement),
            changed_by=changed_by,
            changed_by_org=changed_by_org,
            changed_at=datetime.now(UTC),
            confidential=confidential,
        )
    )


JSON_FIELDS = frozenset({"phones", "schedules", "schedule", "taxonomy", "location_keys", "members", "corrected"})


def _same(a: Any, b: Any) -> bool:
    return msgspec.json.encode(a) == msgspec.json.encode(b)


async def apply_changes(
    row: Any,
    entity: str,
    changes: dict[str, Any],
    *,
    changed_by: str,
    changed_by_org: str = "",
    public_fields: frozenset[str] = frozenset(),
    skip: frozenset[str] | set[str] = frozenset(),
    mark_corrected: bool = False,
) -> list[str]:
    """Set ``changes`` on ``row`` (a Piccolo object), recording each real change.

    ``skip`` names fields left alone (fields officers corrected, during a plugin reload);
    ``mark_corrected`` adds the changed fields to the row's ``corrected`` list so later
    plugin loads keep them. Returns the changed field names; the caller saves the row.
    """
    changed: list[str] = []
    for name, new in changes.items():
        if name in skip:
            continue
        old = getattr(row, name)
        if isinstance(old, str) and name in JSON_FIELDS:
            old = msgspec.json.decode(old) if old else None
        if _same(old, new):
            continue
        setattr(row, name, msgspec.json.encode(new).decode() if name in JSON_FIELDS and new is not None else new)
        await record(
            entity,
            row.key,
            name,
            old,
            new,
            action="correct" if mark_corrected else "reload",
            changed_by=changed_by,
            changed_by_org=changed_by_org,
            confidential=name not in public_fields,
        )
        changed.append(name)
    if mark_corrected and changed and hasattr(row, "corrected"):
        current = row.corrected
        current = msgspec.json.decode(current) if isinstance(current, str) else (current or [])
        row.corrected = msgspec.json.encode(sorted(set(current) | set(changed))).decode()
    return changed


async def history_of(entity: str, key: str, *, include_confidential: bool) -> list[dict[str, Any]]:
    q = History.select().where((History.entity == entity) & (History.entity_key == key))
    if not include_confidential:
        q = q.where(History.confidential == False)  # noqa: E712 - Piccolo expression
    return await q.order_by(History.changed_at).order_by(History.id)
