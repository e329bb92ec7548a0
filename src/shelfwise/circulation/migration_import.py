"""Moving in from another system: readers, open loans, holds and fees from CSV files.

The same rules as the MARC import (``catalogue/importing.py``): each batch of
rows is one write transaction; a bad row goes to a rejects file (JSON lines:
line, reason, raw text) and the import goes on; running the same file again
adds nothing. Every row runs in its own savepoint, so a row the database
refuses (a concurrent checkout at a desk, say) is rejected alone.

What makes a row "already there": a reader's card number; a loan's item and
checkout time; a hold's reader, title and placed time; a fee's reader, kind,
amount, time, item and reason. Loans, holds and fees remember that through the
idempotency keys circulation already has (``migrate-in:<kind>:<sha256>``, the
digest over internal ids, so no card or ID-card number is kept there).

Loans keep their original checkout and due dates and renewal counts; the
invariants still hold (one open loan per item: a second is rejected, and the
partial unique index stands behind that). Limits and blocks are not applied:
the loans exist already. docs/migration.md documents the columns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation import repo
from shelfwise.circulation.availability import shelf_changed
from shelfwise.circulation.migration_csv import (
    BadLine,
    ColumnsError,
    CsvFile,
    CsvRow,
    RowError,
    category_of,
    email_of,
    fee_kind_of,
    parse_cents,
    parse_date,
    parse_int,
    parse_time,
    phone_of,
    reject_line,
    required,
)
from shelfwise.circulation.rules import resolve
from shelfwise.circulation.states import (
    ACTIVE_HOLDS,
    HoldStatus,
    LoanStatus,
    check_hold,
    check_loan,
)
from shelfwise.core import isbn
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import moving_in
from shelfwise.readers.moving_in import MovedInReader
from shelfwise.readers.reading import IdAndCategory, id_and_category
from shelfwise.readers.security import validate_pin
from shelfwise.readers.service import ReaderService
from shelfwise.storage.database import Database
from shelfwise.storage.tables import (
    branches,
    fees,
    holds,
    idempotency_keys,
    items,
    loans,
    record_isbns,
    records,
)

Progress = Callable[[int, int], None]  # (rows handled so far, bytes read so far)

CURRENCIES = ("CNY", "RMB")


@dataclass(frozen=True, slots=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


COLUMNS = {
    "readers": Columns(
        ("card_number", "name", "category"),
        ("branch", "email", "phone", "birth_year", "id_card", "pin_hash", "initial_pin",
         "created", "expires", "block"),
    ),
    "loans": Columns(("card_number", "item_barcode", "checked_out", "due"), ("renewals", "branch")),
    "holds": Columns(
        ("card_number", "pickup_branch", "placed"),
        ("item_barcode", "isbn", "record_id", "queue_position"),
    ),
    "fees": Columns(
        ("card_number", "amount", "date"), ("currency", "kind", "reason", "item_barcode")
    ),
}  # fmt: skip
KINDS = tuple(COLUMNS)  # also the order to import them in: loans need their readers


@dataclass(slots=True)
class MigrationSummary:
    kind: str
    path: str
    encoding: str = ""
    read: int = 0
    added: int = 0
    unchanged: int = 0  # imported by an earlier run
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rejects_path: str | None = None


class MigrationImporter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        readers_service: ReaderService,
        *,
        work_dir: Path,
        batch_size: int = 2000,
        local_offset: timezone = UTC,
    ) -> None:
        self._db = db
        self._clock = clock
        self._readers = readers_service
        self._work_dir = work_dir  # rejects files go here, never beside the input
        self._batch_size = batch_size
        self._offset = local_offset  # dates and times in the files are the library's local time
        self._cache: dict[tuple[object, ...], int | None] = {}  # branches and rules, per batch

    def import_file(
        self,
        kind: str,
        path: Path,
        *,
        encoding: str | None = None,
        rejects_path: Path | None = None,
        progress: Progress | None = None,
    ) -> MigrationSummary:
        """Import one file of ``kind`` (readers, loans, holds or fees)."""
        if kind not in COLUMNS:
            raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        source = CsvFile(path, encoding=encoding)
        summary = MigrationSummary(kind=kind, path=str(path), encoding=source.encoding)
        self._work_dir.mkdir(parents=True, exist_ok=True)
        stamp = self._clock.now().strftime("%Y%m%dT%H%M%S")
        rejects_path = rejects_path or self._work_dir / f"{path.name}.{stamp}.rejects.jsonl"
        store = self._storer(kind)
        try:
            with rejects_path.open("w", encoding="utf-8") as rejects:
                self._import_rows(source, store, summary, rejects, progress)
        except ColumnsError:
            rejects_path.unlink(missing_ok=True)  # the header was wrong: nothing was read
            raise
        if progress is not None:
            progress(summary.read, source.size)
        if summary.rejected:
            summary.rejects_path = str(rejects_path)
        else:
            rejects_path.unlink(missing_ok=True)
        return summary

    def _import_rows(
        self,
        source: CsvFile,
        store: Callable[[Connection, dict[str, str]], bool],
        summary: MigrationSummary,
        rejects: IO[str],
        progress: Progress | None,
    ) -> None:
        columns = COLUMNS[summary.kind]
        entries: Iterable[CsvRow | BadLine] = source.rows(columns.required, columns.known)
        if summary.kind == "holds":
            entries = _in_queue_order(entries)  # ids decide queue positions
        batch: list[CsvRow] = []
        for entry in entries:
            summary.read += 1
            if isinstance(entry, BadLine):
                _reject(rejects, summary, entry.line, "bad line", entry.reason, entry.raw)
                continue
            batch.append(entry)
            if len(batch) >= self._batch_size:
                self._store_batch(store, batch, summary, rejects)
                batch = []
                if progress is not None:
                    progress(summary.read, source.bytes_read)
        if batch:
            self._store_batch(store, batch, summary, rejects)
        summary.ignored_columns = source.ignored_columns(columns.known)

    def _storer(self, kind: str) -> Callable[[Connection, dict[str, str]], bool]:
        return {
            "readers": self._reader,
            "loans": self._loan,
            "holds": self._hold,
            "fees": self._fee,
        }[kind]

    def _store_batch(
        self,
        store: Callable[[Connection, dict[str, str]], bool],
        batch: list[CsvRow],
        summary: MigrationSummary,
        rejects: IO[str],
    ) -> None:
        """One transaction for the batch, one savepoint per row: (added or unchanged) or rejected."""
        self._cache.clear()
        with self._db.write() as conn:
            for row in batch:
                try:
                    with conn.begin_nested():
                        added = store(conn, row.values)
                except RowError as exc:
                    _reject(rejects, summary, row.line, exc.label, str(exc), row.raw)
                    continue
                except ShelfwiseError as exc:
                    reason = f"{exc.code}: {exc.message('en')}"
                    _reject(rejects, summary, row.line, exc.code, reason, row.raw)
                    continue
                except IntegrityError as exc:
                    reason = f"refused by the database: {str(exc.orig).splitlines()[0]}"
                    label = _integrity_label(str(exc.orig))
                    _reject(rejects, summary, row.line, label, reason, row.raw)
                    continue
                if added:
                    summary.added += 1
                else:
                    summary.unchanged += 1

    # --- readers ----------------------------------------------------------------------

    def _reader(self, conn: Connection, v: dict[str, str]) -> bool:
        card = required(v, "card_number")
        if len(card) > 32:
            raise RowError("bad card number", f"{card!r} is longer than 32 characters")
        if moving_in.card_known(conn, card):
            return False
        policy = self._readers.policy
        hasher = self._readers.hasher
        category = category_of(v["category"], policy.categories)
        now = self._clock.now()
        created = parse_time(v["created"], "created", self._offset) if v["created"] else now
        expires = (
            parse_date(v["expires"], "expires")
            if v["expires"]
            else _add_years(created.astimezone(self._offset).date(), policy.card_years)
        )
        id_hash, last4 = hasher.id_card(v["id_card"]) if v["id_card"] else (None, None)
        if id_hash is not None and moving_in.id_card_known(
            conn, hasher.id_card_lookups(v["id_card"])
        ):
            raise RowError("id card registered", "another reader has this identity card")
        reader = MovedInReader(
            card_number=card,
            category=category,
            name=required(v, "name"),
            email=email_of(v["email"]),
            phone=phone_of(v["phone"]),
            birth_year=parse_int(v["birth_year"], "birth_year") if v["birth_year"] else None,
            home_branch_id=self._branch(conn, v["branch"], "branch") if v["branch"] else None,
            id_card_hash=id_hash,
            id_card_last4=last4,
            pin_hash=self._pin_hash(v["pin_hash"], v["initial_pin"]),
            expires_on=expires,
            manual_block=v["block"] or None,
            created_at=created,
        )
        moving_in.add_reader(conn, reader, notice_version=policy.notice_version, at=now)
        return True

    def _pin_hash(self, stored: str, initial: str) -> str | None:
        if stored:
            if not stored.startswith("$argon2"):
                raise RowError(
                    "pin hash not argon2",
                    "pin_hash must be an Argon2 hash; give initial_pin or leave both empty",
                )
            return stored
        if initial:
            validate_pin(initial)
            return self._readers.hasher.hash(initial)
        return None

    # --- loans ------------------------------------------------------------------------

    def _loan(self, conn: Connection, v: dict[str, str]) -> bool:
        reader = _reader_row(conn, required(v, "card_number"))
        barcode = required(v, "item_barcode")
        item = _item_row(conn, barcode)
        loaned_at = parse_time(required(v, "checked_out"), "checked_out", self._offset)
        due_on = parse_date(required(v, "due"), "due")
        renewals = parse_int(v["renewals"], "renewals", default=0)
        now = self._clock.now()
        if loaned_at > now:
            raise RowError("bad date", f"checked_out {v['checked_out']} is in the future")
        if due_on < loaned_at.astimezone(self._offset).date():
            raise RowError("bad date", f"due {due_on} is before checked_out {v['checked_out']}")
        key = _key("loan", item.id, loaned_at.isoformat())
        if _exists(conn, idempotency_keys.c.key, idempotency_keys.c.key == key):
            return False
        if item.lifecycle != "in_service":
            raise RowError("item not in service", f"item {barcode} is {item.lifecycle}")
        current = repo.open_loan(conn, item.id)
        if current is not None:
            since = _as_utc(current.loaned_at).astimezone(self._offset)
            raise RowError(
                "duplicate open loan", f"item {barcode} is already on loan (since {since:%Y-%m-%d})"
            )
        branch_id = (
            self._branch(conn, v["branch"], "branch") if v["branch"] else item.home_branch_id
        )
        check_loan(None, LoanStatus.ON_LOAN, "checkout")
        loan_id = conn.execute(
            insert(loans)
            .values(
                item_id=item.id,
                reader_id=reader.id,
                status=str(LoanStatus.ON_LOAN),
                branch_id=branch_id,
                item_type=item.item_type,
                reader_category=reader.category,
                rule_id=self._rule_id(conn, reader.category, item.item_type, branch_id),
                loaned_at=loaned_at,
                due_on=due_on,
                renewals=renewals,
            )
            .returning(loans.c.id)
        ).scalar_one()
        self._remember(conn, key, "loan", loan_id)
        shelf_changed(conn, self._clock, [item.record_id])  # search: the copy left the shelf
        return True

    # --- holds ------------------------------------------------------------------------

    def _hold(self, conn: Connection, v: dict[str, str]) -> bool:
        reader = _reader_row(conn, required(v, "card_number"))
        record_id = _record_of(conn, v)
        pickup = self._branch(conn, required(v, "pickup_branch"), "pickup_branch")
        placed = parse_time(required(v, "placed"), "placed", self._offset)
        key = _key("hold", reader.id, record_id, placed.isoformat())
        if _exists(conn, idempotency_keys.c.key, idempotency_keys.c.key == key):
            return False
        active = [str(s) for s in ACTIVE_HOLDS]
        if _exists(
            conn,
            holds.c.id,
            (holds.c.reader_id == reader.id)
            & (holds.c.record_id == record_id)
            & holds.c.status.in_(active),
        ):
            raise RowError("duplicate hold", f"the reader already has a hold on record {record_id}")
        check_hold(None, HoldStatus.WAITING, "place")
        hold_id = repo.insert_waiting_hold(
            conn,
            reader_id=reader.id,
            record_id=record_id,
            item_id=None,
            pickup_branch_id=pickup,
            placed_at=placed,
        )
        self._remember(conn, key, "hold", hold_id)
        return True

    # --- fees -------------------------------------------------------------------------

    def _fee(self, conn: Connection, v: dict[str, str]) -> bool:
        reader = _reader_row(conn, required(v, "card_number"))
        cents = parse_cents(required(v, "amount"), "amount")
        currency = (v["currency"] or "CNY").upper()
        if currency not in CURRENCIES:
            raise RowError("bad currency", f"{currency}: fees are kept in CNY (fen)")
        kind = fee_kind_of(v["kind"])
        created = parse_time(required(v, "date"), "date", self._offset)
        item = _item_row(conn, v["item_barcode"]) if v["item_barcode"] else None
        note = v["reason"] + (f" (item {v['item_barcode']})" if item is not None else "")
        item_id = "" if item is None else item.id
        key = _key("fee", reader.id, kind, cents, created.isoformat(), item_id, note)
        if _exists(conn, idempotency_keys.c.key, idempotency_keys.c.key == key):
            return False
        # Not linked to a loan: a check-in charges its own overdue fine (one per loan).
        fee_id = conn.execute(
            insert(fees)
            .values(
                reader_id=reader.id,
                kind=kind,
                status="open",
                item_type=None if item is None else item.item_type,
                amount_cents=cents,
                note=note.strip(),
                created_at=created,
            )
            .returning(fees.c.id)
        ).scalar_one()
        self._remember(conn, key, "fee", fee_id)
        return True

    def _branch(self, conn: Connection, code: str, column: str) -> int:
        key = ("branch", code)
        if key not in self._cache:
            self._cache[key] = _branch(conn, code, column)
        return int(self._cache[key] or 0)

    def _rule_id(self, conn: Connection, category: str, item_type: str, branch: int) -> int | None:
        """The rule a loan is made under, as at checkout (resolved once per batch and kind)."""
        key = ("rule", category, item_type, branch)
        if key not in self._cache:
            rules = repo.rules_for(conn, category, item_type, branch)
            self._cache[key] = resolve(rules, category, item_type, branch).rule.id
        return self._cache[key]

    def _remember(self, conn: Connection, key: str, kind: str, row_id: int) -> None:
        conn.execute(
            insert(idempotency_keys).values(
                key=key,
                operation=f"migrate_in_{kind}",
                result=json.dumps({f"{kind}_id": int(row_id)}),
                created_at=self._clock.now(),
            )
        )


# --- lookups --------------------------------------------------------------------------


def _reader_row(conn: Connection, card: str) -> IdAndCategory:
    row = id_and_category(conn, card)
    if row is None:
        raise RowError("unknown reader", f"no reader with card {card}")
    return row


def _item_row(conn: Connection, barcode: str) -> Any:
    row = conn.execute(select(items).where(items.c.barcode == barcode)).first()
    if row is None:
        raise RowError("unknown item barcode", f"no item with barcode {barcode}")
    return row


def _branch(conn: Connection, code: str, column: str) -> int:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    if found is None:
        raise RowError("unknown branch", f"{column}: no branch with code {code}")
    return int(found)


def _record_of(conn: Connection, v: dict[str, str]) -> int:
    """The title a hold is on: by a copy's barcode, an ISBN or a record id (merged ones followed)."""
    if v["item_barcode"]:
        record_id = int(_item_row(conn, v["item_barcode"]).record_id)
    elif v["isbn"]:
        number = isbn.to_isbn13(v["isbn"])
        found = None
        if number is not None:
            found = conn.execute(
                select(record_isbns.c.record_id)
                .where(record_isbns.c.isbn == number)
                .order_by(record_isbns.c.record_id)
                .limit(1)
            ).scalar()
        if found is None:
            raise RowError("unknown record", f"no record with ISBN {v['isbn']}")
        record_id = int(found)
    elif v["record_id"]:
        record_id = parse_int(v["record_id"], "record_id")
    else:
        raise RowError("missing value", "give item_barcode, isbn or record_id")
    row = conn.execute(
        select(records.c.state, records.c.merged_into_id).where(records.c.id == record_id)
    ).first()
    if row is not None and row.state == "merged" and row.merged_into_id is not None:
        record_id = int(row.merged_into_id)
        row = conn.execute(
            select(records.c.state, records.c.merged_into_id).where(records.c.id == record_id)
        ).first()
    if row is None or row.state != "active":
        raise RowError("unknown record", f"record {record_id} does not exist or is withdrawn")
    return record_id


def _exists(conn: Connection, column: Any, condition: Any) -> bool:
    return conn.execute(select(column).where(condition).limit(1)).first() is not None


def _key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"migrate-in:{kind}:{digest}"


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _in_queue_order(entries: Iterable[CsvRow | BadLine]) -> list[CsvRow | BadLine]:
    """Holds sorted by queue position (then file order): a title's queue follows insertion."""

    def position(entry: CsvRow | BadLine) -> tuple[int, int]:
        if isinstance(entry, BadLine):
            return (-1, entry.line)
        text = entry.values.get("queue_position", "")
        return (int(text) if text.isdigit() else 1 << 30, entry.line)

    return sorted(entries, key=position)


def _integrity_label(text: str) -> str:
    if "uq_loans_open_item" in text or "loans.item_id" in text:
        return "duplicate open loan"
    if "card_number" in text:
        return "card taken"
    if "id_card" in text:
        return "id card registered"
    return "refused by the database"


def _reject(
    out: IO[str],
    summary: MigrationSummary,
    line: int,
    label: str,
    reason: str,
    raw: str,
) -> None:
    out.write(reject_line(line, reason, raw))
    out.flush()
    summary.rejected += 1
    summary.reasons[label] = summary.reasons.get(label, 0) + 1
