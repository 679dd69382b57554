"""Caller numbers at rest: encrypted, with a keyed hash for lookup and de-duplication.

This is the only module that turns a caller's number into something storable and
back. Nothing here logs; callers of ``reveal`` must write an audit row (invariant 8).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1"


@dataclass(frozen=True)
class Protected:
    """A number as stored: ciphertext to reveal it, lookup hash to find it."""

    ciphertext: str
    lookup: str


class Identifiers:
    """Encrypts and hashes caller numbers with keys derived from one master key."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the identifier key must be 32 bytes")
        self._aead = AESGCM(_derive(master_key, b"callcenter identifiers encryption v1"))
        self._mac_key = _derive(master_key, b"callcenter identifiers lookup v1")

    def lookup(self, number: str) -> str:
        """Keyed hash of a normalized number: the same number always gives the same value."""
        return hmac.new(self._mac_key, number.encode(), hashlib.sha256).hexdigest()

    def protect(self, number: str) -> Protected:
        """Encrypt a normalized number (E.164) and hash it for lookup."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, number.encode(), _VERSION.encode())
        token = base64.urlsafe_b64encode(nonce + sealed).decode()
        return Protected(ciphertext=f"{_VERSION}:{token}", lookup=self.lookup(number))

    def seal(self, text: str) -> str:
        """Encrypt free text about a caller (wrap-up notes) the same way as their number."""
        return self.protect(text).ciphertext

    def reveal(self, ciphertext: str) -> str:
        """The number behind a ciphertext. Audit every use."""
        version, _, token = ciphertext.partition(":")
        if version != _VERSION:
            raise ValueError("unknown identifier encryption version")
        raw = base64.urlsafe_b64decode(token)
        return self._aead.decrypt(raw[:12], raw[12:], _VERSION.encode()).decode()


def mask(number: str | None) -> str:
    """What the UI shows: ``•••-•••-1234`` (the last four digits only)."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if len(digits) < 4:
        return "•••"
    return f"•••-•••-{digits[-4:]}"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)
