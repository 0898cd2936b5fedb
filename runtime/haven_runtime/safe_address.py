"""The safe-address guard: a survivor's confidential address never leaves Haven, and no
correspondence goes to a former address the perpetrator knows.

Every address a service holds is tagged with an :class:`AddressKind`. Before anything
leaves the service — a letter, an export, a referral, a share — the service describes it
as an :class:`Outbound` (which addresses it would carry, where correspondence would be
posted, and its free text) and calls :func:`enforce`. A blocked disclosure raises
:class:`SafeAddressBlocked` (HTTP 409 with a reason naming the rule, never the address) and
is audited in its own committed transaction, so the record of the attempt survives the
rollback of the operation that tried it.

The guard checks tags *and* content: an untagged copy of a confidential address typed into
a letter's free text is caught by its normalised line or its postcode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

import msgspec

from haven_runtime.errors import Conflict

if TYPE_CHECKING:
    from haven_runtime.context import ServiceContext
    from haven_runtime.identity import Principal

Purpose = Literal["letter", "export", "referral", "share"]
WITHHELD = "[address withheld: confidential]"
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


class AddressKind(StrEnum):
    CURRENT = "current"  # where the survivor lives now, not secret from the perpetrator
    REFUGE = "refuge"  # confidential: a refuge's address
    SAFE = "safe"  # confidential: a new safe address
    FORMER_SHARED = "former_shared"  # a former address the perpetrator knows or lives at
    OTHER = "other"

    @property
    def confidential(self) -> bool:
        return self in (AddressKind.REFUGE, AddressKind.SAFE)


class Address(msgspec.Struct, frozen=True, kw_only=True):
    """An address as the guard sees it (decrypted in memory only, never logged)."""

    ref: str
    kind: AddressKind
    text: str

    @property
    def confidential(self) -> bool:
        return self.kind.confidential


class Outbound(msgspec.Struct, frozen=True, kw_only=True):
    """What is about to leave the service.

    ``addresses`` are those the document or message would carry; ``send_to`` is where
    correspondence would be posted (letters); ``free_text`` is every other text it carries.
    ``known`` are all addresses on the case, so untagged copies in free text are caught.
    """

    purpose: Purpose
    recipient_org: str = ""
    addresses: Sequence[Address] = ()
    send_to: Address | None = None
    free_text: Sequence[str] = ()
    known: Sequence[Address] = ()


class Block(msgspec.Struct, frozen=True, kw_only=True):
    rule: Literal["confidential_address", "former_shared_address", "confidential_address_in_text"]
    address_ref: str
    reason: str


class SafeAddressBlocked(Conflict):
    """409 naming each rule that blocked (``blocks``), never the address."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = list(blocks)
        super().__init__("blocked by the safe-address guard: " + "; ".join(b.reason for b in self.blocks))


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing folded, for comparing address text."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def postcode(text: str) -> str | None:
    match = _POSTCODE.search(text)
    return f"{match.group(1)}{match.group(2)}".upper() if match else None


def mentions(text: str, address: Address) -> bool:
    """``text`` contains ``address``: its first line, its whole text, or its postcode."""
    body = normalise(text)
    if not body:
        return False
    lines = [normalise(part) for part in re.split(r"[,\n]", address.text)]
    first = next((line for line in lines if len(line) >= 6), "")
    whole = normalise(address.text)
    if whole and whole in body or first and first in body:
        return True
    code = postcode(address.text)
    return bool(code and code in {f"{m.group(1)}{m.group(2)}".upper() for m in _POSTCODE.finditer(text)})


def check(outbound: Outbound) -> list[Block]:
    """Every rule the disclosure breaks (empty when it may go)."""
    what = outbound.purpose
    blocks: list[Block] = []
    for a in outbound.addresses:
        if a.confidential:
            blocks.append(
                Block(
                    rule="confidential_address",
                    address_ref=a.ref,
                    reason=f"a {what} may not carry a confidential {a.kind.value} address",
                )
            )
    if outbound.send_to is not None:
        a = outbound.send_to
        if a.kind is AddressKind.FORMER_SHARED:
            blocks.append(
                Block(
                    rule="former_shared_address",
                    address_ref=a.ref,
                    reason=f"no {what} may be sent to a former address shared with the perpetrator",
                )
            )
        elif a.confidential and not any(b.address_ref == a.ref for b in blocks):
            blocks.append(
                Block(
                    rule="confidential_address",
                    address_ref=a.ref,
                    reason=f"a {what} may not be addressed to a confidential {a.kind.value} address",
                )
            )
    secret = [a for a in (*outbound.known, *outbound.addresses) if a.confidential]
    flagged = {b.address_ref for b in blocks}
    for a in secret:
        if a.ref not in flagged and any(mentions(t, a) for t in outbound.free_text):
            flagged.add(a.ref)
            blocks.append(
                Block(
                    rule="confidential_address_in_text",
                    address_ref=a.ref,
                    reason=f"the {what}'s text contains a confidential {a.kind.value} address",
                )
            )
    return blocks


def redact(text: str, known: Iterable[Address]) -> str:
    """``text`` with every confidential address (whole, first line, postcode) replaced by :data:`WITHHELD`."""
    out = text
    for a in known:
        if not a.confidential:
            continue
        for piece in sorted({a.text, *(p.strip() for p in re.split(r"[,\n]", a.text))}, key=len, reverse=True):
            if len(piece) >= 6 or postcode(piece):
                out = re.sub(re.escape(piece), WITHHELD, out, flags=re.IGNORECASE)
        code = postcode(a.text)
        if code:
            out = re.sub(rf"\b{re.escape(code[:-3])}\s*{re.escape(code[-3:])}\b", WITHHELD, out, flags=re.IGNORECASE)
    return out


async def enforce(
    ctx: "ServiceContext",
    principal: "Principal | None",
    outbound: Outbound,
    *,
    entity: str,
    entity_ref: str,
    entity_org: str = "",
) -> None:
    """Raise :class:`SafeAddressBlocked` if ``outbound`` breaks a rule, after auditing the block.

    Call it *before* opening the operation's own write transaction: the audit record is
    committed on its own so it outlives the failed operation.
    """
    blocks = check(outbound)
    if not blocks:
        return
    from haven_runtime.db import write_transaction

    async with write_transaction(ctx.store.engine):
        await ctx.store.audit_writer.write(
            principal,
            "blocked",
            entity,
            entity_ref,
            entity_org=entity_org,
            purpose=f"safe-address guard: {outbound.purpose}",
            detail={
                "rules": [b.rule for b in blocks],
                "address_refs": [b.address_ref for b in blocks],
                "recipient_org": outbound.recipient_org,
            },
        )
    raise SafeAddressBlocked(blocks)
