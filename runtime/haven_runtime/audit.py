"""The append-only audit writer (DESIGN.md principle 7: every read of a case is audited).

The audit table has no update or delete path in Haven's code: this module only inserts and
queries. Records say who (subject, organisation, roles), when, what (action, entity,
reference) and why (purpose).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from piccolo.table import Table

if TYPE_CHECKING:
    from haven_runtime.identity import Principal


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor: str
    actor_org: str
    roles: str
    action: str
    entity: str
    entity_ref: str
    entity_org: str
    purpose: str


class AuditWriter:
    def __init__(self, table: type[Table]) -> None:
        self.table = table

    def record(
        self,
        principal: "Principal | None",
        action: str,
        entity: str,
        entity_ref: str,
        *,
        entity_org: str = "",
        purpose: str = "",
        detail: dict[str, Any] | None = None,
    ) -> Table:
        """The audit row, not yet inserted."""
        return self.table(
            at=datetime.now(UTC),
            actor=principal.sub if principal else "system",
            actor_org=principal.org if principal else "",
            roles=",".join(sorted(principal.roles)) if principal else "",
            action=action,
            entity=entity,
            entity_ref=entity_ref,
            entity_org=entity_org,
            purpose=purpose,
            detail=msgspec.json.encode(detail or {}).decode(),
        )

    async def write(
        self,
        principal: "Principal | None",
        action: str,
        entity: str,
        entity_ref: str,
        *,
        entity_org: str = "",
        purpose: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        await self.table.insert(
            self.record(principal, action, entity, entity_ref, entity_org=entity_org, purpose=purpose, detail=detail)
        )

    async def who_has_seen(self, entity: str, entity_ref: str) -> list[AuditEntry]:
        """Every audited access of one record, oldest first."""
        rows = (
            await self.table.select()
            .where((self.table.entity == entity) & (self.table.entity_ref == entity_ref))
            .order_by(self.table.at)
        )
        return [msgspec.convert(r, AuditEntry, strict=False) for r in rows]

    async def query(self, *, org: str | None = None, limit: int = 200) -> list[AuditEntry]:
        q = self.table.select().order_by(self.table.at, ascending=False).limit(limit)
        if org:
            q = q.where(self.table.entity_org == org)
        return [msgspec.convert(r, AuditEntry, strict=False) for r in await q]
