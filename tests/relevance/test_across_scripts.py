"""Search across scripts (issue 13 item 13), over the relevance suite's fixed catalogue.

* Initials come from the same readings as full pinyin, surname readings included:
  ``zengguofan`` found 曾国藩家书 but its initials ``zgfjs`` did not (only ``cgfjs``).
* A Chinese (Hanja) query also tries its Hangul reading: 朝鲜族 found the Hanja record
  朝鮮族 民俗 but not the Hangul titles 조선족 …, although 조선족 finds 朝鮮族 (K1).
  The readings rank below every direct match.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from relevance_catalogue import BOOKS, write_catalogue

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.search import SearchRequest
from shelfwise.search.source import iter_active
from shelfwise.services import Services


@pytest.fixture(scope="module")
def catalogue(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Services, dict[int, str]]]:
    root = tmp_path_factory.mktemp("scripts")
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'db.sqlite'}"},
        environ={},
    )
    services = composition.build(settings)
    write_catalogue(root / "catalogue.mrc")
    services.importer().import_file(root / "catalogue.mrc")
    services.search.rebuild()
    keys = {f"REL{i:06d}": b.key for i, b in enumerate(BOOKS)}
    names = {
        row.id: keys[str(row.description["control_number"])]
        for page in iter_active(services.db)
        for row in page
    }
    yield services, names
    services.close()


def _ranked(services: Services, names: dict[int, str], q: str) -> list[str]:
    found = services.search.search(SearchRequest(q=q, size=50, group=False, facets=False))
    return [names[w.records[0].record_id] for w in found.works]


def test_initials_follow_the_name_readings(
    catalogue: tuple[Services, dict[int, str]],
) -> None:
    services, names = catalogue
    for q in ("zgfjs", "zengguofan", "zengguofanjiashu", "zgf", "cgfjs"):
        assert _ranked(services, names, q)[:1] == ["zh_zengguofan"], q


def test_a_hanja_query_also_finds_its_hangul_reading_below_direct_matches(
    catalogue: tuple[Services, dict[int, str]],
) -> None:
    services, names = catalogue
    ranked = _ranked(services, names, "朝鲜族")
    direct = ["ko_hanja_minsok", "zh_chaoxianzu", "zh_yanbian"]
    hangul = ["ko_joseonjok_ryeoksa", "ko_ryongjeong"]
    assert set(direct + hangul) <= set(ranked), ranked
    assert max(ranked.index(k) for k in direct) < min(ranked.index(k) for k in hangul), ranked
    # the traditional form reads the same, and the reverse direction still works
    assert set(hangul) <= set(_ranked(services, names, "朝鮮族"))
    assert "ko_hanja_minsok" in _ranked(services, names, "조선족")
