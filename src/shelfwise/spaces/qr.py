"""Signed QR links: a seat's check-in code, a room's door code, an event's door code.

A code is ``<id>.<epoch>.<signature>``: an HMAC-SHA256 (truncated to 16 bytes, URL-safe
base64) under the persisted ``space_qr_key`` of the purpose, the id and the epoch. A
forged or altered code fails the signature; a code printed before the unit's epoch was
bumped (a reprint, because a code was copied off the seat) is expired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from shelfwise.core.errors import ShelfwiseError


class QrSigner:
    def __init__(self, key: str) -> None:
        if not key:
            raise ValueError("a QR signing key is needed")
        self._key = key.encode()

    def token(self, purpose: str, ident: int, epoch: int = 1) -> str:
        return f"{ident}.{epoch}.{self._signature(purpose, ident, epoch)}"

    def read(self, purpose: str, token: str) -> tuple[int, int]:
        """(id, epoch) of a well-signed ``token``; ``spaces.qr_invalid`` otherwise."""
        parts = token.strip().split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise ShelfwiseError("spaces.qr_invalid")
        ident, epoch = int(parts[0]), int(parts[1])
        if not hmac.compare_digest(parts[2], self._signature(purpose, ident, epoch)):
            raise ShelfwiseError("spaces.qr_invalid")
        return ident, epoch

    def _signature(self, purpose: str, ident: int, epoch: int) -> str:
        mac = hmac.new(self._key, f"{purpose}:{ident}:{epoch}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()[:16]).decode().rstrip("=")
