"""Digital objects and stories in the reader's search on both engines (issue 17 item 1): a
digitised local document is found by its caption in Chinese, Korean and English and by the
pinyin of its Chinese caption, like a record; the results page shows it (and a story) above
the records, and never an object the reader may not see."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.media.models import Access, MediaText
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

RIGHTS = "http://rightsstatements.org/vocab/NoC-NC/1.0/"


def _library(services: Services, tmp_path: Path) -> tuple[int, int, int]:
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 3)
    services.importer().import_file(tmp_path / "r.mrc")
    services.search.rebuild()
    gazetteer = services.media.ingest(
        [made.pdf(pages=2)],
        "gazetteer.pdf",
        rights=RIGHTS,
        actor="t",
        texts=[
            MediaText("zh", caption="鹤岗县志（民国）", alt="县志书页"),
            MediaText("ko", caption="학강현지", alt="현지 책장"),
            MediaText("en", caption="Hegang county gazetteer", alt="A page"),
        ],
    ).object.id
    mine = services.media.ingest_file(
        made.picture(tmp_path / "m.png", (300, 200), colour="#204060"),
        rights=RIGHTS,
        actor="t",
        access=Access.ON_SITE,
        branch="CEN",
        texts=[MediaText("zh", caption="兴安矿井", alt="矿井")],
    ).object.id
    inside = services.media.ingest_file(
        made.picture(tmp_path / "s.png", (300, 200), colour="#602040"),
        rights=RIGHTS,
        actor="t",
        access=Access.STAFF,
        texts=[MediaText("zh", caption="县志修复记录", alt="修复")],
    ).object.id
    return gazetteer, mine, inside


def test_a_local_document_is_found_in_each_language_and_by_pinyin(
    services: Services, tmp_path: Path
) -> None:
    gazetteer, mine, _inside = _library(services, tmp_path)
    for q in ("鹤岗县志", "학강현지", "gazetteer", "xianzhi", "Hegang County"):
        assert [m.id for m in services.media.search(q)] == [gazetteer], q
    # a staff-only object is never found by a reader's search, whatever it says
    assert [m.id for m in services.media.search("修复记录")] == []
    assert [m.id for m in services.media.search("kuangjing")] == [mine]  # on-site: found...
    assert services.media.search("   ") == []
    # a corrected caption is found at once (analysis is kept per version)
    services.media.set_texts(gazetteer, [MediaText("en", caption="Coal town map")])
    assert [m.id for m in services.media.search("coal town")] == [gazetteer]
    assert services.media.search("xianzhi") == []  # the old captions are gone


def test_the_results_page_shows_stories_and_objects_a_reader_may_see(
    services: Services, tmp_path: Path
) -> None:
    gazetteer, mine, _inside = _library(services, tmp_path)
    story = services.stories.create(
        "gazetteers",
        documents.from_data({"title": {"zh": "县志里的鹤岗", "en": "Hegang in the gazetteers"}}),
        "e",
    )
    services.stories.act(story.id, "publish", "e")
    client = TestClient(composition.asgi_app(services))
    client.cookies.set("sw_lang", "en")
    page = client.get("/search", params={"q": "xianzhi"}).text
    assert "Stories and the digital collection" in page
    assert f'href="/media/{gazetteer}/original"' in page  # the PDF itself
    assert f'src="/media/{gazetteer}/page"' in page  # its first page as the picture
    assert 'href="/stories/gazetteers"' in page
    assert "修复" not in page
    # ...but an on-site picture is not shown off site (its thumbnail would be refused)
    off_site = client.get("/search", params={"q": "kuangjing"}).text
    assert f"/media/{mine}/" not in off_site
    assert "Stories and the digital collection" not in off_site
    plain = client.get("/search", params={"q": "nothing-like-this"}).text
    assert "Stories and the digital collection" not in plain
