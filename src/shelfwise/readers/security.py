"""Secrets about readers: slow salted hashes for PINs and passwords, keyed hashes for ID cards.

PINs and passwords are hashed with Argon2id (argon2-cffi); the cost is a
setting, and at most ``max_concurrent`` hashes run at once in a process (each
takes ``memory_kib``: a flood of logins waits its turn instead of exhausting
memory). Identity-card numbers are never stored: an HMAC-SHA256 under a library
secret (so a stolen database cannot be brute-forced without the key) finds
duplicates, and the last four characters let staff confirm a card. Hashes made
under earlier keys are found through ``id_card_lookups``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shelfwise.core.errors import ShelfwiseError

_ID_CARD = re.compile(r"^(\d{17}[\dX]|\d{15})$")
T = TypeVar("T")


class HashGate:
    """At most ``limit`` Argon2 computations at once; ``peak`` is the most seen together."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._slots = threading.BoundedSemaphore(self.limit)
        self._lock = threading.Lock()
        self._running = 0
        self.peak = 0

    def run(self, work: Callable[[], T]) -> T:
        with self._slots:
            with self._lock:
                self._running += 1
                self.peak = max(self.peak, self._running)
            try:
                return work()
            finally:
                with self._lock:
                    self._running -= 1


class SecretHasher:
    def __init__(
        self,
        *,
        time_cost: int,
        memory_kib: int,
        id_card_key: str,
        id_card_old_keys: Sequence[str] = (),
        max_concurrent: int = 2,
    ) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._key = id_card_key.encode()
        self._old_keys = tuple(k.encode() for k in id_card_old_keys if k != id_card_key)
        self.gate = HashGate(max_concurrent)

    def hash(self, secret: str) -> str:
        return self.gate.run(lambda: self._hasher.hash(secret))

    def verify(self, stored: str | None, given: str) -> bool:
        if stored is None:
            # Spend the same time as a real check, so timing does not tell who has a PIN.
            self.hash(given)
            return False
        try:
            return self.gate.run(lambda: self._hasher.verify(stored, given))
        except (VerificationError, InvalidHashError):
            return False

    def id_card(self, number: str) -> tuple[str, str]:
        """(keyed hash under the current key, last four) of an identity-card number."""
        normalised = _normalised(number)
        return _keyed(self._key, normalised), normalised[-4:]

    def id_card_lookups(self, number: str) -> list[str]:
        """The hashes this number may be stored under: the current key's first, then the
        earlier keys' (look-up only)."""
        normalised = _normalised(number)
        return [_keyed(k, normalised) for k in (self._key, *self._old_keys)]


def is_id_card(text: str) -> bool:
    return bool(_ID_CARD.match(text.strip().upper().replace(" ", "")))


def _normalised(number: str) -> str:
    normalised = number.strip().upper().replace(" ", "")
    if not _ID_CARD.match(normalised):
        raise ShelfwiseError("readers.id_card_invalid")
    return normalised


def _keyed(key: bytes, normalised: str) -> str:
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


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
