"""Stories on both engines: revisions with who and when, the workflow and its publishing
window, the WCAG checks at publishing, themes, featuring, "featured in", search with the
catalogue's analysis, and the pages a reader sees (fallback, sanitised Markdown, live
records with a hold link, Open Graph, reading time, previous and next)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise import app as composition
from shelfwise.catalogue.models import Lifecycle
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import Access, MediaText
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.stories.models import Document, Placement, Status
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"


def doc(**more: Any) -> Document:
    data = {
        "title": {"zh": "煤城往事", "ko": "탄광 도시 이야기", "en": "The coal city"},
        "summary": {"zh": "鹤岗的百年", "en": "A hundred years of Hegang"},
        "sections": [
            {"kind": "text", "text": {"zh": "## 矿井\n\n井架**高耸**。", "en": "The **pithead**."}},
            {"kind": "quote", "text": {"zh": "为祖国献石油"}, "cite": "王进喜"},
            {
                "kind": "timeline",
                "events": [{"when": "1917", "text": {"zh": "开矿", "en": "Mine opens"}}],
            },
        ],
    } | more
    return documents.from_data(data)


def _record(services: Services, tmp_path: Path) -> int:
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 3)
    services.importer().import_file(tmp_path / "r.mrc")
    with services.db.read() as conn:
        record_id = int(conn.execute(text("SELECT min(id) FROM records")).scalar_one())
    services.catalogue.add_item(
        record_id=record_id, barcode="S0000001", branch_code="CEN", lifecycle=Lifecycle.IN_SERVICE
    )
    return record_id


def _image(services: Services, tmp_path: Path, alt: str = "井架") -> int:
    path = made.picture(
        tmp_path / f"p{len(alt)}.png", (900, 600), colour=f"#{len(alt) * 9:02x}4040"
    )
    texts = [MediaText("zh", alt=alt, caption="井架旧照")] if alt else []
    return services.media.ingest_file(path, rights=RIGHTS, actor="t", texts=texts).object.id


def test_every_change_is_a_revision_with_who_and_when(
    services: Services, clock: FrozenClock
) -> None:
    story = services.stories.create("coal-city", doc(), "editor-a", tags=["龙江故事"])
    clock.advance(timedelta(minutes=5))
    services.stories.save(story.id, doc(), "editor-b", tags=["龙江故事", "红色故事"])
    services.stories.act(story.id, "submit", "editor-b")
    services.stories.act(story.id, "publish", "chief")
    revisions = services.stories.revisions(story.id)
    assert [(r.revision, r.actor, r.note, r.status) for r in revisions] == [
        (4, "chief", "publish", Status.PUBLISHED),
        (3, "editor-b", "submit", Status.REVIEW),
        (2, "editor-b", "saved", Status.DRAFT),
        (1, "editor-a", "created", Status.DRAFT),
    ]
    assert revisions[2].at - revisions[3].at == timedelta(minutes=5)
    assert services.stories.get(story.id).tags == ("红色故事", "龙江故事")


def test_the_workflow_refuses_steps_out_of_order(services: Services) -> None:
    story = services.stories.create("a-story", doc(), "e")
    with pytest.raises(ShelfwiseError) as refused:
        services.stories.act(story.id, "unpublish", "e")
    assert refused.value.code == "stories.transition"
    with pytest.raises(ShelfwiseError):
        services.stories.act(story.id, "return", "e")
    with pytest.raises(ShelfwiseError) as taken:
        services.stories.create("a-story", doc(), "e")
    assert taken.value.code == "stories.slug_taken"
    with pytest.raises(ShelfwiseError) as bad:
        documents.from_data({"title": {}, "sections": []})
    assert bad.value.code == "stories.invalid"


def test_publishing_refuses_an_image_without_alt_text_or_audio_without_transcript(
    services: Services, tmp_path: Path
) -> None:
    bare = _image(services, tmp_path, alt="")
    sound = services.media.ingest_file(
        made.wav(tmp_path / "v.wav"), rights=RIGHTS, actor="t"
    ).object.id
    story = services.stories.create("wcag", doc(), "e")
    media = {"kind": "media", "media": [bare, sound]}
    services.stories.save(story.id, doc(sections=[media]), "e")
    with pytest.raises(ShelfwiseError) as refused:
        services.stories.act(story.id, "publish", "e")
    assert refused.value.code == "stories.inaccessible"
    assert f"#{bare}" in str(refused.value)
    assert "alt" in str(refused.value)
    assert f"#{sound}" in str(refused.value)
    assert "transcript" in str(refused.value)
    assert services.stories.get(story.id).status == Status.DRAFT
    services.media.set_texts(bare, [MediaText("en", alt="A pithead")])
    services.media.set_texts(sound, [MediaText("zh", transcript="一九一七年，鹤岗开矿。")])
    assert services.stories.act(story.id, "publish", "e").status == Status.PUBLISHED


def test_scheduled_publish_and_unpublish(services: Services, clock: FrozenClock) -> None:
    now = clock.now()
    story = services.stories.create("later", doc(), "e")
    window = Placement(publish_at=now + timedelta(days=1), unpublish_at=now + timedelta(days=2))
    services.stories.save(story.id, doc(), "e", placement=window)
    services.stories.act(story.id, "publish", "e")
    assert services.stories.published() == []
    clock.advance(timedelta(days=1, seconds=1))
    assert [s.slug for s in services.stories.published()] == ["later"]
    clock.advance(timedelta(days=1))
    assert services.stories.published() == []
    with pytest.raises(ShelfwiseError):
        services.stories.by_slug("later")


def test_search_themes_featuring_and_featured_in(services: Services, tmp_path: Path) -> None:
    record_id = _record(services, tmp_path)
    story = services.stories.create("coal-city", doc(), "e", tags=["龙江故事"])
    with_records = doc(sections=[{"kind": "records", "records": [record_id]}])
    services.stories.save(
        story.id, with_records, "e", tags=["龙江故事"], placement=Placement(featured_branch="CEN")
    )
    other = services.stories.create(
        "korean-village",
        documents.from_data({"title": {"ko": "조선족 마을", "zh": "朝鲜族村"}}),
        "e",
        tags=["조선족 이야기"],
    )
    for s in (story, other):
        services.stories.act(s.id, "publish", "e")
    found = {
        q: [s.slug for s in services.stories.search(q)]
        for q in ("meicheng", "mcws", "煤城", "coal", "조선족", "朝鮮族")
    }
    assert found == {
        "meicheng": ["coal-city"],  # pinyin
        "mcws": ["coal-city"],  # pinyin initials
        "煤城": ["coal-city"],
        "coal": ["coal-city"],
        "조선족": ["korean-village"],
        "朝鮮族": ["korean-village"],  # traditional characters fold to simplified
    }
    assert services.stories.search("nothingmatcheshere") == []
    assert services.stories.themes() == [("龙江故事", 1), ("조선족 이야기", 1)]
    assert [s.slug for s in services.stories.featured("CEN")] == ["coal-city"]
    assert [s.slug for s in services.stories.featured_in(record_id)] == ["coal-city"]


def _client(services: Services) -> TestClient:
    return TestClient(composition.asgi_app(services), follow_redirects=False)


def test_a_reader_reads_a_story_in_each_language_with_fallback(
    services: Services, tmp_path: Path
) -> None:
    record_id = _record(services, tmp_path)
    image = _image(services, tmp_path)
    hidden = services.media.ingest_file(
        made.picture(tmp_path / "h.png", (300, 200), colour="#102030"),
        rights=RIGHTS,
        actor="t",
        access=Access.STAFF,
        texts=[MediaText("zh", alt="内部")],
    ).object.id
    evil = {"kind": "text", "text": {"zh": "<script>alert(1)</script>[点我](javascript:alert(1))"}}
    sections = [
        *doc().as_data()["sections"],
        {"kind": "records", "records": [record_id]},
        {"kind": "media", "media": [image, hidden]},
        evil,
    ]
    first = services.stories.create("first", documents.from_data({"title": {"zh": "第一篇"}}), "e")
    story = services.stories.create("coal-city", doc(sections=sections), "e", tags=["龙江故事"])
    services.stories.save(story.id, doc(sections=sections), "e", tags=["龙江故事"], cover_id=image)
    services.stories.act(first.id, "publish", "e")
    services.stories.act(story.id, "publish", "e")
    client = _client(services)
    pages = {}
    for lang in ("zh", "zh-Hant", "ko", "en"):
        client.cookies.set("sw_lang", lang)
        pages[lang] = client.get("/stories/coal-city").text
    assert '<h1 lang="zh">煤城往事</h1>' in pages["zh"]
    assert '<h1 lang="ko">탄광 도시 이야기</h1>' in pages["ko"]
    assert '<h1 lang="en">The coal city</h1>' in pages["en"]
    # no Korean summary: the Chinese one, marked as Chinese
    assert '<p class="dek" lang="zh">鹤岗的百年</p>' in pages["ko"]
    assert "<strong>pithead</strong>" in pages["en"]
    assert "<strong>高耸</strong>" in pages["zh"]
    page = pages["en"]
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, never run
    assert 'href="javascript:' not in page
    assert f'href="/record/{record_id}#get-h"' in page  # the hold link
    assert "On the shelf at" in page
    assert f'data-info="/iiif/image/{image}/info.json"' in page
    assert 'alt="井架"' in page
    assert f"/media/{hidden}/" not in page
    assert "Only staff may see this item." in page
    assert re.search(r'<meta property="og:title" content="The coal city">', page)
    assert f'<meta property="og:image" content="http://testserver/media/{image}/web">' in page
    assert "min read" in page
    assert 'href="/stories/first"' in page
    record_page = client.get(f"/record/{record_id}").text
    assert 'href="/stories/coal-city" lang="en">The coal city</a>' in record_page  # featured in
    listing = client.get("/stories?tag=龙江故事").text
    assert "/stories/coal-city" in listing
    assert "/stories/first" not in listing
    assert "/stories/coal-city" in client.get("/stories", params={"q": "meicheng"}).text


def test_a_draft_is_hidden_from_readers_and_shown_to_staff(services: Services) -> None:
    services.stories.create("draft", doc(), "e")
    services.access.create_staff("story-staff", "S", "staff-password", "cataloguer")
    client = _client(services)
    assert client.get("/stories/draft").status_code == 404
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/staff/login").text)
    assert token
    form = {"username": "story-staff", "password": "staff-password", "csrf": token.group(1)}
    assert client.post("/staff/login", data=form).status_code == 303
    shown = client.get("/stories/draft")
    assert (shown.status_code == 200 and "Draft preview" in shown.text) or "草稿预览" in shown.text


def test_the_staff_editor_saves_reorders_and_publishes(services: Services) -> None:
    services.access.create_staff("story-staff", "S", "staff-password", "cataloguer")
    client = _client(services)
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/staff/login").text)
    assert token
    csrf = token.group(1)
    form = {"username": "story-staff", "password": "staff-password", "csrf": csrf}
    assert client.post("/staff/login", data=form).status_code == 303
    made_story = client.post(
        "/staff/stories", data={"slug": "hero", "title_zh": "英雄", "csrf": csrf}
    )
    assert made_story.status_code == 303
    story_id = int(made_story.headers["location"].rsplit("/", 1)[1])
    edit = {
        "csrf": csrf,
        "title_zh": "英雄",
        "title_en": "A hero",
        "tags": "英雄人物，红色故事",
        "count": "2",
        "s0_kind": "text", "s0_text_zh": "第一段", "s0_pos": "2",
        "s1_kind": "quote", "s1_text_zh": "第二段", "s1_pos": "1",
        "s2_kind": "timeline", "s2_events": "1938 | 牺牲 | 희생 | Fell",
    }  # fmt: skip
    assert client.post(f"/staff/stories/{story_id}", data=edit).status_code == 303
    story = services.stories.get(story_id)
    assert [s.kind for s in story.document.sections] == ["quote", "text", "timeline"]
    assert story.document.sections[2].events[0].text == {"zh": "牺牲", "ko": "희생", "en": "Fell"}
    assert story.tags == ("红色故事", "英雄人物")
    assert client.post(f"/staff/stories/{story_id}/publish", data={"csrf": csrf}).status_code == 303
    assert services.stories.get(story_id).status == Status.PUBLISHED
    listing = client.get("/staff/stories").text  # the upload shows its progress (rate, time left)
    assert (
        'data-progress="已上传 {pct}%（{done} / {total} MB，每秒 {rate} MB，还需约 {eta} 秒）"'
        in listing
    )
    assert '<progress id="upload-progress"' in listing
    assert "/static/story_upload.js" in listing
    page = client.get(f"/staff/stories/{story_id}").text
    assert "第 3 版" in page  # the page is in Chinese (no language chosen)
    assert "publish" in page
    assert "英雄人物" in page


def test_the_editor_reads_and_shows_publishing_times_in_the_library_zone(
    services: Services, clock: FrozenClock
) -> None:
    """An editor in Harbin types 08:00 meaning 08:00 there (Asia/Shanghai, UTC+8): the story
    goes up at 00:00 UTC, and the editor shows 08:00 again, not the UTC hour."""
    assert str(services.clock.zone) == "Asia/Shanghai"
    services.access.create_staff("story-staff", "S", "staff-password", "cataloguer")
    client = _client(services)
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/staff/login").text)
    assert token
    csrf = token.group(1)
    form = {"username": "story-staff", "password": "staff-password", "csrf": csrf}
    assert client.post("/staff/login", data=form).status_code == 303
    story = services.stories.create("zoned", doc(), "e")
    edit = {
        "csrf": csrf,
        "title_zh": "煤城往事",
        "count": "0",
        "publish_at": "2030-09-01T08:00",
        "unpublish_at": "2030-09-02T07:30",
    }
    assert client.post(f"/staff/stories/{story.id}", data=edit).status_code == 303
    saved = services.stories.get(story.id)
    assert saved.publish_at == datetime(2030, 9, 1, 0, 0, tzinfo=UTC)
    assert saved.unpublish_at == datetime(2030, 9, 1, 23, 30, tzinfo=UTC)
    page = client.get(f"/staff/stories/{story.id}").text
    assert 'name="publish_at" type="datetime-local" value="2030-09-01T08:00"' in page
    assert 'name="unpublish_at" type="datetime-local" value="2030-09-02T07:30"' in page
    # a time with its own offset is taken as written
    services.stories.save(
        story.id,
        doc(),
        "e",
        placement=Placement(publish_at=datetime.fromisoformat("2030-09-01T08:00:00+09:00")),
    )
    assert services.stories.get(story.id).publish_at == datetime(2030, 8, 31, 23, 0, tzinfo=UTC)
