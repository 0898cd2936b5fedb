"""Identifiers shared by every service.

* An **organisation id** is a lower-case slug (``bexley``, ``dales-housing``): it appears in
  subjects, tokens and plugin manifests, so it must be safe as a NATS subject token.
* An **event id** is a ULID: unique, sortable by creation time, and usable directly as the
  JetStream ``Nats-Msg-Id`` for de-duplication.
* A **reference** (case reference, ARC, referral reference) is opaque and random: it must
  not encode a name, a date of birth or a place, because references travel on the bus.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

import msgspec
from ulid import ULID

ORG_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_ORG_ID_RE = re.compile(ORG_ID_PATTERN)

OrgId = Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN, min_length=2, max_length=63)]
"""A lower-case slug naming one organisation (borough, landlord, specialist service)."""

# Bounds of every string and list on the bus (contracts/CHANGELOG.md, 1.1.0). A decoder
# refuses a longer value, so a hostile or broken publisher cannot make one database store
# what another refuses (a 900 KB ``case_ref`` was applied on SQLite and dead-lettered on
# PostgreSQL). Each is well above every value Haven produces: references are under 20
# characters, officer keys and codes fit the 100-character columns that hold them.
MAX_ITEMS = 100
"""Most items in any list on the bus (Haven's lists hold a handful)."""

Reference = Annotated[str, msgspec.Meta(max_length=64)]
"""An opaque record reference (case reference, ARC, referral, request, property, directory uid)."""

OfficerId = Annotated[str, msgspec.Meta(max_length=100)]
"""An officer's directory key, or a role or recipient named in its place."""

Code = Annotated[str, msgspec.Meta(max_length=100)]
"""A code or key from a closed vocabulary or a plugin: channel, tenure, stage, clock, measure."""

Text = Annotated[str, msgspec.Meta(max_length=2000)]
"""Text in a request or reply (a purpose, an error message, a contact in an authorised reply)."""

Codes = Annotated[list[Code], msgspec.Meta(max_length=MAX_ITEMS)]
OfficerIds = Annotated[list[OfficerId], msgspec.Meta(max_length=MAX_ITEMS)]
OrgIds = Annotated[list[OrgId], msgspec.Meta(max_length=MAX_ITEMS)]

EVENT_ID_PATTERN = r"[0-9A-HJKMNP-TV-Z]{26}"
"""A ULID in canonical (upper-case Crockford base32) form: what :func:`new_event_id` makes."""

# Crockford base32 without I, L, O, U: unambiguous when read over the phone.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def is_org_id(value: str) -> bool:
    """True when ``value`` is a valid organisation slug."""
    return bool(_ORG_ID_RE.fullmatch(value)) and 2 <= len(value) <= 63


def require_org_id(value: str) -> str:
    """Return ``value`` or raise ``ValueError`` naming the bad organisation id."""
    if not is_org_id(value):
        raise ValueError(f"invalid organisation id {value!r}: expected a lower-case slug like 'bexley'")
    return value


def new_event_id() -> str:
    """A new ULID string: unique and lexically sortable by creation time."""
    return str(ULID())


def new_reference(prefix: str, length: int = 10) -> str:
    """An unguessable opaque reference such as ``CASE-7K3QD9X2MB``.

    ``length`` random Crockford characters give 50 bits for the default length; the
    prefix only says what kind of record it is, never anything about the person.
    """
    body = "".join(secrets.choice(_REF_ALPHABET) for _ in range(length))
    return f"{prefix}-{body}"
