"""Shared pieces of the confidential tier: the partner check, the audited read and the
``purpose`` every confidential read must state (DESIGN.md principle 7)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.exceptions import PermissionDeniedException
from litestar.params import QueryParameter

from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_directory.organisations import is_partner

Purpose = Annotated[str, QueryParameter(min_length=3, max_length=200, description="Why you are reading this (audited)")]


async def require_partner(ctx: ServiceContext, principal: Principal) -> None:
    """Only officers of partner organisations see the confidential tier (403 otherwise)."""
    if not (ctx.plugins.serves(principal.org) or await is_partner(principal.org)):
        raise PermissionDeniedException("the confidential directory is open to partner organisations only")


async def audited_read(
    ctx: ServiceContext, principal: Principal, entity: str, ref: str, *, org: str = "", purpose: str, detail: dict[str, Any] | None = None,
) -> None:
    await require_partner(ctx, principal)
    async with ctx.store.transaction() as uow:
        await uow.audit(principal, "read", entity, ref, entity_org=org, purpose=purpose, detail=detail)


def may_edit(principal: Principal, org: str) -> None:
    """Corrections are made by the owning organisation's officers (or an admin)."""
    if principal.org != org and "admin" not in principal.roles:
        raise PermissionDeniedException("you may correct only your own organisation's entries")
