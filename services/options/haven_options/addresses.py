"""A case's addresses as the safe-address guard sees them.

The case's address (``address_enc``) is tagged with ``address_kind``: ``current``, or
confidential (``refuge``, ``safe``), or ``former_shared`` when it is a former address the
perpetrator knows. A separate ``former_address_enc`` holds a former shared address when the
survivor has moved on. Every outbound share of the case first describes what it would carry
as an :class:`~haven_runtime.safe_address.Outbound` and calls
:func:`~haven_runtime.safe_address.enforce`, outside its own write transaction, so a block
is audited even though the operation is refused.
"""

from __future__ import annotations

from haven_options.tables import Case
from haven_runtime import safe_address
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.safe_address import Address, AddressKind, Outbound, Purpose

KINDS = tuple(k.value for k in AddressKind)


def address_of(ctx: ServiceContext, case: Case) -> Address | None:
    """The case's own address with its tag (``None`` when none is recorded)."""
    text = ctx.cipher.decrypt(case.address_enc, ref=case.ref, field="address")
    if not text:
        return None
    return Address(ref=f"{case.ref}:address", kind=AddressKind(case.address_kind or "current"), text=text)


def former_of(ctx: ServiceContext, case: Case) -> Address | None:
    text = ctx.cipher.decrypt(case.former_address_enc, ref=case.ref, field="former_address")
    return Address(ref=f"{case.ref}:former_address", kind=AddressKind.FORMER_SHARED, text=text) if text else None


def known(ctx: ServiceContext, case: Case) -> list[Address]:
    return [a for a in (address_of(ctx, case), former_of(ctx, case)) if a is not None]


async def guard(
    ctx: ServiceContext,
    principal: Principal | None,
    case: Case,
    *,
    purpose: Purpose,
    recipient_org: str,
    carries_address: bool,
    send_to_case_address: bool = False,
    free_text: tuple[str, ...] = (),
) -> None:
    """Refuse (409, audited) a ``purpose`` disclosure of ``case`` to ``recipient_org`` that the guard blocks.

    ``carries_address``: the disclosure includes the case's address; ``send_to_case_address``:
    correspondence would be posted to it.
    """
    current = address_of(ctx, case)
    outbound = Outbound(
        purpose=purpose,
        recipient_org=recipient_org,
        addresses=[current] if carries_address and current is not None else [],
        send_to=current if send_to_case_address else None,
        free_text=list(free_text),
        known=known(ctx, case),
    )
    await safe_address.enforce(ctx, principal, outbound, entity="case", entity_ref=case.ref, entity_org=case.org)
