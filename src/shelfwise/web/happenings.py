"""What is going on at a branch or across the network, as the home page and the branch
pages show it: featured stories, the coming events and the most supported wishes. Each
list comes from its own domain's service (stories, events, wishes); a page leaves out a
list that is empty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shelfwise.core.errors import ShelfwiseError
from shelfwise.events.models import LibraryEvent
from shelfwise.media.models import ANONYMOUS
from shelfwise.stories.models import Story, pick
from shelfwise.web.pages import Page, Web
from shelfwise.wishes.models import WallFilter, WallOrder, Wish, WishStatus

STORIES = 3
EVENTS = 4
EVENT_DAYS = 30
WISHES = 4
# A wish that is done (fulfilled or declined) no longer asks the reader for anything.
OPEN_WISHES = frozenset(
    {WishStatus.SUBMITTED, WishStatus.IN_REVIEW, WishStatus.ACCEPTED, WishStatus.ORDERED}
)


@dataclass(frozen=True, slots=True)
class StoryCard:
    slug: str
    title: str
    title_lang: str
    summary: str
    summary_lang: str
    minutes: int
    cover: str | None  # an open picture's thumbnail, else a drawn cover is shown


@dataclass(frozen=True, slots=True)
class EventLine:
    id: int
    title: str
    kind: str
    branch: str  # the branch's name in the page language
    starts_at: datetime
    ends_at: datetime
    places_left: int


def stories(web: Web, page: Page, branch: str | None = None) -> list[StoryCard]:
    """Stories featured at ``branch`` (None: on the home page)."""
    lang = "zh" if page.lang.startswith("zh") else page.lang
    out = []
    for story in web.services.stories.featured(branch)[:STORIES]:
        title, title_lang = pick(story.document.title, lang)
        summary, summary_lang = pick(story.document.summary, lang)
        out.append(
            StoryCard(
                story.slug,
                title,
                title_lang,
                summary,
                summary_lang,
                story.reading_minutes(lang),
                _open_cover(web, story),
            )
        )
    return out


def events(web: Web, branch: str | None, names: dict[str, str]) -> list[EventLine]:
    """The next events at ``branch`` (None: anywhere), called-off ones left out."""
    found = web.services.events.upcoming(branch, days=EVENT_DAYS)
    return [
        EventLine(
            e.id,
            e.title,
            e.kind,
            names.get(e.branch, e.branch),
            e.starts_at,
            e.ends_at,
            e.places_left,
        )
        for e in _published(found)[:EVENTS]
    ]


def wishes(web: Web, branch: str | None = None) -> list[Wish]:
    """The most supported wishes still open (``branch``: its own and the network's)."""
    found = web.services.wishes.wall(
        WallFilter(branch=branch, order=WallOrder.SUPPORTED, limit=WISHES * 3)
    )
    return [w for w in found if w.status in OPEN_WISHES][:WISHES]


def _published(found: list[LibraryEvent]) -> list[LibraryEvent]:
    return [e for e in found if e.state == "published"]


def _open_cover(web: Web, story: Story) -> str | None:
    """The story's picture when a visitor may see it (a refused image would be a broken
    one); otherwise the page draws a cover."""
    if story.cover_id is None:
        return None
    media = web.services.media
    try:
        media.check_access(media.get(story.cover_id), ANONYMOUS)
    except ShelfwiseError:
        return None
    return f"/media/{story.cover_id}/thumb"
