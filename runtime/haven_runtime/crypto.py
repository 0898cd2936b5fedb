"""Field-level encryption at rest and keyed blind indexes (DESIGN.md principle 7).

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

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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

    def needs_rotation(self, token: str | None) -> bool:
        return token is not None and token.split(":", 2)[1] != self._current

    def blind_index(self, value: str | None, *, field: str) -> str | None:
        """Keyed, deterministic index of a normalised value (case, accents and spacing folded)."""
        if value is None:
            return None
        normal = " ".join(unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower().split())
        return hmac.new(self._blind, f"{field}\x1f{normal}".encode(), hashlib.sha256).hexdigest()


def cipher_for(settings: Settings | None = None) -> FieldCipher:
    settings = settings or get_settings()
    return _cached(tuple(settings.encryption_keys()), settings.blind_key())


@functools.lru_cache(maxsize=8)
def _cached(keys: tuple[tuple[str, str], ...], blind: str) -> FieldCipher:
    return FieldCipher(list(keys), blind)
