"""Secrets about readers: slow salted hashes for PINs and passwords, keyed hashes for ID cards.

PINs and passwords are hashed with Argon2id (argon2-cffi); the cost is a
setting. Identity-card numbers are never stored: an HMAC-SHA256 under a
library secret (so a stolen database cannot be brute-forced without the key)
finds duplicates, and the last four characters let staff confirm a card.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shelfwise.core.errors import ShelfwiseError

_ID_CARD = re.compile(r"^(\d{17}[\dX]|\d{15})$")


class SecretHasher:
    def __init__(self, *, time_cost: int, memory_kib: int, id_card_key: str) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._key = id_card_key.encode()

    def hash(self, secret: str) -> str:
        return self._hasher.hash(secret)

    def verify(self, stored: str | None, given: str) -> bool:
        if stored is None:
            # Spend the same time as a real check, so timing does not tell who has a PIN.
            self._hasher.hash(given)
            return False
        try:
            return self._hasher.verify(stored, given)
        except (VerificationError, InvalidHashError):
            return False

    def id_card(self, number: str) -> tuple[str, str]:
        """(keyed hash, last four) of a normalised identity-card number."""
        normalised = number.strip().upper().replace(" ", "")
        if not _ID_CARD.match(normalised):
            raise ShelfwiseError("readers.id_card_invalid")
        digest = hmac.new(self._key, normalised.encode(), hashlib.sha256).hexdigest()
        return digest, normalised[-4:]


def new_token() -> tuple[str, str]:
    """A one-time token and the SHA-256 we store in its place."""
    token = secrets.token_urlsafe(24)
    return token, hashlib.sha256(token.encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def validate_pin(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ShelfwiseError("readers.pin_invalid")


def validate_password(password: str) -> None:
    if len(password) < 8:
        raise ShelfwiseError("readers.password_invalid")
