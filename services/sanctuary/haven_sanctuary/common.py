"""Shared helpers: loading a referral for an actor, and the case log.

Access rules: a referral belongs to the scheme operator (``org``). Its ``sanctuary_officer``
officers work it; ``police_cpo`` officers of the scheme org or of the scheme's police
partner record inspections, and see the property's address only from the inspection request
on; the referrer organisation sees only the status of its own referrals. Anyone else gets the
same 404 as for a reference that does not exist, and every refusal is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NoReturn, get_args

import msgspec

from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unavailable
from haven_runtime.identity import Principal, Role
from haven_sanctuary.schemes import Scheme, scheme_for
from haven_sanctuary.tables import SanctuaryHistory, SanctuaryReferral

OFFICER_ROLES = frozenset({"sanctuary_officer", "admin"})
POLICE_ROLES = frozenset({"police_cpo", "sanctuary_officer", "admin"})
#: Who may submit the referral form (Appendix A) to a scheme
REFERRER_ROLES: tuple[str, ...] = tuple(
    r for r in get_args(Role) if r not in {"subgroup_member", "auditor", "admin", "operator"}
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


async def refused(
    ctx: ServiceContext,
    principal: Principal,
    ref: str,
    row: SanctuaryReferral | None,
    *,
    action: str,
    reason: str,
    purpose: str = "",
) -> NoReturn:
    """The 404 every refusal answers (whether or not the referral exists), audited with who,
    what and why; the scheme's auditors see attempts on its referrals."""
    await refuse(
        ctx.store,
        principal,
        action,
        "sanctuary_referral",
        ref,
        entity_org=row.org if row else "",
        purpose=purpose,
        reason="no such referral" if row is None else reason,
        status_code=404,
    )


async def audit_listing(ctx: ServiceContext, principal: Principal, purpose: str, count: int) -> None:
    """Audit that ``principal`` listed ``count`` of their organisation's referrals for ``purpose``."""
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "list",
            "sanctuary_referral",
            principal.org,
            entity_org=principal.org,
            purpose=purpose,
            detail={"count": count},
        )


async def referral(ref: str) -> SanctuaryReferral | None:
    return await SanctuaryReferral.objects().where(SanctuaryReferral.ref == ref).first()


async def for_officer(
    ctx: ServiceContext, ref: str, principal: Principal, *, action: str = "read", purpose: str = ""
) -> tuple[SanctuaryReferral, Scheme]:
    """The referral for a sanctuary officer of the scheme org (404 otherwise)."""
    row = await referral(ref)
    if row is None or row.org != principal.org or not principal.has_any(OFFICER_ROLES):
        await refused(
            ctx, principal, ref, row, action=action, purpose=purpose, reason="not a sanctuary officer of the scheme"
        )
    return row, _scheme(ctx, row.org)


async def for_police(
    ctx: ServiceContext, ref: str, principal: Principal, *, action: str = "read", purpose: str = ""
) -> tuple[SanctuaryReferral, Scheme]:
    """The referral for a police CPO of the scheme org or its police partner, or a sanctuary
    officer of the scheme. A CPO has nothing to do — and sees nothing, the address above all —
    until the scheme asks for an inspection."""
    row = await referral(ref)
    if row is None:
        await refused(ctx, principal, ref, None, action=action, purpose=purpose, reason="")
    scheme = _scheme(ctx, row.org)
    officer = principal.org == row.org and principal.has_any(OFFICER_ROLES)
    police = principal.has_any({"police_cpo"}) and principal.org in {row.org, scheme.police_org}
    if not (officer or police):
        await refused(
            ctx,
            principal,
            ref,
            row,
            action=action,
            purpose=purpose,
            reason="not a sanctuary officer of the scheme or a crime-prevention officer of its police",
        )
    if not officer and row.inspection_requested_at is None:
        await refused(
            ctx, principal, ref, row, action=action, purpose=purpose, reason="no inspection has been requested"
        )
    return row, scheme


def _scheme(ctx: ServiceContext, org: str) -> Scheme:
    scheme = scheme_for(ctx, org)
    if scheme is None:
        raise unavailable(f"the sanctuary scheme of {org} is no longer configured")
    return scheme


def require_open(row: SanctuaryReferral) -> None:
    if row.closed_at is not None:
        raise conflict(f"referral is closed ({row.outcome})")


async def log_step(row: SanctuaryReferral, step: str, principal: Principal | None, at: datetime, **detail: Any) -> None:
    """Append one step to the referral's case log (inside the caller's transaction)."""
    await SanctuaryHistory.insert(
        SanctuaryHistory(
            referral_ref=row.ref,
            org=row.org,
            at=at,
            step=step,
            actor=principal.sub if principal else "system",
            actor_org=principal.org if principal else row.org,
            detail={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in detail.items()},
        )
    )


async def history(ref: str) -> list[dict]:
    t = SanctuaryHistory
    rows = await t.select(t.at, t.step, t.actor, t.actor_org, t.detail).where(t.referral_ref == ref).order_by(t.id)
    for r in rows:
        if isinstance(r["detail"], (str, bytes)):
            r["detail"] = msgspec.json.decode(r["detail"] or "{}")
    return rows
