"""Reader operations, one transaction each: the rules of registration, identity, secrets,
blocks and consents. The SQL is in readers/repo.py.

Doors use :class:`ReaderService`; the domains above readers (circulation, access) read
readers inside their own transactions through readers/reading.py, and a reader's data
export and erasure go through readers/privacy.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import repo
from shelfwise.readers.finding import query_key, search_keys
from shelfwise.readers.models import (
    CONSENT_PURPOSES,
    DEFAULT_CATEGORIES,
    Confirmation,
    Consent,
    Reader,
    ReaderStatus,
    Registration,
)
from shelfwise.readers.reading import load_reader
from shelfwise.readers.security import (
    SecretHasher,
    is_id_card,
    luhn_digit,
    new_token,
    token_digest,
    validate_password,
    validate_pin,
)
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Outbox topic of "send this reader the e-mail confirmation" (payload: reader id only).
CONFIRM_TOPIC = "readers.confirm_email"


@dataclass(frozen=True, slots=True)
class ReaderPolicy:
    card_prefix: str
    card_years: int
    categories: tuple[str, ...]
    notice_version: str
    self_registered_must_confirm: bool
    self_service_categories: tuple[str, ...] = ("adult", "senior", "student")
    registrations_per_hour: int = 10  # from one network address (0: no limit)
    confirmations_per_hour: int = 10  # tries for one card (0: no limit)


class Throttle(Protocol):
    """Counts uses of a subject in a window; the end of the window once over ``limit``."""

    def throttle(self, subject: str, *, limit: int, seconds: int) -> datetime | None: ...


class ReaderService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: SecretHasher,
        policy: ReaderPolicy,
        *,
        throttle: Throttle,
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self.policy = policy
        self._throttle = throttle

    @property
    def hasher(self) -> SecretHasher:
        """The PIN and ID-card hasher, for bulk paths (moving in) that write reader rows."""
        return self._hasher

    # --- registration ----------------------------------------------------------------

    def register(
        self,
        *,
        name: str,
        category: str,
        email: str | None = None,
        phone: str | None = None,
        birth_year: int | None = None,
        home_branch: str | None = None,
        id_card: str | None = None,
        pin: str | None = None,
        password: str | None = None,
        card_number: str | None = None,
        expires_on: date | None = None,
        self_registered: bool = False,
    ) -> Registration:
        self._check_registration(name, category, email, pin, password, self_registered)
        id_hash, last4 = self._hasher.id_card(id_card) if id_card else (None, None)
        if id_card and self._find_id_card(id_card) is not None:
            raise ShelfwiseError("readers.id_card_registered")
        pin_hash = self._hasher.hash(pin) if pin else None
        password_hash = self._hasher.hash(password) if password else None
        token, token_hash = new_token() if self_registered else (None, None)
        pending = self_registered and self.policy.self_registered_must_confirm
        now = self._clock.now()
        expires = expires_on or _add_years(self._clock.today(), self.policy.card_years)
        try:
            with self._db.write() as conn:
                branch_id = _branch_id(conn, home_branch) if home_branch else None
                placeholder = card_number or f"~{token_digest(str(now) + name)[:24]}"
                reader_id = repo.insert_reader(
                    conn,
                    card_number=placeholder,
                    category=category,
                    status=str(ReaderStatus.PENDING if pending else ReaderStatus.ACTIVE),
                    name=name.strip(),
                    email=email,
                    phone=phone,
                    birth_year=birth_year,
                    home_branch_id=branch_id,
                    id_card_hash=id_hash,
                    id_card_last4=last4,
                    pin_hash=pin_hash,
                    password_hash=password_hash,
                    expires_on=expires,
                    verify_token_hash=token_hash,
                    created_at=now,
                    updated_at=now,
                )
                self._number_and_keys(conn, reader_id, card_number, (name, phone, email))
                self._log_consent(conn, reader_id, "reading_history", granted=False, at=now)
                if self_registered:  # the confirmation e-mail goes after commit
                    enqueue(conn, self._clock, CONFIRM_TOPIC, {"reader_id": int(reader_id)})
                return Registration(load_reader(conn, reader_id), token)
        except IntegrityError as exc:
            conflict = _registration_conflict(exc, card_number)
            if conflict is None:
                raise
            raise conflict from exc

    def _number_and_keys(
        self,
        conn: Connection,
        reader_id: int,
        card_number: str | None,
        found_by: tuple[str, str | None, str | None],
    ) -> None:
        """The library's own card number (from the row's id) when none was given, and the
        keys a staff search finds the new reader by (name, phone, e-mail)."""
        if card_number is None:
            repo.update_reader(conn, reader_id, card_number=self._card_for(reader_id))
        repo.replace_search_keys(conn, reader_id, search_keys(*found_by))

    def _card_for(self, reader_id: int) -> str:
        body = f"{reader_id:09d}"
        return f"{self.policy.card_prefix}{body}{luhn_digit(body)}"

    def _check_registration(
        self,
        name: str,
        category: str,
        email: str | None,
        pin: str | None,
        password: str | None,
        self_registered: bool,
    ) -> None:
        """What a registration must satisfy before anything is hashed or written."""
        if category not in self.policy.categories:
            raise ShelfwiseError("readers.unknown_category", category=category)
        if not name.strip():
            raise ShelfwiseError("request.invalid", detail="name is empty")
        if email is not None and not _EMAIL.match(email):
            raise ShelfwiseError("readers.email_invalid")
        if self_registered and email is None:
            raise ShelfwiseError("readers.email_required")
        if pin is not None:
            validate_pin(pin)
        if password is not None:
            validate_password(password)

    def self_register(
        self,
        *,
        source: str,
        name: str,
        email: str,
        category: str | None = None,
        phone: str | None = None,
        pin: str | None = None,
        password: str | None = None,
        home_branch: str | None = None,
    ) -> Registration:
        """Registration by the reader online, the one path of every door (web and API).

        ``source`` is where the request came from (the client address): at most
        ``registrations_per_hour`` from one source (D12). The category is
        one the library allows online (the first of them when none is chosen); a PIN or a
        password is needed. The reader is ``pending`` until the e-mail is confirmed when
        the policy asks for it; the confirmation e-mail is an outbox event of the same
        transaction.
        """
        self._limit(f"register-ip:{source}", self.policy.registrations_per_hour)
        allowed = self.policy.self_service_categories
        if category is None and allowed:
            category = allowed[0]
        if category is None or category not in allowed:
            raise ShelfwiseError(
                "readers.category_not_self_service",
                category=category or "",
                allowed=", ".join(allowed),
            )
        if not pin and not password:
            raise ShelfwiseError("readers.secret_required")
        return self.register(
            name=name,
            category=category,
            email=email,
            phone=phone,
            home_branch=home_branch,
            pin=pin or None,
            password=password or None,
            self_registered=True,
        )

    def _limit(self, subject: str, limit: int) -> None:
        until = self._throttle.throttle(subject, limit=limit, seconds=3600)
        if until is not None:
            raise ShelfwiseError("access.rate_limited", until=until.strftime("%Y-%m-%d %H:%M UTC"))

    def issue_confirmation(self, reader_id: int) -> Confirmation | None:
        """A fresh one-time e-mail token for the reader, replacing the stored hash.

        None when there is nothing to confirm (confirmed already, deleted, no e-mail).
        Called when the e-mail is sent: only the token's hash is ever stored, so the
        sender makes the token it mails (the latest e-mail's token is the valid one).
        """
        with self._db.write() as conn:
            row = repo.row_by_id(conn, reader_id, lock=True)
            if row is None or row.verify_token_hash is None or not row.email:
                return None
            token, token_hash = new_token()
            repo.update_reader(conn, reader_id, verify_token_hash=token_hash)
            return Confirmation(row.card_number, row.name, row.email, token)

    def confirm_email(self, card_number: str, token: str) -> Reader:
        """Confirm the e-mail address with the code it received (every door comes here).

        At most ``confirmations_per_hour`` tries per card; an unknown card is refused
        exactly like a wrong code, so the form cannot be used to find card numbers.
        """
        self._limit(f"confirm:{card_number}", self.policy.confirmations_per_hour)
        with self._db.write() as conn:
            row = repo.row_by_card(conn, card_number, lock=True)
            if (
                row is None
                or row.verify_token_hash is None
                or row.verify_token_hash != token_digest(token)
            ):
                raise ShelfwiseError("readers.token_invalid")
            repo.update_reader(
                conn, row.id, status=str(ReaderStatus.ACTIVE), verify_token_hash=None
            )
            return load_reader(conn, row.id)

    # --- reading ---------------------------------------------------------------------

    def get(self, card_number: str) -> Reader:
        with self._db.read() as conn:
            return repo.reader_of(_row(conn, card_number))

    def identify(self, typed: str) -> Reader:
        """The reader a desk typed or scanned: a card number, or an identity-card number
        (many libraries lend on the ID card itself)."""
        typed = typed.strip()
        with self._db.read() as conn:
            reader_id = repo.id_by_card(conn, typed)
            if reader_id is not None:
                return load_reader(conn, reader_id)
        found = self._find_id_card(typed) if is_id_card(typed) else None
        if found is None:
            raise ShelfwiseError("readers.not_found", card=typed)
        return found

    def find(self, typed: str, *, limit: int = 20) -> list[Reader]:
        """Readers a staff search means: the card or identity card typed in full first (the
        identity card by its keyed hash, P9), then those whose name (any script, pinyin),
        phone or e-mail starts with what was typed."""
        typed = typed.strip()
        key = query_key(typed)
        if not key:
            return []
        with self._db.read() as conn:
            card_id = repo.id_by_card(conn, typed)
            exact = [load_reader(conn, card_id)] if card_id is not None else []
            rows = repo.rows_by_key_prefix(conn, key, limit)
        if not exact and is_id_card(typed) and (found := self._find_id_card(typed)):
            exact.append(found)
        known = {r.id for r in exact}
        matched = sorted(
            (repo.reader_of(r) for r in rows if r.id not in known),
            key=lambda r: (r.name, r.card_number),
        )
        return (exact + matched)[:limit]

    def _find_id_card(self, number: str) -> Reader | None:
        """The reader registered with this identity card, under the current key or an earlier
        one; a hash made with an earlier key is replaced by the current key's, now that the
        number is known again (it cannot be done before: only the number gives the hash)."""
        lookups = self._hasher.id_card_lookups(number)
        with self._db.write() as conn:
            found = repo.id_card_match(conn, lookups)
            if found is None:
                return None
            reader_id, id_card_hash = found
            if id_card_hash != lookups[0]:
                repo.update_reader(conn, reader_id, id_card_hash=lookups[0])
            return load_reader(conn, reader_id)

    def authenticate(self, card_number: str, secret: str, *, kind: str = "pin") -> Reader:
        """Check a PIN or password; the same refusal whether the card or the secret is wrong."""
        with self._db.read() as conn:
            row = repo.row_by_card(conn, card_number)
        stored = None if row is None else (row.pin_hash if kind == "pin" else row.password_hash)
        if not self._hasher.verify(stored, secret) or row is None:
            raise ShelfwiseError("readers.login_failed")
        return self.get(card_number)

    def consents(self, card_number: str) -> list[Consent]:
        with self._db.read() as conn:
            return repo.consents(conn, _row(conn, card_number).id)

    # --- changes ---------------------------------------------------------------------

    def update_details(
        self,
        card_number: str,
        *,
        name: str,
        category: str,
        email: str | None = None,
        phone: str | None = None,
        birth_year: int | None = None,
        home_branch: str | None = None,
    ) -> Reader:
        """Replace the reader's details as the desk edits them (None clears an optional one)."""
        if category not in self.policy.categories:
            raise ShelfwiseError("readers.unknown_category", category=category)
        if not name.strip():
            raise ShelfwiseError("request.invalid", detail="name is empty")
        if email is not None and not _EMAIL.match(email):
            raise ShelfwiseError("readers.email_invalid")
        with self._db.write() as conn:
            row = _row(conn, card_number, lock=True)
            repo.update_reader(
                conn,
                row.id,
                name=name.strip(),
                category=category,
                email=email,
                phone=phone,
                birth_year=birth_year,
                home_branch_id=_branch_id(conn, home_branch) if home_branch else None,
                updated_at=self._clock.now(),
                version=repo.NEXT_VERSION,
            )
            repo.replace_search_keys(conn, row.id, search_keys(name, phone, email))
            return load_reader(conn, row.id)

    # A new PIN or password, or a block, ends every session the reader has open: the
    # epoch moves and the access service refuses tokens made under an older one.

    def set_pin(self, card_number: str, pin: str) -> None:
        validate_pin(pin)
        self._update(card_number, pin_hash=self._hasher.hash(pin), session_epoch=repo.NEXT_EPOCH)

    def set_password(self, card_number: str, password: str) -> None:
        validate_password(password)
        self._update(
            card_number, password_hash=self._hasher.hash(password), session_epoch=repo.NEXT_EPOCH
        )

    def block(self, card_number: str, reason: str) -> Reader:
        if not reason.strip():
            raise ShelfwiseError("request.invalid", detail="a block needs a reason")
        return self._update(card_number, manual_block=reason.strip(), session_epoch=repo.NEXT_EPOCH)

    # "My library": the reader's home branch is the one they choose here (or at the desk).
    # It is where their holds are picked up unless they say otherwise, the shelf search's
    # ``available_at=mine`` means, and the branch whose copies a record page lists first.

    def set_home_branch(self, card_number: str, branch: str | None) -> Reader:
        """Choose the reader's own library by branch code (None: no choice)."""
        with self._db.write() as conn:
            branch_id = _branch_id(conn, branch) if branch else None
            row = _row(conn, card_number, lock=True)
            repo.update_reader(
                conn,
                row.id,
                home_branch_id=branch_id,
                updated_at=self._clock.now(),
                version=repo.NEXT_VERSION,
            )
            return load_reader(conn, row.id)

    def home_branch(self, card_number: str) -> str | None:
        """The code of the reader's own library, if they have one."""
        with self._db.read() as conn:
            row = _row(conn, card_number)
            return (
                None if row.home_branch_id is None else repo.branch_code(conn, row.home_branch_id)
            )

    def unblock(self, card_number: str) -> Reader:
        return self._update(card_number, manual_block=None)

    def renew_card(self, card_number: str) -> Reader:
        return self._update(
            card_number, expires_on=_add_years(self._clock.today(), self.policy.card_years)
        )

    def set_consent(self, card_number: str, purpose: str, granted: bool) -> Reader:
        """Grant or withdraw one consent; each change is logged with the notice version."""
        if purpose not in CONSENT_PURPOSES:
            raise ShelfwiseError("readers.unknown_purpose", purpose=purpose)
        now = self._clock.now()
        with self._db.write() as conn:
            row = _row(conn, card_number, lock=True)
            values: dict[str, Any] = {"updated_at": now, "version": repo.NEXT_VERSION}
            if purpose == "reading_history":
                values["history_opt_in"] = int(granted)
            elif purpose == "email_notices":
                values["notices_email"] = int(granted)
            elif purpose == "email_receipts":
                values["receipts_email"] = int(granted)
            elif purpose == "recommendations":
                # P11: read by circulation at checkout (what recommend may learn) and by
                # recommend at every request ("for you" goes at once on a withdrawal)
                values["recommend_opt_in"] = int(granted)
            repo.update_reader(conn, row.id, **values)
            self._log_consent(conn, row.id, purpose, granted=granted, at=now)
            return load_reader(conn, row.id)

    def _update(self, card_number: str, **values: Any) -> Reader:
        now = self._clock.now()
        with self._db.write() as conn:
            row = _row(conn, card_number, lock=True)
            repo.update_reader(conn, row.id, updated_at=now, version=repo.NEXT_VERSION, **values)
            return load_reader(conn, row.id)

    def _log_consent(
        self, conn: Connection, reader_id: int, purpose: str, *, granted: bool, at: datetime
    ) -> None:
        repo.insert_consent(
            conn,
            reader_id,
            purpose,
            granted=granted,
            notice_version=self.policy.notice_version,
            at=at,
        )


def _row(conn: Connection, card_number: str, *, lock: bool = False) -> Row[Any]:
    row = repo.row_by_card(conn, card_number, lock=lock)
    if row is None:
        raise ShelfwiseError("readers.not_found", card=card_number)
    return row


def _branch_id(conn: Connection, code: str) -> int:
    branch_id = repo.branch_id(conn, code)
    if branch_id is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    return branch_id


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def categories_from(extra: str) -> tuple[str, ...]:
    return DEFAULT_CATEGORIES + tuple(c.strip() for c in extra.split(",") if c.strip())


def categories_from_list(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


def _registration_conflict(exc: IntegrityError, card_number: str | None) -> ShelfwiseError | None:
    """The unique index a registration ran into, as the error a person can act on.

    Two desks may register the same identity card, or the same chosen card number, at
    once: the check before the insert cannot see the other's uncommitted row."""
    text = str(exc.orig).lower()
    if "id_card" in text:
        return ShelfwiseError("readers.id_card_registered")
    if "card_number" in text:
        return ShelfwiseError("readers.card_taken", card=card_number or "")
    return None
