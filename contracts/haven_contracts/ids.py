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
