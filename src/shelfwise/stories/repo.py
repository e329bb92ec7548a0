"""The stories domain's SQL (private: only stories/ imports it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from shelfwise.storage.tables import stories, story_records, story_revisions, story_tags


def insert_story(conn: Connection, values: dict[str, Any]) -> int:
    key = conn.execute(insert(stories).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def update_story(conn: Connection, story_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(stories).where(stories.c.id == story_id).values(**values))


def locked(conn: Connection, story_id: int) -> Row[Any] | None:
    query = select(stories).where(stories.c.id == story_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def slug_owner(conn: Connection, slug: str) -> int | None:
    found = conn.execute(select(stories.c.id).where(stories.c.slug == slug)).scalar_one_or_none()
    return None if found is None else int(found)


def add_revision(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(story_revisions).values(**values))


def replace_links(
    conn: Connection, story_id: int, tags: Iterable[str], records: Iterable[int]
) -> None:
    conn.execute(delete(story_tags).where(story_tags.c.story_id == story_id))
    conn.execute(delete(story_records).where(story_records.c.story_id == story_id))
    tag_rows = [{"story_id": story_id, "tag": t} for t in dict.fromkeys(tags)]
    if tag_rows:
        conn.execute(insert(story_tags), tag_rows)
    record_rows = [{"story_id": story_id, "record_id": r} for r in dict.fromkeys(records)]
    if record_rows:
        conn.execute(insert(story_records), record_rows)


def rows(
    conn: Connection,
    *,
    ids: list[int] | None = None,
    slug: str | None = None,
    status: str | None = None,
    record_id: int | None = None,
) -> list[Row[Any]]:
    query = select(stories).order_by(stories.c.publish_at.desc(), stories.c.id.desc())
    if ids is not None:
        query = query.where(stories.c.id.in_(ids))
    if slug is not None:
        query = query.where(stories.c.slug == slug)
    if status is not None:
        query = query.where(stories.c.status == status)
    if record_id is not None:
        query = query.where(
            stories.c.id.in_(
                select(story_records.c.story_id).where(story_records.c.record_id == record_id)
            )
        )
    return list(conn.execute(query).all())


def tags_of(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if ids:
        query = select(story_tags).where(story_tags.c.story_id.in_(ids)).order_by(story_tags.c.tag)
        for r in conn.execute(query):
            out.setdefault(int(r.story_id), []).append(r.tag)
    return out


def revisions(conn: Connection, story_id: int) -> list[Row[Any]]:
    query = (
        select(story_revisions)
        .where(story_revisions.c.story_id == story_id)
        .order_by(story_revisions.c.revision.desc())
    )
    return list(conn.execute(query).all())


def revision_document(conn: Connection, story_id: int, revision: int) -> str | None:
    found = conn.execute(
        select(story_revisions.c.document).where(
            story_revisions.c.story_id == story_id, story_revisions.c.revision == revision
        )
    ).scalar_one_or_none()
    return None if found is None else str(found)


def published_windows(conn: Connection) -> list[Any]:
    """(id, publish_at, unpublish_at) of published stories, newest publication first: the
    order of previous and next without reading every story's document."""
    query = (
        select(stories.c.id, stories.c.publish_at, stories.c.unpublish_at)
        .where(stories.c.status == "published")
        .order_by(stories.c.publish_at.desc(), stories.c.id.desc())
    )
    return list(conn.execute(query).all())
