"""Shared pieces of the confidential tier: the partner check, the audited read and the
``purpose`` every confidential read must state."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from haven_directory.organisations import is_partner
from haven_runtime.audit import Purpose, refuse
from haven_runtime.context import ServiceContext
from haven_runtime.identity import SENIOR_ROLES, Principal

__all__ = ["Purpose", "audited_read", "may_edit", "require_partner"]


async def require_partner(ctx: ServiceContext, principal: Principal) -> None:
    """Only officers of partner organisations see the confidential tier (403 otherwise, audited)."""
    if not (ctx.plugins.serves(principal.org) or await is_partner(principal.org)):
        await refuse(
            ctx.store,
            principal,
            "read",
            "directory",
            "confidential tier",
            status_code=403,
            reason="the confidential directory is open to partner organisations only",
        )


async def audited_read(
    ctx: ServiceContext,
    principal: Principal,
    entity: str,
    ref: str,
    *,
    org: str = "",
    purpose: str,
    detail: dict[str, Any] | None = None,
) -> None:
    await require_partner(ctx, principal)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "read", entity, ref, entity_org=org, purpose=purpose, detail=detail)


async def may_edit(
    ctx: ServiceContext, principal: Principal, entity: str, key: str, org: str, *, roles: Iterable[str] = SENIOR_ROLES
) -> None:
    """Only the owning organisation changes its records, and only its officers holding one of
    ``roles`` (its seniors by default); an ``admin`` of another organisation is refused like
    anyone else (403, audited)."""
    if principal.org != org or not principal.has_any(roles):
        await refuse(
            ctx.store,
            principal,
            "update",
            entity,
            key,
            entity_org=org,
            status_code=403,
            reason="only the owning organisation's seniors may change its records",
        )
