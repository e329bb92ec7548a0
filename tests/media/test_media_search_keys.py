"""A reader's search over digital objects looks its keys up in an index (both engines):
it finds what matching every object's texts with the catalogue's cascade found
(``first_match``, the reference), in one read whose statements do not grow with the number
of objects, over the keys' index on SQLite's plan; objects stored before migration 0027
get their keys from it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from shelfwise.media.models import Access, MediaText, TextLang
from shelfwise.services import Services
from shelfwise.storage import migrate
from shelfwise.testing import media_files as made
from shelfwise.text.analysis import analyze_field
from shelfwise.text.query import analyze_query, first_match
from shelfwise.text.streams import FieldKind

RIGHTS = "http://rightsstatements.org/vocab/NoC-NC/1.0/"
CAPTIONS: list[tuple[TextLang, str, str]] = [
    ("zh", "鹤岗县志（民国）", "县志书页"),
    ("ko", "조선족 마을의 옛 사진", "마을 사진"),
    ("en", "Xing'an coal mine, 1958", "A pithead"),
    ("zh", "兴安矿井口", "矿井"),
    ("ko", "학강현지", "현지 책장"),
    ("en", "The city library reading room", "Readers at tables"),
]
QUERIES = [
    "鹤岗县志",
    "县志",
    "xianzhi",
    "hgxz",
    "조선족",
    "마을",
    "ㅈㅅㅈ",
    "coal",
    "mines",
    "libr",
    "kuangjing",
    "xingan",
    "학강",
    "reading room",
    "nothing like it",
    "1958",
]


def _store(services: Services, tmp_path: Path, n: int) -> list[int]:
    ids = []
    for i, (lang, caption, alt) in enumerate(CAPTIONS[:n]):
        path = made.picture(tmp_path / f"o{i}.png", (120, 80), colour=f"#{i * 30:02x}4080")
        ids.append(
            services.media.ingest_file(
                path, rights=RIGHTS, actor="t", texts=[MediaText(lang, caption=caption, alt=alt)]
            ).object.id
        )
    return ids


def _reference(ids: list[int], q: str) -> list[int]:
    """What reading every object's texts and matching them with first_match finds."""
    query = analyze_query(q)
    hits = []
    for object_id, (_lang, caption, alt) in zip(ids, CAPTIONS, strict=False):
        values = [f"o{ids.index(object_id)}.png", caption, alt]
        fields = [analyze_field(v, kind=FieldKind.TITLE, language=None) for v in values]
        if query.terms and any(first_match(query, f) for f in fields):
            hits.append(object_id)
    return sorted(hits, reverse=True)


@contextmanager
def _statements(services: Services) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(services.db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(services.db.engine, "before_cursor_execute", keep)


def test_the_index_finds_what_matching_every_text_found(services: Services, tmp_path: Path) -> None:
    ids = _store(services, tmp_path, len(CAPTIONS))
    for q in QUERIES:
        assert [m.id for m in services.media.search(q)] == _reference(ids, q), q
    assert sum(bool(_reference(ids, q)) for q in QUERIES) >= 12  # the cases do find things
    hidden = services.media.set_access(ids[0], Access.STAFF)
    assert hidden.id not in [m.id for m in services.media.search("鹤岗县志")]


def test_a_search_costs_the_same_reads_whatever_the_number_of_objects(
    services: Services, tmp_path: Path
) -> None:
    cost = []
    for n in (1, len(CAPTIONS)):
        _store(services, tmp_path, n)
        with _statements(services) as seen:
            assert services.media.search("鹤岗县志")
        cost.append([s for s, _ in seen if not s.startswith(("BEGIN", "ROLLBACK", "COMMIT"))])
        # texts are read only for the objects found, never all of them to match in Python
        texts = [s for s in cost[-1] if "media_texts" in s]
        assert texts
        assert all("media_texts.object_id IN" in s for s in texts), texts
    assert len(cost[0]) == len(cost[1]), cost
    if services.db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner may scan a table this small
    lookup, parameters = next(
        (s, p) for s, p in seen if "FROM media_search_keys" in s and "DISTINCT" in s
    )
    with services.db.read() as conn:
        plan = " ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {lookup}", parameters).all()
        )
    assert "SEARCH media_search_keys USING" in plan, plan


def test_objects_stored_before_the_migration_get_their_keys(
    services: Services, tmp_path: Path
) -> None:
    ids = _store(services, tmp_path, len(CAPTIONS))
    migrate.downgrade(services.db, "0026")  # the keys' table is gone
    migrate.upgrade(services.db)  # and made again from the stored texts
    with services.db.read() as conn:
        keyed = conn.execute(text("SELECT count(DISTINCT object_id) FROM media_search_keys"))
        assert keyed.scalar_one() == len(ids)
    assert [m.id for m in services.media.search("xianzhi")] == [ids[0]]
    assert [m.id for m in services.media.search("조선족")] == [ids[1]]
