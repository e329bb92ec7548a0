"""The wish wall's SQL (private to wishes/): wishes, supports, history, reports, notices
sent and the sensitive words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, case, delete, func, insert, or_, select, update
from sqlalchemy.sql import Select

from shelfwise.storage.tables import (
    branches,
    wish_history,
    wish_notices,
    wish_reports,
    wish_supports,
    wish_words,
    wishes,
)
from shelfwise.wishes.models import Moderation, WallFilter, WallOrder

_branch = branches.alias("wish_branch")

# The status order of the wall's "by status" sort: the open ones first, as they move.
_STATUS_RANK = case(
    {
        "submitted": 0,
        "in_review": 1,
        "accepted": 2,
        "ordered": 3,
        "received": 4,
        "fulfilled": 5,
        "declined": 6,
    },
    value=wishes.c.status,
)


def branch_id(conn: Connection, code: str) -> int | None:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    return None if found is None else int(found)


def branch_code(conn: Connection, branch: int | None) -> str | None:
    if branch is None:
        return None
    found = conn.execute(select(branches.c.code).where(branches.c.id == branch)).scalar()
    return None if found is None else str(found)


def central_branch(conn: Connection) -> int | None:
    found = conn.execute(
        select(branches.c.id).order_by((branches.c.kind != "central"), branches.c.id).limit(1)
    ).scalar()
    return None if found is None else int(found)


def _wish_select() -> Select[Any]:
    return select(wishes, _branch.c.code.label("branch_code")).select_from(
        wishes.outerjoin(_branch, _branch.c.id == wishes.c.branch_id)
    )


def insert_wish(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(wishes).values(**values).returning(wishes.c.id)).scalar_one())


def load_wish(conn: Connection, wish_id: int, *, lock: bool = False) -> Row[Any] | None:
    query = _wish_select().where(wishes.c.id == wish_id)
    if lock:
        # A no-op write first: SQLite's BEGIN IMMEDIATE already serialises; PostgreSQL
        # takes the row lock here.
        query = query.with_for_update(of=wishes)
    return conn.execute(query).first()


def update_wish(conn: Connection, wish_id: int, at: datetime, **values: Any) -> None:
    conn.execute(
        update(wishes)
        .where(wishes.c.id == wish_id)
        .values(updated_at=at, version=wishes.c.version + 1, **values)
    )


def count_since(conn: Connection, reader_id: int, since: datetime) -> int:
    return int(
        conn.execute(
            select(func.count()).where(
                wishes.c.reader_id == reader_id, wishes.c.created_at >= since
            )
        ).scalar_one()
    )


def wall(conn: Connection, what: WallFilter, branch: int | None) -> Sequence[Row[Any]]:
    query = _wish_select().where(wishes.c.moderation == str(Moderation.SHOWN))
    if what.branch is not None:
        query = query.where(wishes.c.branch_id == branch)
    if what.kind is not None:
        query = query.where(wishes.c.kind == str(what.kind))
    if what.status is not None:
        query = query.where(wishes.c.status == str(what.status))
    order = {
        WallOrder.NEWEST: (wishes.c.created_at.desc(), wishes.c.id.desc()),
        WallOrder.SUPPORTED: (wishes.c.supporters.desc(), wishes.c.id.desc()),
        WallOrder.STATUS: (_STATUS_RANK, wishes.c.id.desc()),
    }[what.order]
    return conn.execute(query.order_by(*order).limit(what.limit).offset(what.offset)).all()


def queue(conn: Connection, reports_to_queue: int) -> Sequence[Row[Any]]:
    """What waits for a moderator: pending wishes, and shown ones reported often enough."""
    return conn.execute(
        _wish_select()
        .where(
            or_(
                wishes.c.moderation == str(Moderation.PENDING),
                and_(
                    wishes.c.moderation == str(Moderation.SHOWN),
                    wishes.c.reports >= reports_to_queue,
                ),
            )
        )
        .order_by(wishes.c.id)
        .limit(500)
    ).all()


def wishes_of_reader(conn: Connection, reader_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        _wish_select().where(wishes.c.reader_id == reader_id).order_by(wishes.c.id)
    ).all()


def insert_history(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(
            insert(wish_history).values(**values).returning(wish_history.c.id)
        ).scalar_one()
    )


def history_of(conn: Connection, wish_id: int, *, public_only: bool) -> Sequence[Row[Any]]:
    query = select(wish_history).where(wish_history.c.wish_id == wish_id)
    if public_only:
        query = query.where(wish_history.c.public == 1)
    return conn.execute(query.order_by(wish_history.c.id)).all()


def history_row(conn: Connection, history_id: int) -> Row[Any] | None:
    return conn.execute(select(wish_history).where(wish_history.c.id == history_id)).first()


def insert_support(conn: Connection, **values: Any) -> None:
    conn.execute(insert(wish_supports).values(**values))


def add_supporters(conn: Connection, wish_id: int, count: int) -> None:
    conn.execute(
        update(wishes).where(wishes.c.id == wish_id).values(supporters=wishes.c.supporters + count)
    )


def supports_of(conn: Connection, wish_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(wish_supports).where(wish_supports.c.wish_id == wish_id).order_by(wish_supports.c.id)
    ).all()


def support_count(conn: Connection, wish_id: int) -> int:
    return int(
        conn.execute(select(func.count()).where(wish_supports.c.wish_id == wish_id)).scalar_one()
    )


def supporter_ids(conn: Connection, wish_id: int) -> set[int]:
    return set(
        conn.execute(
            select(wish_supports.c.reader_id).where(wish_supports.c.wish_id == wish_id)
        ).scalars()
    )


def delete_supports(conn: Connection, wish_id: int) -> None:
    conn.execute(delete(wish_supports).where(wish_supports.c.wish_id == wish_id))


def supports_of_reader(conn: Connection, reader_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(wish_supports)
        .where(wish_supports.c.reader_id == reader_id)
        .order_by(wish_supports.c.id)
    ).all()


def insert_report(conn: Connection, **values: Any) -> None:
    conn.execute(insert(wish_reports).values(**values))


def add_report(conn: Connection, wish_id: int) -> None:
    conn.execute(update(wishes).where(wishes.c.id == wish_id).values(reports=wishes.c.reports + 1))


def resolve_reports(conn: Connection, wish_id: int, at: datetime) -> None:
    conn.execute(
        update(wish_reports)
        .where(wish_reports.c.wish_id == wish_id, wish_reports.c.resolved_at.is_(None))
        .values(resolved_at=at)
    )
    conn.execute(update(wishes).where(wishes.c.id == wish_id).values(reports=0))


def words(conn: Connection) -> list[str]:
    return [
        str(w)
        for w in conn.execute(select(wish_words.c.word).order_by(wish_words.c.word)).scalars()
    ]


def add_word(conn: Connection, word: str, by: str, at: datetime) -> None:
    if conn.execute(select(wish_words.c.word).where(wish_words.c.word == word)).first() is None:
        conn.execute(insert(wish_words).values(word=word, added_by=by, added_at=at))


def remove_word(conn: Connection, word: str) -> None:
    conn.execute(delete(wish_words).where(wish_words.c.word == word))


def notice_sent(conn: Connection, history_id: int, reader_id: int) -> bool:
    return (
        conn.execute(
            select(wish_notices.c.history_id).where(
                wish_notices.c.history_id == history_id, wish_notices.c.reader_id == reader_id
            )
        ).first()
        is not None
    )


def record_notice(
    conn: Connection, history_id: int, reader_id: int, channel: str, at: datetime
) -> None:
    conn.execute(
        insert(wish_notices).values(
            history_id=history_id, reader_id=reader_id, channel=channel, sent_at=at
        )
    )


def forget_reader(conn: Connection, reader_id: int, placeholder: str, at: datetime) -> int:
    """Erasure: the reader's wishes stay, anonymous; their supports and reports lose the
    link (a support's count stays on the wish). Returns how many wishes they had."""
    count = int(
        conn.execute(
            update(wishes)
            .where(wishes.c.reader_id == reader_id)
            .values(reader_id=None, display_name=placeholder, pickup_branch_id=None, updated_at=at)
        ).rowcount
    )
    conn.execute(delete(wish_supports).where(wish_supports.c.reader_id == reader_id))
    conn.execute(
        update(wish_reports).where(wish_reports.c.reader_id == reader_id).values(reader_id=None)
    )
    conn.execute(
        update(wish_history).where(wish_history.c.reader_id == reader_id).values(reader_id=None)
    )
    return count


def stats(conn: Connection) -> tuple[dict[str, int], dict[str, int], int]:
    by_status = {
        str(s): int(n)
        for s, n in conn.execute(select(wishes.c.status, func.count()).group_by(wishes.c.status))
    }
    by_kind = {
        str(k): int(n)
        for k, n in conn.execute(select(wishes.c.kind, func.count()).group_by(wishes.c.kind))
    }
    supports = int(
        conn.execute(select(func.coalesce(func.sum(wishes.c.supporters), 0))).scalar_one()
    )
    return by_status, by_kind, supports
