"""The media domain's SQL (private: only media/ imports it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from shelfwise.media.models import Access, MediaFile, MediaObject, MediaText
from shelfwise.storage.tables import media_files, media_objects, media_search_keys, media_texts


def insert_object(conn: Connection, values: dict[str, Any]) -> int:
    key = conn.execute(insert(media_objects).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_files(conn: Connection, object_id: int, files: Iterable[MediaFile]) -> None:
    rows = [
        {
            "object_id": object_id,
            "role": f.role,
            "sha256": f.sha256,
            "content_type": f.content_type,
            "bytes": f.bytes,
            "width": f.width,
            "height": f.height,
        }
        for f in files
    ]
    if rows:
        conn.execute(insert(media_files), rows)


def replace_texts(conn: Connection, object_id: int, texts: Iterable[MediaText]) -> None:
    conn.execute(delete(media_texts).where(media_texts.c.object_id == object_id))
    rows = [
        {
            "object_id": object_id,
            "lang": t.lang,
            "caption": t.caption,
            "alt": t.alt,
            "transcript": t.transcript,
        }
        for t in texts
        if t.caption or t.alt or t.transcript
    ]
    if rows:
        conn.execute(insert(media_texts), rows)


def set_access(conn: Connection, object_id: int, values: dict[str, Any]) -> int:
    done = conn.execute(
        update(media_objects).where(media_objects.c.id == object_id).values(**values)
    )
    return int(done.rowcount)


def touch(conn: Connection, object_id: int, at: datetime) -> None:
    conn.execute(update(media_objects).where(media_objects.c.id == object_id).values(updated_at=at))


def _window(since: datetime | None, until: datetime | None) -> list[Any]:
    where = []
    if since is not None:
        where.append(media_objects.c.updated_at >= since)
    if until is not None:
        where.append(media_objects.c.updated_at <= until)
    return where


def changed_ids(
    conn: Connection,
    *,
    since: datetime | None,
    until: datetime | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[int]:
    """Objects changed in the window, in (updated_at, id) order after ``after`` (OAI-PMH)."""
    where = _window(since, until)
    if after is not None:
        stamp, last_id = after
        where.append(
            or_(
                media_objects.c.updated_at > stamp,
                and_(media_objects.c.updated_at == stamp, media_objects.c.id > last_id),
            )
        )
    query = (
        select(media_objects.c.id)
        .where(*where)
        .order_by(media_objects.c.updated_at, media_objects.c.id)
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def count_changed(conn: Connection, since: datetime | None, until: datetime | None) -> int:
    query = select(func.count()).select_from(media_objects).where(*_window(since, until))
    return int(conn.execute(query).scalar_one())


def earliest_change(conn: Connection) -> datetime | None:
    found = conn.execute(select(func.min(media_objects.c.updated_at))).scalar_one_or_none()
    return _utc(found)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def replace_search_keys(conn: Connection, object_id: int, keys: Iterable[str]) -> None:
    conn.execute(delete(media_search_keys).where(media_search_keys.c.object_id == object_id))
    rows = [{"key": k, "object_id": object_id} for k in sorted(set(keys))]
    if rows:
        conn.execute(insert(media_search_keys), rows)


def search_ids(conn: Connection, exact: list[str], prefixes: list[str], limit: int) -> list[int]:
    """Objects not kept for staff with a key equal to one of ``exact`` or beginning with
    one of ``prefixes``, newest first: one query over the keys' index."""
    keys = media_search_keys.c.key
    found: list[ColumnElement[bool]] = [keys.in_(exact)] if exact else []
    found += [and_(keys >= p, keys < p + "\U0010ffff") for p in prefixes]
    if not found:
        return []
    query = (
        select(media_search_keys.c.object_id)
        .distinct()
        .join(media_objects, media_objects.c.id == media_search_keys.c.object_id)
        .where(or_(*found), media_objects.c.access != Access.STAFF.value)
        .order_by(media_search_keys.c.object_id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def id_by_sha(conn: Connection, sha256: str) -> int | None:
    found = conn.execute(
        select(media_objects.c.id).where(media_objects.c.sha256 == sha256)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def objects(
    conn: Connection,
    *,
    ids: Sequence[int] | None = None,
    record_id: int | None = None,
    limit: int = 200,
    branch_codes: Callable[[], dict[int, str]],
) -> list[MediaObject]:
    query = select(media_objects).order_by(media_objects.c.id.desc()).limit(limit)
    if ids is not None:
        query = query.where(media_objects.c.id.in_(list(ids)))
    if record_id is not None:
        query = query.where(media_objects.c.record_id == record_id)
    rows = conn.execute(query).all()
    found = [int(r.id) for r in rows]
    codes = branch_codes() if any(r.branch_id is not None for r in rows) else {}
    texts = _texts(conn, found)
    files = _files(conn, found)
    return [_object(r, codes, texts.get(int(r.id), {}), files.get(int(r.id), {})) for r in rows]


def all_file_hashes(conn: Connection) -> list[str]:
    return sorted(set(conn.execute(select(media_files.c.sha256)).scalars()))


def _texts(conn: Connection, ids: list[int]) -> dict[int, dict[str, MediaText]]:
    out: dict[int, dict[str, MediaText]] = {}
    if not ids:
        return out
    for r in conn.execute(select(media_texts).where(media_texts.c.object_id.in_(ids))):
        out.setdefault(int(r.object_id), {})[r.lang] = MediaText(
            r.lang, r.caption, r.alt, r.transcript
        )
    return out


def _files(conn: Connection, ids: list[int]) -> dict[int, dict[str, MediaFile]]:
    out: dict[int, dict[str, MediaFile]] = {}
    if not ids:
        return out
    for r in conn.execute(select(media_files).where(media_files.c.object_id.in_(ids))):
        out.setdefault(int(r.object_id), {})[r.role] = MediaFile(
            r.role, r.sha256, r.content_type, int(r.bytes), r.width, r.height
        )
    return out


def _object(
    r: Row[Any],
    branch_codes: dict[int, str],
    texts: dict[str, MediaText],
    files: dict[str, MediaFile],
) -> MediaObject:
    return MediaObject(
        id=int(r.id),
        sha256=r.sha256,
        kind=r.kind,
        content_type=r.content_type,
        name=r.name,
        bytes=int(r.bytes),
        width=r.width,
        height=r.height,
        record_id=None if r.record_id is None else int(r.record_id),
        rights=r.rights,
        access=Access(r.access),
        branch_code=None if r.branch_id is None else branch_codes.get(int(r.branch_id)),
        created_by=r.created_by,
        created_at=r.created_at,
        updated_at=_utc(r.updated_at or r.created_at),
        texts=texts,
        files=files,
    )


def pyramid_facts(conn: Connection, object_id: int) -> Any:
    """What serving a tile needs, in one query: the access rule, the on-site branch and
    the pyramid's file (a tile never needs the object's texts)."""
    query = (
        select(
            media_objects.c.access,
            media_objects.c.branch_id,
            media_objects.c.rights,
            media_files.c.sha256,
            func.coalesce(media_files.c.width, media_objects.c.width).label("width"),
            func.coalesce(media_files.c.height, media_objects.c.height).label("height"),
        )
        .join(media_files, media_files.c.object_id == media_objects.c.id)
        .where(media_objects.c.id == object_id, media_files.c.role == "pyramid")
    )
    return conn.execute(query).first()
