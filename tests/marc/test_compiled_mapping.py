"""The mapping tables compiled into plain functions (marc/mapping_compiled.py) describe
every record exactly as the interpreter (Rule.apply) does: on every committed fixture
file in every format, on the hostile files, and on the demo library in all three
dialects. The compiled path reads the lazy record the readers give (building only the
fields the rules ask for); the reference reads the same record with every field built."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shelfwise.marc import record as record_module
from shelfwise.marc.description import Description, Dialect
from shelfwise.marc.dialects import describe, interpret
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.marc.record import Field
from shelfwise.testing.hostile_records import hostile_files
from shelfwise.testing.records import write_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marc"
MARC_SUFFIXES = {".mrc", ".marc", ".xml", ".json", ".ndjson", ".dat"}


def _fixture_files() -> list[Path]:
    return sorted(
        p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix.lower() in MARC_SUFFIXES
    )


def _differences(path: Path) -> tuple[Counter[str], list[tuple[int, Description, Description]]]:
    compiled = [
        (item.offset, item.dialect, describe(item.record, item.dialect))
        for item in read_file(path)
        if isinstance(item, ReadRecord)
    ]
    reference: list[Description] = []
    for item in read_file(path):
        if isinstance(item, ReadRecord):
            item.record.fields  # noqa: B018 - every field built: the interpreter as it was
            reference.append(interpret(item.record, item.dialect))
    assert len(compiled) == len(reference)
    dialects = Counter(str(d) for _, d, _ in compiled)
    differ = [
        (offset, ours, theirs)
        for (offset, _, ours), theirs in zip(compiled, reference, strict=True)
        if ours != theirs
    ]
    return dialects, differ


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_file_described_alike(path: Path) -> None:
    _, differ = _differences(path)
    assert differ == []


def test_every_format_and_dialect_is_in_the_fixtures() -> None:
    suffixes = {p.suffix.lower() for p in _fixture_files()}
    assert {".mrc", ".xml", ".json"} <= suffixes
    seen: Counter[str] = Counter()
    for path in _fixture_files():
        seen += _differences(path)[0]
    assert set(seen) == {str(d) for d in Dialect}, seen


def test_hostile_files_described_alike(tmp_path: Path) -> None:
    for path in hostile_files(tmp_path):
        assert _differences(path)[1] == [], path.name


def test_demo_library_described_alike_in_every_dialect(tmp_path: Path) -> None:
    path = tmp_path / "demo.mrc"
    write_records(path, 1500, seed=7)
    dialects, differ = _differences(path)
    assert differ == []
    assert all(dialects[str(d)] > 100 for d in Dialect), dialects


def test_the_compiled_path_builds_only_the_fields_it_maps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.mrc"
    write_records(path, 200, seed=3)
    items = [i for i in read_file(path) if isinstance(i, ReadRecord)]
    built: list[str] = []
    real = record_module._field_of_text

    def counting(tag: str, text: str) -> Field:
        built.append(tag)
        return real(tag, text)

    monkeypatch.setattr(record_module, "_field_of_text", counting)
    for item in items:
        describe(item.record, item.dialect)
        assert item.record.is_lazy
    every = Counter(t for i in items for t, at in i.record.tag_positions().items() for _ in at)
    # Each built at most once, and a tag no rule reads (the 005 timestamp) never.
    assert len(built) < sum(every.values())
    assert every["005"] > 0
    assert "005" not in built
