"""Stateless OAI-PMH resumption tokens: the query and the position, checked and dated.

A token is ``base64url(json) "." checksum``. It carries the metadata prefix, set,
``from``/``until``, the last delivered ``(datestamp, id)``, the cursor and an
expiry, so it survives a server restart and any number of app processes; nothing
is stored. The checksum (HMAC-SHA256 under a per-repository key) makes a token
that was edited or cut short a ``badResumptionToken``; it is integrity, not
secrecy: a forged token could only ask for what any harvester may ask anyway.

Harvest order is ``(updated_at, id)``, so a record changed during a harvest moves
behind the position and is delivered again later; nothing is skipped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

TOKEN_VERSION = 1


@dataclass(frozen=True, slots=True)
class Position:
    prefix: str
    set_spec: str | None
    since: int | None  # epoch seconds (UTC)
    until: int | None
    last_stamp: int  # datestamp of the last delivered record, epoch seconds
    last_id: int
    cursor: int  # records delivered before the next page
    expires: int  # epoch seconds
    verb: str = "ListRecords"


def _epoch(value: datetime) -> int:
    return int(value.astimezone(UTC).timestamp())


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class TokenCodec:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, body: bytes) -> str:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest()[:24]

    def encode(self, position: Position) -> str:
        payload = {"v": TOKEN_VERSION, **asdict(position)}
        body = base64.urlsafe_b64encode(
            json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        ).rstrip(b"=")
        return body.decode() + "." + self._mac(body)

    def decode(self, token: str, now: datetime) -> Position | str:
        """The position, or why the token is refused (for the badResumptionToken message)."""
        body, dot, mac = token.strip().rpartition(".")
        if not dot or not hmac.compare_digest(mac, self._mac(body.encode())):
            return "the token is not one this repository issued (or it was altered)"
        try:
            raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            if raw.pop("v") != TOKEN_VERSION:
                return "the token comes from another version of this repository"
            position = Position(**raw)
        except (ValueError, TypeError, KeyError):
            return "the token is malformed"
        if position.expires < _epoch(now):
            return "the token has expired; start the harvest again"
        return position


def epoch(value: datetime | None) -> int | None:
    return _epoch(value) if value is not None else None
