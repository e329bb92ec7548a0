"""The demo library's stories: four, published, in zh/ko/en, with drawn pictures, a spoken
story (espeak-ng), a PDF local document and links to demo records (both engines)."""

from __future__ import annotations

from pathlib import Path

from shelfwise.services import Services
from shelfwise.testing import tools
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.stories_demo import seed_stories


def test_the_demo_has_four_published_stories_in_three_languages(
    services: Services, tmp_path: Path
) -> None:
    tools.require_tool("espeak-ng", "espeak-ng (Debian)")
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 14)
    services.importer().import_file(tmp_path / "r.mrc")
    slugs = seed_stories(services)
    assert len(slugs) >= 4
    published = services.stories.published()
    assert sorted(s.slug for s in published) == sorted(slugs)
    for story in published:
        assert set(story.document.title) == {"zh", "ko", "en"}, story.slug
        assert story.document.record_ids(), f"{story.slug} shows no demo record"
        assert story.cover_id is not None
    kinds = {services.media.get(m).kind for s in published for m in s.document.media_ids()}
    assert kinds == {"image", "audio", "pdf"}
    coal = services.stories.by_slug("coal-city")
    audio = next(
        services.media.get(m)
        for m in coal.document.media_ids()
        if services.media.get(m).kind == "audio"
    )
    assert audio.content_type == "audio/wav"
    assert audio.text("zh").transcript
    assert sorted(seed_stories(services)) == sorted(slugs)  # a second run adds nothing
