"""The editor's refusals read in the editor's language, on both engines: a refusal the
stories editor or the upload form can meet has a code of its own, so no English detail
ends up inside the Chinese or Korean sentence; publishing names each object by what it
lacks (alt text, transcript, captions)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import Access
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.stories.models import Placement
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
NAMES = {"WCAG", "rightsstatements", "creativecommons", "org"}  # names, in every language


def _latin_words(error: ShelfwiseError, lang: str) -> set[str]:
    """Latin words of the message in ``lang`` that are not in its parameters' values."""
    text = error.message(lang)
    for value in error.params.values():
        text = text.replace(value, " ")
    return set(LATIN_WORD.findall(text)) - NAMES


def _refusals(services: Services, tmp_path: Path) -> dict[str, ShelfwiseError]:
    seed_branches(services.catalogue)
    doc = documents.from_data({"title": {"zh": "故事"}})
    story = services.stories.create("story", doc, "e")
    sound = services.media.ingest_file(made.wav(tmp_path / "v.wav"), rights=RIGHTS, actor="t")
    picture = made.picture(tmp_path / "p.png", (300, 200))
    bare = services.media.ingest_file(picture, rights=RIGHTS, actor="t").object
    attempts: dict[str, Callable[[], object]] = {
        "stories.bad_slug": lambda: services.stories.create("Not A Slug", doc, "e"),
        "stories.bad_window": lambda: services.stories.save(
            story.id,
            doc,
            "e",
            placement=Placement(
                publish_at=datetime(2026, 10, 2, tzinfo=UTC),
                unpublish_at=datetime(2026, 10, 2, tzinfo=UTC) - timedelta(hours=1),
            ),
        ),
        "stories.no_object": lambda: services.stories.save(story.id, doc, "e", cover_id=999999),
        "stories.cover_not_image": lambda: services.stories.save(
            story.id, doc, "e", cover_id=sound.object.id
        ),
        "stories.no_branch": lambda: services.stories.save(
            story.id, doc, "e", placement=Placement(featured_branch="NOWHERE")
        ),
        "media.bad_rights": lambda: services.media.ingest_file(picture, rights="mine", actor="t"),
        "media.onsite_branch": lambda: services.media.set_access(bare.id, Access.ON_SITE, "XX"),
    }
    found = {}
    for code, attempt in attempts.items():
        with pytest.raises(ShelfwiseError) as refused:
            attempt()
        assert refused.value.code == code
        found[code] = refused.value
    return found


def test_the_editors_refusals_carry_no_english_into_chinese_or_korean(
    services: Services, tmp_path: Path
) -> None:
    for code, error in _refusals(services, tmp_path).items():
        for lang in ("zh", "ko"):
            assert not _latin_words(error, lang), (code, lang, error.message(lang))
        assert error.message("en") != error.message("zh")


def test_publishing_names_each_object_by_what_it_lacks(services: Services, tmp_path: Path) -> None:
    sound = services.media.ingest_file(made.wav(tmp_path / "v.wav"), rights=RIGHTS, actor="t")
    picture = made.picture(tmp_path / "p.png", (300, 200))
    bare = services.media.ingest_file(picture, rights=RIGHTS, actor="t").object
    data = {
        "title": {"zh": "无障碍"},
        "sections": [{"kind": "media", "media": [bare.id, sound.object.id]}],
    }
    story = services.stories.create("wcag", documents.from_data(data), "e")
    with pytest.raises(ShelfwiseError) as refused:
        services.stories.act(story.id, "publish", "e")
    error = refused.value
    assert error.code == "stories.inaccessible"
    assert error.params == {
        "alt": f"#{bare.id} p.png",
        "transcript": f"#{sound.object.id} v.wav",
        "captions": "—",
    }
    for lang in ("zh", "ko"):
        assert not _latin_words(error, lang), error.message(lang)
    assert "缺替代文本的图像：#" in error.message("zh")
