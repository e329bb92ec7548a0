"""Stories: create and save (every save a revision with who and when), the workflow
draft → in review → published (with a publishing window), themes, featuring, "featured in"
for records, and search with the same analysis and cascade as the catalogue's.

Publishing checks the story the way WCAG 2.1 AA asks: every image it shows (the cover
included) has alt text, every sound a transcript, every video captions; otherwise it stays
where it is and the refusal names what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from shelfwise.catalogue.service import CatalogueService
from shelfwise.core.clock import Clock, to_second
from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.service import MediaService
from shelfwise.storage.database import Database
from shelfwise.stories import documents, repo
from shelfwise.stories.models import SLUG, Document, Placement, Revision, Status, Story
from shelfwise.stories.views import StoryViews
from shelfwise.text.analysis import analyze_field
from shelfwise.text.query import analyze_query, first_match
from shelfwise.text.streams import AnalyzedField, FieldKind

# Workflow: action → (states it may start from, state it leads to).
ACTIONS: dict[str, tuple[tuple[Status, ...], Status]] = {
    "submit": ((Status.DRAFT,), Status.REVIEW),
    "return": ((Status.REVIEW,), Status.DRAFT),
    "publish": ((Status.DRAFT, Status.REVIEW), Status.PUBLISHED),
    "unpublish": ((Status.PUBLISHED,), Status.DRAFT),
}
NOWHERE = Placement()


class StoryService:
    def __init__(
        self, db: Database, clock: Clock, catalogue: CatalogueService, media: MediaService
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalogue = catalogue
        self._media = media
        self._analysed: dict[tuple[int, int], list[AnalyzedField]] = {}
        self.views = StoryViews(db, clock)  # readers' views, for the statistics

    # --- writing ------------------------------------------------------------------------

    def create(self, slug: str, document: Document, actor: str, tags: Iterable[str] = ()) -> Story:
        slug = slug.strip().lower()
        if not SLUG.match(slug) or len(slug) > 80:
            raise ShelfwiseError("stories.bad_slug")
        now = self._clock.now()
        self._check_links(document, None)
        with self._db.write() as conn:
            if repo.slug_owner(conn, slug) is not None:
                raise ShelfwiseError("stories.slug_taken", slug=slug)
            story_id = repo.insert_story(
                conn,
                {
                    "slug": slug,
                    "status": Status.DRAFT.value,
                    "document": documents.dumps(document),
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": actor[:64],
                },
            )
            self._revision(conn, story_id, 1, Status.DRAFT, document, actor, "created")
            repo.replace_links(conn, story_id, _tags(tags), document.record_ids())
        return self.get(story_id)

    def save(
        self,
        story_id: int,
        document: Document,
        actor: str,
        *,
        tags: Iterable[str] = (),
        cover_id: int | None = None,
        placement: Placement = NOWHERE,
    ) -> Story:
        """Replace the document, themes, cover and placement: a new revision."""
        self._check_links(document, cover_id)
        branch_id = self._branch_id(placement.featured_branch)
        window = self._moment(placement.publish_at), self._moment(placement.unpublish_at)
        if window[0] and window[1] and window[1] <= window[0]:
            raise ShelfwiseError("stories.bad_window")
        with self._db.write() as conn:
            row = repo.locked(conn, story_id)
            if row is None:
                raise ShelfwiseError("stories.not_found")
            revision = int(row.revision) + 1
            repo.update_story(
                conn,
                story_id,
                {
                    "document": documents.dumps(document),
                    "cover_id": cover_id,
                    "featured_home": int(placement.featured_home),
                    "featured_branch_id": branch_id,
                    "publish_at": window[0],
                    "unpublish_at": window[1],
                    "revision": revision,
                    "updated_at": self._clock.now(),
                    "updated_by": actor[:64],
                },
            )
            self._revision(conn, story_id, revision, Status(row.status), document, actor, "saved")
            repo.replace_links(conn, story_id, _tags(tags), document.record_ids())
        return self.get(story_id)

    def act(self, story_id: int, action: str, actor: str) -> Story:
        """A workflow step (submit, return, publish, unpublish), kept as a revision."""
        if action not in ACTIONS:
            raise ShelfwiseError("stories.invalid", detail=f"action {action!r}")
        starts, target = ACTIONS[action]
        story = self.get(story_id)
        if story.status not in starts:
            raise ShelfwiseError("stories.transition", state=story.status.value, action=action)
        if target == Status.PUBLISHED:
            self.check_publishable(story)
        with self._db.write() as conn:
            row = repo.locked(conn, story_id)
            if row is None or Status(row.status) not in starts:
                raise ShelfwiseError("stories.transition", state=story.status.value, action=action)
            revision = int(row.revision) + 1
            repo.update_story(
                conn,
                story_id,
                {
                    "status": target.value,
                    "revision": revision,
                    "updated_at": self._clock.now(),
                    "updated_by": actor[:64],
                },
            )
            self._revision(conn, story_id, revision, target, story.document, actor, action)
        return self.get(story_id)

    def check_publishable(self, story: Story) -> None:
        wanted = story.document.media_ids() + ([story.cover_id] if story.cover_id else [])
        missing: dict[str, list[str]] = {"alt": [], "transcript": [], "captions": []}
        for item in self._media.many(wanted):
            for what in item.missing_accessibility():
                missing[what].append(f"#{item.id} {item.name}")
        if any(missing.values()):
            raise ShelfwiseError(
                "stories.inaccessible", **{k: ", ".join(v) or "—" for k, v in missing.items()}
            )

    def _check_links(self, document: Document, cover_id: int | None) -> None:
        wanted = document.media_ids() + ([cover_id] if cover_id else [])
        found = {m.id for m in self._media.many(wanted)}
        lost = [str(i) for i in wanted if i not in found]
        if lost:
            raise ShelfwiseError("stories.no_object", ids=", ".join(lost))
        if cover_id is not None and self._media.get(cover_id).kind != "image":
            raise ShelfwiseError("stories.cover_not_image")
        for record_id in document.record_ids():
            self._catalogue.get_record(record_id)

    def _moment(self, value: datetime | None) -> datetime | None:
        """A publishing time in UTC; one written without a zone is the library's local time
        (an editor types 08:00 meaning 08:00 in Harbin, not in Greenwich)."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=self._clock.zone)
        return to_second(value)

    def local_input(self, value: datetime | None) -> str:
        """A publishing time as the library's local ``YYYY-MM-DDThh:mm`` (an editor's field)."""
        return (
            "" if value is None else value.astimezone(self._clock.zone).strftime("%Y-%m-%dT%H:%M")
        )

    def _branch_id(self, code: str | None) -> int | None:
        if not code:
            return None
        for branch in self._catalogue.list_branches():
            if branch.code == code:
                return branch.id
        raise ShelfwiseError("stories.no_branch", branch=code)

    def _revision(
        self,
        conn: Any,
        story_id: int,
        revision: int,
        status: Status,
        document: Document,
        actor: str,
        note: str,
    ) -> None:
        repo.add_revision(
            conn,
            {
                "story_id": story_id,
                "revision": revision,
                "status": status.value,
                "document": documents.dumps(document),
                "actor": actor[:64],
                "note": note,
                "at": self._clock.now(),
            },
        )

    # --- reading ------------------------------------------------------------------------

    def get(self, story_id: int) -> Story:
        found = self._stories(ids=[story_id])
        if not found:
            raise ShelfwiseError("stories.not_found")
        return found[0]

    def by_slug(self, slug: str, *, drafts: bool = False) -> Story:
        """A story by its address; unless ``drafts``, only one visible now."""
        found = self._stories(slug=slug)
        if not found or not (drafts or found[0].visible(self._clock.now())):
            raise ShelfwiseError("stories.not_found")
        return found[0]

    def all(self) -> list[Story]:
        return self._stories()

    def published(self, tag: str | None = None) -> list[Story]:
        """Visible stories, newest publication first, optionally of one theme."""
        now = self._clock.now()
        found = [s for s in self._stories(status=Status.PUBLISHED.value) if s.visible(now)]
        return [s for s in found if tag is None or tag in s.tags]

    def themes(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for story in self.published():
            for tag in story.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def featured(self, branch: str | None = None) -> list[Story]:
        """Featured on the home page, or at ``branch``."""
        return [
            s
            for s in self.published()
            if (s.featured_branch == branch if branch else s.featured_home)
        ]

    def featured_in(self, record_id: int) -> list[Story]:
        """The visible stories that show this record."""
        now = self._clock.now()
        return [s for s in self._stories(record_id=record_id) if s.visible(now)]

    def with_neighbours(
        self, slug: str, *, drafts: bool = False
    ) -> tuple[Story, Story | None, Story | None]:
        """A story by its address (as :meth:`by_slug`) with the previous and next visible
        stories in publication order, in one read transaction: the story page's one read
        of stories. Only those three documents are parsed, never every story's."""
        now = self._clock.now()
        with self._db.read() as conn:
            found = repo.rows(conn, slug=slug)
            if not found:
                raise ShelfwiseError("stories.not_found")
            older_id, newer_id = _neighbour_ids(repo.published_windows(conn), int(found[0].id), now)
            others = [i for i in (older_id, newer_id) if i is not None]
            rows = found + (repo.rows(conn, ids=others) if others else [])
            tags = repo.tags_of(conn, [int(r.id) for r in rows])
        stories = {s.id: s for s in self._built(rows, tags)}
        story = stories[int(found[0].id)]
        if not (drafts or story.visible(now)):
            raise ShelfwiseError("stories.not_found")
        return story, stories.get(older_id or 0), stories.get(newer_id or 0)

    def revisions(self, story_id: int) -> list[Revision]:
        with self._db.read() as conn:
            found = repo.revisions(conn, story_id)
        return [
            Revision(int(r.revision), Status(r.status), r.actor, _utc(r.at), r.note) for r in found
        ]

    def search(self, q: str) -> list[Story]:
        """Visible stories whose title, summary or sections match ``q`` in any of the three
        languages, with the catalogue's analysis (pinyin, initials, Korean spellings)."""
        query = analyze_query(q)
        if not query.terms:
            return []
        return [s for s in self.published() if any(first_match(query, f) for f in self._fields(s))]

    def _fields(self, story: Story) -> list[AnalyzedField]:
        key = (story.id, story.revision)
        if key not in self._analysed:
            doc = story.document
            values = [*doc.title.values(), *doc.summary.values(), *story.tags]
            for section in doc.sections:
                values.extend(section.text.values())
                values.extend(t for e in section.events for t in e.text.values())
            self._analysed[key] = [
                analyze_field(v[:2000], kind=FieldKind.TITLE, language=None) for v in values if v
            ]
        return self._analysed[key]

    def _stories(self, **where: Any) -> list[Story]:
        with self._db.read() as conn:
            found = repo.rows(conn, **where)
            tags = repo.tags_of(conn, [int(r.id) for r in found])
        return self._built(found, tags)

    def _built(self, rows: list[Any], tags: dict[int, list[str]]) -> list[Story]:
        featured = any(r.featured_branch_id is not None for r in rows)
        codes = {b.id: b.code for b in self._catalogue.list_branches()} if featured else {}
        return [_story(r, tags.get(int(r.id), []), codes) for r in rows]


def _neighbour_ids(
    windows: list[Any], story_id: int, now: datetime
) -> tuple[int | None, int | None]:
    """(older, newer) ids beside ``story_id`` among the stories visible at ``now``, from the
    published stories' windows newest first; (None, None) when it is not one of them."""
    ids = [
        int(r.id)
        for r in windows
        if (r.publish_at is None or now >= _utc(r.publish_at))
        and (r.unpublish_at is None or now < _utc(r.unpublish_at))
    ]
    if story_id not in ids:
        return None, None
    at = ids.index(story_id)
    return (ids[at + 1] if at + 1 < len(ids) else None), (ids[at - 1] if at > 0 else None)


def _tags(tags: Iterable[str]) -> list[str]:
    out = [t.strip()[:64] for t in tags if t.strip()]
    return list(dict.fromkeys(out))


def _story(r: Any, tags: list[str], codes: dict[int, str]) -> Story:
    branch = None if r.featured_branch_id is None else codes.get(int(r.featured_branch_id))
    return Story(
        id=int(r.id),
        slug=r.slug,
        status=Status(r.status),
        document=documents.loads(r.document),
        tags=tuple(tags),
        cover_id=None if r.cover_id is None else int(r.cover_id),
        publish_at=_aware(r.publish_at),
        unpublish_at=_aware(r.unpublish_at),
        featured_home=bool(r.featured_home),
        featured_branch=branch,
        revision=int(r.revision),
        created_at=_utc(r.created_at),
        updated_at=_utc(r.updated_at),
        updated_by=r.updated_by,
    )


def _aware(value: datetime | None) -> datetime | None:
    """A stored time as aware UTC (SQLite hands back naive UTC times)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
