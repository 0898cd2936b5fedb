"""The append-only audit writer (every read of a case is audited).

The audit table has no update or delete path in Haven's code: this module only inserts and
queries. Records say who (subject, organisation, roles), when, what (action, entity,
reference) and why (purpose).

Two rules live here so every service applies them the same way:

* every read of personal data states a purpose from one closed list (:data:`PURPOSES`,
  documented in ``docs/security.md``), so the trail can be searched and reviewed by purpose
  rather than by whatever an officer typed;
* a refused read or write is itself audited (:func:`refuse`): who tried, what, and why it was
  refused. The record must outlive the transaction the refusal rolls back, so the store writes
  it after the rollback.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, get_args

import msgspec
from litestar.params import QueryParameter

from haven_runtime.errors import HavenError

if TYPE_CHECKING:
    from haven_runtime.identity import Principal
    from haven_runtime.store import Store
    from haven_runtime.tables import AuditColumns

PurposeName = Literal["casework", "safeguarding", "referral", "inspection", "move", "contact", "correction", "audit"]
PURPOSES: dict[str, str] = {
    "casework": "working the case or referral the record belongs to",
    "safeguarding": "assessing or acting on a risk to someone (DASH, MARAC, safety planning)",
    "referral": "making, receiving or answering a referral or notification between organisations",
    "inspection": "a crime-prevention officer's visit to the property (sanctuary)",
    "move": "arranging a reciprocal move for the household",
    "contact": "finding who to contact at a partner organisation or service (directory)",
    "correction": "checking or correcting a record",
    "audit": "audit, complaint, or a data-subject request",
}
assert set(PURPOSES) == set(get_args(PurposeName)), "PURPOSES and PurposeName must list the same purposes"
Purpose = Annotated[
    PurposeName,
    QueryParameter(description="Why you are reading this personal data (audited): one of " + ", ".join(PURPOSES)),
]
"""The ``purpose`` query parameter of every read of personal data: required; a missing or
unknown value is a 400 naming ``purpose``."""


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


class Refused(HavenError):
    """A refused read or write: the caller gets 403 or 404 (saying nothing about whether the
    record exists) and the audit trail gets who, what and why."""

    def __init__(
        self,
        principal: "Principal | None",
        action: str,
        entity: str,
        entity_ref: str,
        *,
        entity_org: str,
        purpose: str,
        reason: str,
        status_code: int,
        told: str | None = None,
        field: str | None = None,
    ) -> None:
        said = told or ("not found" if status_code == 404 else "not permitted")
        super().__init__(f"{field}: {said}" if field else said, field=field, message=said)
        self.status_code = status_code
        self.principal, self.action, self.entity, self.entity_ref = principal, action, entity, entity_ref
        self.entity_org, self.purpose, self.reason = entity_org, purpose, reason


async def refuse(
    store: "Store",
    principal: "Principal | None",
    action: str,
    entity: str,
    entity_ref: str,
    *,
    reason: str,
    entity_org: str = "",
    purpose: str = "",
    status_code: int = 404,
    told: str | None = None,
    field: str | None = None,
) -> NoReturn:
    """Refuse ``action`` on a record and audit the refusal (action ``<action>_refused``).

    The one way every service refuses. Inside a unit of work the refusal rolls the change back
    and the store records it after the rollback; outside one it is recorded at once.
    ``entity_org`` is the owner when the record exists (its auditors see the attempt) and
    ``""`` when it does not. ``told`` is what the caller reads instead of the bare status, only
    where the caller already knows the record exists; ``field`` names the input that named
    the record, when it came in a body rather than the path."""
    async with store.transaction():
        raise Refused(
            principal,
            action,
            entity,
            entity_ref,
            entity_org=entity_org,
            purpose=purpose,
            reason=reason,
            status_code=status_code,
            told=told,
            field=field,
        )


class AuditWriter:
    def __init__(self, table: type[AuditColumns]) -> None:
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
    ) -> AuditColumns:
        """The audit row, not yet inserted."""
        return self.table(
            **self.fields(principal, action, entity, entity_ref, entity_org=entity_org, purpose=purpose, detail=detail)
        )

    @staticmethod
    def fields(
        principal: "Principal | None",
        action: str,
        entity: str,
        entity_ref: str,
        *,
        entity_org: str = "",
        purpose: str = "",
        detail: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The audit row's values by column name (what :meth:`record` and the grouped audit insert write)."""
        return {
            "at": datetime.now(UTC),
            "actor": principal.sub if principal else "system",
            "actor_org": principal.org if principal else "",
            "roles": ",".join(sorted(principal.roles)) if principal else "",
            "action": action,
            "entity": entity,
            "entity_ref": entity_ref,
            "entity_org": entity_org,
            "purpose": purpose,
            "detail": msgspec.json.encode(detail or {}).decode(),
        }

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

    async def record_refusal(self, refusal: Refused) -> None:
        """Write a refusal (outside any transaction: the refused one was rolled back)."""
        await self.write(
            refusal.principal,
            f"{refusal.action}_refused"[:50],
            refusal.entity,
            refusal.entity_ref[:100],
            entity_org=refusal.entity_org,
            purpose=refusal.purpose,
            detail={"reason": refusal.reason, "status": refusal.status_code},
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
        """The newest entries, of ``org``'s records when given."""
        q = self.table.select().order_by(self.table.at, ascending=False).limit(limit)
        if org:
            q = q.where(self.table.entity_org == org)
        return [msgspec.convert(r, AuditEntry, strict=False) for r in await q]
