"""Logins, sessions, API tokens, staff accounts and the audit trail.

Every door asks this service who is behind a request and records here, for P7,
each staff read of a reader's data: who, when, which reader, which fields — ids
and field names, never the values, so erasing a reader leaves the trail intact and
empty of them. Tokens are random; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.access import repo
from shelfwise.access.lockout import Lockout, aware
from shelfwise.access.models import (
    ROLES,
    ApiToken,
    AuditEntry,
    LoginSession,
    Principal,
    Role,
    StaffAccount,
)
from shelfwise.core.clock import Clock, to_second
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.reading import find_reader_id, reader_id_of, session_epoch
from shelfwise.readers.security import SecretHasher
from shelfwise.readers.service import ReaderService
from shelfwise.storage.database import Database

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_STAFF_PASSWORD = 10
# last_used_at is a hint for administrators, not a log: refresh it at most this often.
_TOUCH_EVERY = timedelta(minutes=5)
_HOUR = timedelta(hours=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: SecretHasher,
        readers_service: ReaderService,
        lockout: Lockout,
        *,
        staff_session_hours: int,
        reader_session_hours: int,
        attempts_retention_hours: int = 24,
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self._readers = readers_service
        self.lockout = lockout
        self._staff_hours = staff_session_hours
        self._reader_hours = reader_session_hours
        self._attempts_retention = timedelta(hours=attempts_retention_hours)

    # --- logins ---------------------------------------------------------------------

    def login_staff(
        self, username: str, password: str, *, sources: Sequence[str] = ()
    ) -> LoginSession:
        """``sources``: where the login comes from (``lockout.login_sources``), counted
        across every account and card so that spraying one password is refused too."""
        subject = f"staff:{username.strip().lower()}"
        self._refuse_if_locked(subject, sources)
        with self._db.read() as conn:
            row = repo.staff_row(conn, username.strip().lower())
        stored = row.password_hash if row is not None and row.enabled else None
        if not self._hasher.verify(stored, password) or row is None:
            self._failed(subject, sources)
            raise ShelfwiseError("access.login_failed")
        self.lockout.succeed(subject)
        principal = repo.staff_principal(repo.staff_account(row))
        return self._open_session(principal, hours=self._staff_hours)

    def login_reader(
        self,
        card_number: str,
        secret: str,
        *,
        kind: Literal["pin", "password", "any"] = "any",
        sources: Sequence[str] = (),
    ) -> LoginSession:
        """Card number with PIN or password; one refusal whichever part is wrong.

        ``sources`` as for :meth:`login_staff`: one PIN tried on many cards from one
        address is refused after ``access_source_failures``, besides each card's lock.
        """
        card = card_number.strip()
        subject = f"reader:{card}"
        self._refuse_if_locked(subject, sources)
        kinds = ("pin", "password") if kind == "any" else (kind,)
        for attempt in kinds:
            try:
                reader = self._readers.authenticate(card, secret, kind=attempt)
            except ShelfwiseError:
                continue
            self.lockout.succeed(subject)
            principal = Principal(
                kind="reader", id=reader.id, name=reader.name, card_number=reader.card_number
            )
            return self._open_session(principal, hours=self._reader_hours)
        self._failed(subject, sources)
        raise ShelfwiseError("access.login_failed")

    def change_reader_secret(
        self,
        card_number: str,
        current: str,
        new: str,
        *,
        kind: Literal["pin", "password"],
        sources: Sequence[str] = (),
    ) -> LoginSession:
        """A signed-in reader's new PIN or password, given the PIN or password they sign in
        with now.

        A wrong current secret counts as a failed login of the card (the same lock), so a
        session left open on a shared computer cannot be used to guess it. The new one
        follows ReaderService's rules; setting it ends every session and API token of the
        reader, and the browser that asked gets a new session (returned)."""
        card = card_number.strip()
        subject = f"reader:{card}"
        self._refuse_if_locked(subject, sources)
        if not any(self._reader_secret_ok(card, current, k) for k in ("pin", "password")):
            self._failed(subject, sources)
            raise ShelfwiseError("access.current_secret_wrong")
        self.lockout.succeed(subject)
        if kind == "pin":
            self._readers.set_pin(card, new)
        else:
            self._readers.set_password(card, new)
        reader = self._readers.get(card)
        principal = Principal(
            kind="reader", id=reader.id, name=reader.name, card_number=reader.card_number
        )
        return self._open_session(principal, hours=self._reader_hours)

    def _reader_secret_ok(self, card: str, secret: str, kind: str) -> bool:
        try:
            self._readers.authenticate(card, secret, kind=kind)
        except ShelfwiseError:
            return False
        return True

    def principal(self, token: str | None, *, sessions_only: bool = False) -> Principal | None:
        """Who holds this session or API token, or None when it is unknown, expired or revoked.

        ``sessions_only``: a login session only, not an API token (a web cookie must be a
        login made in a browser, never a token issued to another system)."""
        if not token:
            return None
        now = self._clock.now()
        key = digest(token)
        with self._db.read() as conn:
            found = repo.principal_of_token(conn, key, now, sessions_only=sessions_only)
        if found is None:
            return None
        if found.last_used_at is None or found.last_used_at < now - _TOUCH_EVERY:
            with self._db.write() as conn:
                repo.touch_token(conn, found.id, to_second(now))
        return found.principal

    def throttle(self, subject: str, *, limit: int, seconds: int) -> None:
        """Refuse (``access.rate_limited``) the ``limit``-plus-first use of ``subject`` in a window."""
        until = self.lockout.throttle(subject, limit=limit, seconds=seconds)
        if until is not None:
            raise ShelfwiseError("access.rate_limited", until=until.strftime("%Y-%m-%d %H:%M UTC"))

    def logout(self, token: str) -> None:
        with self._db.write() as conn:
            repo.revoke_by_digest(conn, digest(token), to_second(self._clock.now()))

    def prune_login_attempts(self) -> int:
        """Delete failure and request counters idle past the retention (they name cards,
        user names and addresses) that no lock still holds; returns how many went."""
        now = to_second(self._clock.now())
        # Never before a counting window could still be open (an hour for registrations)
        # or a lock could still run.
        keep = max(self._attempts_retention, timedelta(seconds=self.lockout.seconds), _HOUR)
        with self._db.write() as conn:
            return repo.prune_login_attempts(conn, now=now, idle_since=now - keep)

    def _refuse_if_locked(self, subject: str, sources: Sequence[str]) -> None:
        """Refused without a check while the card or account, or the source, is locked."""
        until = self.lockout.source_refused(sources) or self.lockout.locked_until(subject)
        if until is not None:
            raise ShelfwiseError("access.locked", until=until.strftime("%Y-%m-%d %H:%M UTC"))

    def _failed(self, subject: str, sources: Sequence[str]) -> None:
        until = self.lockout.fail(subject)
        until = self.lockout.source_failed(sources) or until
        if until is not None:
            raise ShelfwiseError("access.locked", until=until.strftime("%Y-%m-%d %H:%M UTC"))

    def _open_session(self, principal: Principal, *, hours: int) -> LoginSession:
        token = secrets.token_urlsafe(32)
        now = to_second(self._clock.now())
        expires = now + timedelta(hours=hours)
        self._insert_token(token, "session", principal, label="", now=now, expires=expires)
        return LoginSession(token=token, principal=principal, expires_at=expires)

    def _insert_token(
        self,
        token: str,
        kind: str,
        principal: Principal,
        *,
        label: str,
        now: datetime,
        expires: datetime | None,
    ) -> int:
        with self._db.write() as conn:
            owner: dict[str, int] = (
                {"staff_id": principal.id}
                if principal.kind == "staff"
                else {
                    "reader_id": principal.id,
                    "reader_epoch": session_epoch(conn, principal.id),
                }
            )
            return repo.insert_token(
                conn,
                token_hash=digest(token),
                kind=kind,
                label=label,
                created_at=now,
                expires_at=expires,
                **owner,
            )

    # --- staff accounts and API tokens --------------------------------------------

    def create_staff(
        self,
        username: str,
        name: str,
        password: str,
        role: str,
        branches: Iterable[str] = (),
    ) -> StaffAccount:
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise ShelfwiseError("access.username_invalid", username=username)
        checked_role = _checked_role(role)
        _check_password(password)
        codes = _codes(branches)
        now = to_second(self._clock.now())
        try:
            with self._db.write() as conn:
                _check_branches(conn, codes)
                repo.insert_staff(
                    conn,
                    username=username,
                    name=name.strip() or username,
                    password_hash=self._hasher.hash(password),
                    role=checked_role,
                    branches=",".join(codes),
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            raise ShelfwiseError("access.username_taken", username=username) from None
        return self.staff_account(username)

    def staff_account(self, username: str) -> StaffAccount:
        with self._db.read() as conn:
            row = repo.staff_row(conn, username.strip().lower())
        if row is None:
            raise ShelfwiseError("access.staff_unknown", username=username)
        return repo.staff_account(row)

    def staff_accounts(self) -> list[StaffAccount]:
        with self._db.read() as conn:
            return repo.staff_rows(conn)

    def update_staff(
        self,
        username: str,
        *,
        role: str | None = None,
        branches: Sequence[str] | None = None,
        enabled: bool | None = None,
        password: str | None = None,
    ) -> StaffAccount:
        account = self.staff_account(username)
        values: dict[str, object] = {"updated_at": to_second(self._clock.now())}
        if role is not None:
            values["role"] = _checked_role(role)
        if branches is not None:
            values["branches"] = ",".join(_codes(branches))
        if enabled is not None:
            values["enabled"] = int(enabled)
        if password is not None:
            _check_password(password)
            values["password_hash"] = self._hasher.hash(password)
        with self._db.write() as conn:
            if branches is not None:
                _check_branches(conn, _codes(branches))
            repo.update_staff(conn, account.id, **values)
            if enabled is False or password is not None:
                # A disabled account or a changed password ends every open session.
                repo.revoke_staff_sessions(conn, account.id, values["updated_at"])
        return self.staff_account(username)

    def issue_api_token(self, username: str, label: str, *, days: int | None = 365) -> str:
        """A long-lived token for another system, acting with the staff account's role."""
        account = self.staff_account(username)
        token = "swt_" + secrets.token_urlsafe(32)
        now = to_second(self._clock.now())
        expires = None if days is None else now + timedelta(days=days)
        self._insert_token(
            token, "api", repo.staff_principal(account), label=label, now=now, expires=expires
        )
        return token

    def api_tokens(self) -> list[ApiToken]:
        with self._db.read() as conn:
            return [
                ApiToken(
                    id=int(r.id),
                    label=r.label,
                    staff_username=r.username,
                    created_at=aware(r.created_at),
                    expires_at=None if r.expires_at is None else aware(r.expires_at),
                    last_used_at=None if r.last_used_at is None else aware(r.last_used_at),
                    revoked=r.revoked_at is not None,
                )
                for r in repo.api_token_rows(conn)
            ]

    def revoke_api_token(self, token_id: int) -> None:
        with self._db.write() as conn:
            done = repo.revoke_api_token(conn, token_id, to_second(self._clock.now()))
        if not done:
            raise ShelfwiseError("access.token_unknown", token=token_id)

    # --- the audit trail (P7) -------------------------------------------------------

    def audit(
        self,
        principal: Principal,
        *,
        door: str,
        action: str,
        card_number: str | None = None,
        reader_id: int | None = None,
        fields: Iterable[str] = (),
    ) -> None:
        """Record that a staff member read (or changed) a reader's data: ids and field names only."""
        if principal.kind != "staff":
            return  # a reader reading their own account is not a staff read
        self._record("staff", principal.id, door, action, card_number, reader_id, fields)

    def audit_list(
        self, principal: Principal, *, door: str, reader_ids: Iterable[int], fields: Iterable[str]
    ) -> None:
        """One audited read (P7) per reader a list showed, written in one transaction."""
        ids = list(dict.fromkeys(reader_ids))
        if principal.kind != "staff" or not ids:
            return
        at = to_second(self._clock.now())
        named = ",".join(sorted(set(fields)))
        with self._db.write() as conn:
            repo.insert_audits(
                conn,
                [
                    {
                        "at": at,
                        "actor_kind": "staff",
                        "actor_id": principal.id,
                        "door": door,
                        "action": "read",
                        "reader_id": reader_id,
                        "fields": named,
                    }
                    for reader_id in ids
                ],
            )

    def audit_terminal(
        self,
        terminal_id: int,
        *,
        action: str,
        card_number: str | None = None,
        reader_id: int | None = None,
        fields: Iterable[str] = (),
    ) -> None:
        """Record what a self-service terminal (SIP2) did with a reader's data, or a refusal
        (S-4): the terminal account is the actor, so the trail says via which kiosk."""
        self._record("sip2-terminal", terminal_id, "sip2", action, card_number, reader_id, fields)

    def _record(
        self,
        actor_kind: str,
        actor_id: int,
        door: str,
        action: str,
        card_number: str | None,
        reader_id: int | None,
        fields: Iterable[str],
    ) -> None:
        with self._db.write() as conn:
            if reader_id is None and card_number is not None:
                reader_id = find_reader_id(conn, card_number)
            repo.insert_audit(
                conn,
                at=to_second(self._clock.now()),
                actor_kind=actor_kind,
                actor_id=actor_id,
                door=door,
                action=action,
                reader_id=reader_id,
                fields=",".join(sorted(set(fields))),
            )

    def audit_trail(self, *, card_number: str | None = None, limit: int = 100) -> list[AuditEntry]:
        with self._db.read() as conn:
            reader_id = None if card_number is None else reader_id_of(conn, card_number)
            return repo.audit_rows(conn, reader_id=reader_id, limit=limit)


def _checked_role(role: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise ShelfwiseError("access.role_unknown", role=role, roles=", ".join(ROLES))


def _codes(branches: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(b.strip() for b in branches if b.strip()))


def _check_branches(conn: Connection, codes: list[str]) -> None:
    """A branch code an account is bound to must exist: a misspelt one would bind it to
    nothing, and an account bound to nothing works everywhere."""
    unknown = repo.unknown_branches(conn, codes)
    if unknown:
        raise ShelfwiseError("access.branch_unknown", branch=", ".join(unknown))


def _check_password(password: str) -> None:
    if len(password) < MIN_STAFF_PASSWORD:
        raise ShelfwiseError("access.password_weak", minimum=MIN_STAFF_PASSWORD)
