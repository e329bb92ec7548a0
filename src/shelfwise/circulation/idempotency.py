"""Retried requests get their first result back — their own, never someone else's.

A kiosk that lost its answer sends the checkout again, an app retries a POST, an
offline file is uploaded twice: each carries a key, and the operation runs once
per key. The rules, in one place for every door:

- **A key belongs to someone.** :class:`RequestKey` carries the scope it was
  given in — the principal (``staff:<id>``, ``reader:<id>``, ``sip2-terminal:<id>``)
  or, for offline transactions whose ids are the offline client's, ``offline`` —
  and is only ever looked up within it. Reader A sending reader B's key finds
  nothing of B's: A's own request runs.
- **A key names one request.** The operation and a fingerprint of its arguments
  are stored with it; the same key with another operation or other arguments is
  refused (``circ.idempotency_mismatch``, 409), never answered with the stored result.
- **Nothing can be read back from a stored key.** Keys and fingerprints are
  HMAC-SHA256 under a server secret (``keys/idempotency.key`` in the data folder),
  so a key made from a kiosk message cannot be recomputed from guesses (and the
  SIP2 door leaves the PIN out of it anyway).
- **Keys are kept for a while, not for ever:** :meth:`Idempotency.purge` (a
  scheduled job) removes those older than ``idempotency_retention_days``. Rows of
  migrated data (``migrate_in_*``) are not requests and stay.
- **A key stops standing for its request once the item has moved on.** A checkout,
  check-in or renewal names the copy it acts on; a checkout releases the copy's earlier
  check-in and renewal keys, a check-in (or a kiosk's cancel or rollback) its earlier
  checkout and renewal keys. Kiosk transaction dates have one-second resolution: a kiosk
  that checks a copy out, takes it back and checks it out again within a second sends
  the same request twice, and the second is a new checkout, not the old answer. Offline
  transaction ids name one event for ever and are never released.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.tables import idempotency_keys

Work = Callable[[Connection], dict[str, Any]]
Ready = Callable[[Connection, dict[str, Any]], None]
KEPT_OPERATIONS = "migrate_in_%"  # rows of migrated data, not requests: never purged
OFFLINE = (
    "offline"  # the scope of offline transaction ids (the offline client's, not a principal's)
)


@dataclass(frozen=True, slots=True)
class RequestKey:
    """An idempotency key as a door received it, and whose it is."""

    scope: str  # staff:<id>, reader:<id>, sip2-terminal:<id>, offline
    key: str

    @classmethod
    def of(cls, scope: str, key: str | None) -> RequestKey | None:
        return None if key is None else cls(scope, key)


class Idempotency:
    def __init__(self, db: Database, clock: Clock, secret: bytes, *, retention_days: int) -> None:
        self._db = db
        self._clock = clock
        self._secret = secret
        self.retention = timedelta(days=retention_days)

    @classmethod
    def private(cls, db: Database, clock: Clock) -> Idempotency:
        """Keys under a secret of this instance only (nothing else can find them)."""
        return cls(db, clock, secrets.token_bytes(32), retention_days=30)

    def once(
        self,
        key: RequestKey | None,
        operation: str,
        request: Mapping[str, object],
        work: Work,
        ready: Ready | None = None,
        *,
        item: str | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Run ``work`` in one write transaction, at most once per key: (result, replayed).

        The key row is inserted first, so a concurrent duplicate waits on it and then
        finds the stored result instead of running the operation again. ``ready`` sees
        the result inside the transaction, before it commits (a door prepares its reply
        there: if that fails, nothing is committed); for a replayed result it runs in a
        read transaction. A refusal (``ShelfwiseError``) rolls the key back with the
        rest, so a refused request may be sent again. ``item``: the barcode of the copy
        the operation acts on, whose other operations release this key (:meth:`release`).
        """
        ready = ready or _nothing
        if key is None:
            with self._db.write() as conn:
                result = work(conn)
                ready(conn, result)
                return result, False
        stored_key = self._digest(key.scope, key.key)
        fingerprint = self._digest(operation, json.dumps(request, sort_keys=True, default=str))
        try:
            with self._db.write() as conn:
                held = None if key.scope == OFFLINE else item
                if self._claim(conn, stored_key, operation, fingerprint, held):
                    result = self._first(conn, stored_key, work)
                    ready(conn, result)
                    return result, False
                stored = _stored(conn, stored_key)
        except IntegrityError as exc:
            if "idempotency_keys" not in str(exc.orig).lower():
                raise
            with self._db.read() as conn:  # a concurrent duplicate committed first
                stored = _stored(conn, stored_key)
            if stored is None:
                raise
        if stored.operation != operation or stored.request != fingerprint:
            raise ShelfwiseError("circ.idempotency_mismatch", operation=stored.operation)
        result = json.loads(stored.result)
        with self._db.read() as conn:
            ready(conn, result)
        return result, True

    def _claim(
        self, conn: Connection, stored_key: str, operation: str, fingerprint: str, item: str | None
    ) -> bool:
        """Insert the key's row unless it is there: True when this request is the first.
        One statement, no read before it; a concurrent duplicate's insert waits on this
        row (PostgreSQL) or on the write lock (SQLite) and then finds it."""
        claimed = conn.execute(
            _CLAIM[conn.dialect.name],
            {
                "key": stored_key,
                "operation": operation,
                "request": fingerprint,
                "result": "",
                "item": item,
                "created_at": self._clock.now(),
            },
        )
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT here.
        return claimed.first() is not None

    def _first(self, conn: Connection, stored_key: str, work: Work) -> dict[str, Any]:
        """The first request with this key (its row claimed): the work, whose result the
        row keeps."""
        result = work(conn)
        conn.execute(_KEEP_RESULT, {"stored_key": stored_key, "result": json.dumps(result)})
        return result

    def release(self, conn: Connection, barcode: str, *, keep: str) -> None:
        """The copy ``barcode`` moved on: its keys of operations other than ``keep`` no
        longer stand for a request that may be resent (in the acting transaction)."""
        conn.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.item == barcode, idempotency_keys.c.operation != keep
            )
        )

    def purge(self) -> int:
        """Delete request keys older than the retention window; how many went."""
        cutoff = self._clock.now() - self.retention
        with self._db.write() as conn:
            gone = conn.execute(
                delete(idempotency_keys).where(
                    idempotency_keys.c.created_at < cutoff,
                    idempotency_keys.c.operation.not_like(KEPT_OPERATIONS),
                )
            )
        return int(gone.rowcount)

    def _digest(self, scope: str, text: str) -> str:
        message = f"{scope}\x1f{text}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()


# Built once (issue 15 item 1: no statement building per request).
_CLAIM: dict[str, Any] = {
    "sqlite": sqlite.insert(idempotency_keys)
    .on_conflict_do_nothing(index_elements=[idempotency_keys.c.key])
    .returning(idempotency_keys.c.key),
    "postgresql": postgresql.insert(idempotency_keys)
    .on_conflict_do_nothing(index_elements=[idempotency_keys.c.key])
    .returning(idempotency_keys.c.key),
}
_KEEP_RESULT = update(idempotency_keys).where(idempotency_keys.c.key == bindparam("stored_key"))


def _stored(conn: Connection, key: str) -> Any:
    return conn.execute(select(idempotency_keys).where(idempotency_keys.c.key == key)).first()


def _nothing(conn: Connection, result: dict[str, Any]) -> None:
    return None
