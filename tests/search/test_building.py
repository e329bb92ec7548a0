"""Documents built in worker processes are the documents built in-process, in the same order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from shelfwise.search import EveryCopyAvailable, NoPopularity
from shelfwise.search.building import DocumentBuilder
from shelfwise.search.source import IndexRow

_TEXTS = [
    ("chi", "歷史研究", "錢鍾書", "历史"),
    ("kor", "력사와 문화", "김철수", "역사"),
    ("eng", "Libraries of the world", "Müller, Anna", "Library science"),
    ("chi", "Python程序设计 第2版", "曾国藩", "计算机"),
]


def _rows(count: int) -> list[IndexRow]:
    rows = []
    for i in range(count):
        lang, title, author, subject = _TEXTS[i % len(_TEXTS)]
        description = {
            "languages": [lang],
            "agents": [{"name": author}],
            "subjects": [subject],
            "isbns": ["9787020024759"] if i % 3 == 0 else [],
        }
        rows.append(
            IndexRow(
                id=i + 1,
                state="active",
                title=f"{title} {i}",
                title_romanised=None,
                main_author=author,
                publisher="人民文学出版社",
                year=1990 + i % 30,
                material_type="book",
                description=description,
                copies=[("CEN", "available"), ("EAST", "withdrawn")][: 1 + i % 2],
            )
        )
    return rows


class _Loans:
    def popularity(self, record_ids: Iterable[int]) -> Mapping[int, int]:
        return {i: i % 7 for i in record_ids}


def test_worker_processes_build_the_same_documents() -> None:
    rows = _rows(1200)
    pages = [rows[i : i + 400] for i in range(0, len(rows), 400)]
    with DocumentBuilder(EveryCopyAvailable(), _Loans(), workers=0) as local:
        expected = [doc for chunk in local.pages(pages) for doc in chunk]
    with DocumentBuilder(EveryCopyAvailable(), _Loans(), workers=2, parallel_min=1) as pool:
        built = [doc for chunk in pool.pages(pages) for doc in chunk]
    assert [d["record_id"] for d in built] == [[r.id] for r in rows]
    assert built == expected
    assert built[1]["popularity"] == [2]
    assert built[1]["avail_at"] == ["CEN"]


def test_small_batches_stay_in_process() -> None:
    with DocumentBuilder(EveryCopyAvailable(), NoPopularity(), workers=2) as builder:
        docs = builder.documents(_rows(3))
        assert builder._pool is None
    assert len(docs) == 3
    assert "available" in docs[0]
