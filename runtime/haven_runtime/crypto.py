"""Field-level encryption at rest and keyed blind indexes.

Personal fields (name, date of birth, addresses, phones, safe contact method, free-text
notes) are stored as ``v1:<kid>:<base64(nonce || AES-256-GCM ciphertext)>``. The record
reference and field name are bound as associated data, so a ciphertext copied into another
record or column fails to decrypt. The first key in ``HAVEN_FIELD_KEYS`` encrypts; every
listed key decrypts, so keys rotate by prepending a new one and re-encrypting at leisure.

Searching by a person uses :meth:`FieldCipher.blind_index`: an HMAC-SHA256 of the
normalised value under a separate key, never the plaintext.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from piccolo.columns import Column
from piccolo.table import Table

from haven_runtime.settings import Settings, get_settings

PREFIX = "v1"


class DecryptionError(ValueError):
    pass


class FieldCipher:
    def __init__(self, keys: list[tuple[str, str]], blind_key: str) -> None:
        if not keys:
            raise ValueError("at least one field key is required")
        self._keys = {kid: AESGCM(base64.b64decode(key)) for kid, key in keys}
        self._current = keys[0][0]
        self._blind = blind_key.encode()

    @staticmethod
    def _aad(ref: str, field: str) -> bytes:
        return f"{ref}\x1f{field}".encode()

    def encrypt(self, value: str | None, *, ref: str, field: str) -> str | None:
        """Encrypt ``value`` for column ``field`` of record ``ref``; ``None`` stays ``None``."""
        if value is None:
            return None
        nonce = os.urandom(12)
        ct = self._keys[self._current].encrypt(nonce, value.encode(), self._aad(ref, field))
        return f"{PREFIX}:{self._current}:{base64.b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str | None, *, ref: str, field: str) -> str | None:
        if token is None:
            return None
        try:
            prefix, kid, body = token.split(":", 2)
            raw = base64.b64decode(body)
            aead = self._keys[kid]
        except (ValueError, KeyError):
            raise DecryptionError(f"{field}: not a ciphertext this deployment can read") from None
        if prefix != PREFIX:
            raise DecryptionError(f"{field}: unknown ciphertext version {prefix!r}")
        try:
            return aead.decrypt(raw[:12], raw[12:], self._aad(ref, field)).decode()
        except InvalidTag:
            raise DecryptionError(f"{field}: ciphertext does not belong to this record or key") from None

    @property
    def current_kid(self) -> str:
        return self._current

    def key_id(self, token: str | None) -> str | None:
        """The id of the key that encrypted ``token`` (``None`` for a missing value)."""
        if token is None:
            return None
        parts = token.split(":", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            raise DecryptionError("not a Haven field ciphertext")
        return parts[1]

    def needs_rotation(self, token: str | None) -> bool:
        return token is not None and self.key_id(token) != self._current

    def rotate(self, token: str | None, *, ref: str, field: str) -> str | None:
        """Re-encrypt ``token`` under the current key (unchanged if already current).

        Decryption authenticates the record and field first, so a ciphertext moved into the
        wrong row is refused rather than silently re-bound to it.
        """
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, ref=ref, field=field), ref=ref, field=field)

    def blind_index(self, value: str | None, *, field: str) -> str | None:
        """Keyed, deterministic index of a normalised value (case, accents and spacing folded)."""
        if value is None:
            return None
        normal = " ".join(unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower().split())
        return hmac.new(self._blind, f"{field}\x1f{normal}".encode(), hashlib.sha256).hexdigest()


class RotationReport(msgspec.Struct, kw_only=True):
    table: str
    rows_seen: int = 0
    rows_rewritten: int = 0
    fields_rewritten: int = 0


async def reencrypt_table(
    table: type[Table],
    *,
    ref_column: str,
    fields: Iterable[str],
    cipher: FieldCipher,
    ref_of: Callable[[dict[str, Any]], str] | None = None,
    batch_size: int = 500,
) -> RotationReport:
    """Re-encrypt every personal column of ``table`` under the cipher's current key.

    The key-rotation procedure (docs/security.md): prepend the new key to
    ``HAVEN_FIELD_KEYS``, restart, run this for each table with personal fields, then drop
    the old key. ``ref_of`` maps a row to the record reference bound into each ciphertext
    (default: the ``ref_column`` value). Each batch commits on its own so a long rotation
    never holds a write lock for the whole table; it is safe to re-run after interruption.
    """
    from haven_runtime.db import write_transaction

    fields = list(fields)
    ref_of = ref_of or (lambda row: str(row[ref_column]))
    pk = table._meta.primary_key
    report = RotationReport(table=table._meta.tablename)
    last = None
    while True:
        query = table.select(
            pk, table._meta.get_column_by_name(ref_column), *(table._meta.get_column_by_name(f) for f in fields)
        )
        if last is not None:
            query = query.where(pk > last)
        rows = await query.order_by(pk).limit(batch_size)
        if not rows:
            return report
        async with write_transaction(table._meta.db):
            for row in rows:
                report.rows_seen += 1
                changes: dict[Column | str, Any] = {}
                for f in fields:
                    if cipher.needs_rotation(row[f]):
                        changes[table._meta.get_column_by_name(f)] = cipher.rotate(row[f], ref=ref_of(row), field=f)
                if changes:
                    await table.update(changes).where(pk == row[pk._meta.name])
                    report.rows_rewritten += 1
                    report.fields_rewritten += len(changes)
        last = rows[-1][pk._meta.name]


def cipher_for(settings: Settings | None = None) -> FieldCipher:
    settings = settings or get_settings()
    return _cached(tuple(settings.encryption_keys()), settings.blind_key())


@functools.lru_cache(maxsize=8)
def _cached(keys: tuple[tuple[str, str], ...], blind: str) -> FieldCipher:
    return FieldCipher(list(keys), blind)
