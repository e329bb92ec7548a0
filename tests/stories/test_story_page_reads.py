"""The story page's reads, on both engines (issue 17 done-when 4: p95 < 100 ms): its live
records are read at once, not one by one, so the number of SQL statements a page costs does
not grow with the records it shows; previous and next come from the story's own read; the
records say whether a copy is on the shelf at the reader's own library."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from shelfwise import app as composition
from shelfwise.catalogue.models import Lifecycle
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.stories.models import Placement
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records


def _records(services: Services, tmp_path: Path) -> list[int]:
    """Six records with copies on the shelf (the generated ones and one more each)."""
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 6)
    services.importer().import_file(tmp_path / "r.mrc")
    with services.db.read() as conn:
        ids = [int(i) for i in conn.execute(text("SELECT id FROM records ORDER BY id")).scalars()]
    for n, record_id in enumerate(ids):
        services.catalogue.add_item(
            record_id=record_id,
            barcode=f"S{n:07d}",
            branch_code=("CEN", "NGQ")[n % 2],
            lifecycle=Lifecycle.IN_SERVICE,
        )
    return ids


def _publish(services: Services, slug: str, sections: list[dict[str, Any]]) -> None:
    data = {"title": {"zh": slug, "en": slug}, "sections": sections}
    story = services.stories.create(slug, documents.from_data(data), "e")
    services.stories.act(story.id, "publish", "e")


@contextmanager
def _statements(services: Services) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)


def _client(services: Services) -> TestClient:
    return TestClient(composition.asgi_app(services), follow_redirects=False)


def test_a_story_page_reads_its_records_at_once(services: Services, tmp_path: Path) -> None:
    ids = _records(services, tmp_path)
    _publish(services, "one", [{"kind": "records", "records": ids[:1]}])
    shelf = [{"kind": "records", "records": ids[:3]}, {"kind": "records", "records": ids[3:]}]
    _publish(services, "six", shelf)
    client = _client(services)
    cost = {}
    for slug in ("one", "six", "one", "six"):  # the second round: caches already warm
        with _statements(services) as seen:
            page = client.get(f"/stories/{slug}")
        assert page.status_code == 200
        cost[slug] = len(seen)
    assert page.text.count('class="hold-link"') == 6
    # Six records in two sections cost what one record costs (they were 3 queries and a
    # transaction per record, and the availability and branch list per section).
    assert cost["six"] == cost["one"], cost


def test_previous_and_next_are_the_visible_neighbours(
    services: Services, clock: FrozenClock
) -> None:
    for slug in ("first", "second", "third"):
        _publish(services, slug, [])
        clock.advance(timedelta(minutes=1))
    later = services.stories.create("later", documents.from_data({"title": {"en": "L"}}), "e")
    window = Placement(publish_at=clock.now() + timedelta(days=1))
    services.stories.save(later.id, later.document, "e", placement=window)
    services.stories.act(later.id, "publish", "e")
    story, older, newer = services.stories.with_neighbours("second")
    assert (story.slug, older and older.slug, newer and newer.slug) == ("second", "first", "third")
    story, older, newer = services.stories.with_neighbours("third")
    assert (older and older.slug, newer) == ("second", None)  # "later" is not out yet
    story, older, newer = services.stories.with_neighbours("later", drafts=True)
    assert (story.slug, older, newer) == ("later", None, None)


def test_a_record_says_it_is_on_the_shelf_at_my_library(services: Services, tmp_path: Path) -> None:
    ids = _records(services, tmp_path)
    shelves = services.circulation.on_shelf(ids)
    # a library holding a copy of the first record and none of some other
    mine = sorted(shelves[ids[0]])[0]
    other = next(r for r in ids if mine not in shelves.get(r, ()) and shelves.get(r))
    _publish(services, "shelf", [{"kind": "records", "records": [ids[0], other]}])
    names = {b.code: b.name_en for b in services.catalogue.list_branches()}
    client = _client(services)
    client.cookies.set("sw_lang", "en")
    client.cookies.set("sw_branch", mine)
    page = client.get("/stories/shelf").text
    # At my library: said so, alone; elsewhere: where it is.
    assert page.count('class="state ok here"') == 1
    assert f"On the shelf at {names[mine]}</span>" in page
    elsewhere = ", ".join(sorted(names[c] for c in shelves[other]))
    assert f"On the shelf at {elsewhere}</span>" in page
    nowhere = next(b for b in names if not any(b in shelves.get(r, ()) for r in (ids[0], other)))
    client.cookies.set("sw_branch", nowhere)  # a library holding neither
    assert 'class="state ok here"' not in client.get("/stories/shelf").text
