"""MARC import into the catalogue: idempotent, merging duplicates, rejecting bad records with reasons."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from shelfwise.catalogue.models import ImportSummary
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.tables import items, records, sources


def _book(
    control: str,
    title: str,
    isbn: str | None,
    *,
    barcode: str | None = None,
    author: str = "Lee, Ann",
    year: str = "2001",
) -> Record:
    fields = [Field("001", data=control), Field("003", data="TEST")]
    if isbn:
        fields.append(Field("020", "  ", [("a", isbn)]))
    fields.append(Field("100", "1 ", [("a", author)]))
    fields.append(Field("245", "10", [("a", title)]))
    fields.append(Field("264", " 1", [("a", "Harbin :"), ("b", "Test Press,"), ("c", year)]))
    if barcode:
        fields.append(Field("852", "  ", [("b", "CEN"), ("h", "I247.5/12"), ("p", barcode)]))
    return Record("00000nam a2200000 a 4500", fields)


def _write(path: Path, recs: list[Record]) -> Path:
    path.write_bytes(b"".join(encode(r) for r in recs))
    return path


def _central(services: Services) -> None:
    """The branch the test records' holdings name (an import never creates one)."""
    from shelfwise.catalogue.models import BranchKind

    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")


def _count(services: Services, table: object) -> int:
    with services.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_second_import_adds_nothing(services: Services, tmp_path: Path) -> None:
    _central(services)
    path = _write(
        tmp_path / "a.mrc",
        [
            _book(f"c{i}", f"Book number {i}", None, barcode=f"B{i:04d}", year=str(1990 + i))
            for i in range(120)
        ],
    )
    first = services.importer().import_file(path)
    assert (first.read, first.added, first.rejected, first.items_added) == (120, 120, 0, 120)
    second = services.importer().import_file(path)
    assert (second.read, second.added, second.unchanged, second.merged, second.items_added) == (
        120,
        0,
        120,
        0,
        0,
    )
    assert _count(services, records) == 120
    assert _count(services, sources) == 120
    assert _count(services, items) == 120


def test_duplicates_merge_by_isbn_then_title_key_and_keep_every_source(
    services: Services, tmp_path: Path
) -> None:
    _central(services)
    base = _book("n1", "历史研究", "9787532234561", barcode="X1")
    same_isbn = _book(
        "other-agency-7", "歷史研究 : 第二版", "7-5322-3456-8", barcode="X2"
    )  # ISBN-10 of the same book
    same_title = _book("n3", "历史 研究", None, barcode="X3")
    different = _book("n4", "朝鲜族民俗", "9788936433673")
    summary = services.importer().import_file(
        _write(tmp_path / "d.mrc", [base, same_isbn, same_title, different])
    )
    assert (summary.added, summary.merged) == (2, 2)
    assert summary.matched_on == {"new": 2, "isbn": 1, "title_key": 1}
    with services.db.read() as conn:
        owners = dict(conn.execute(select(sources.c.control_number, sources.c.record_id)).all())
        masters = conn.execute(select(func.sum(sources.c.is_master))).scalar_one()
        item_owners = set(conn.execute(select(items.c.record_id)).scalars())
    assert owners["n1"] == owners["other-agency-7"] == owners["n3"] != owners["n4"]
    assert masters == 2
    assert item_owners == {owners["n1"]}  # the duplicates' copies joined the surviving record


def test_changed_source_updates_the_record(services: Services, tmp_path: Path) -> None:
    services.importer().import_file(_write(tmp_path / "v1.mrc", [_book("c1", "Old title", None)]))
    summary = services.importer().import_file(
        _write(tmp_path / "v2.mrc", [_book("c1", "New title", None)])
    )
    assert (summary.updated, summary.added) == (1, 0)
    with services.db.read() as conn:
        titles = conn.execute(select(records.c.title, records.c.version)).all()
    assert [(t.title, t.version) for t in titles] == [("New title", 2)]


def test_bad_records_go_to_the_rejects_file_with_offset_and_reason(
    services: Services, tmp_path: Path
) -> None:
    good = encode(_book("g1", "Good one", None))
    broken = (
        b"00099nam a2200037 a 4500" + b"245001200000\x1e" + b"10\x1faTrunc"
    )  # directory points past the end
    good2 = encode(_book("g2", "Good two", None))
    path = tmp_path / "mixed.mrc"
    path.write_bytes(good + broken + b"\x1d" + good2)
    summary = services.importer().import_file(path)
    assert (summary.read, summary.rejected) == (2, 1)
    assert summary.rejects_path is not None
    lines = [
        json.loads(line)
        for line in Path(summary.rejects_path).read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) == 1
    assert lines[0]["offset"] == len(good)
    assert lines[0]["reason"]
    assert _count(services, records) == 2


def test_real_files_import_idempotently(services: Services, marc_fixtures: Path) -> None:
    files = [
        marc_fixtures / "generated/marc8.mrc",  # MARC-8 ISO 2709 with EACC
        marc_fixtures / "real/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml",  # CNMARC inside SRU
        marc_fixtures / "real/traject/test/test_support/test_data.utf8.mrc",
        marc_fixtures / "generated/marc-in-json-array.json",
        marc_fixtures / "generated/kormarc-euc-kr.mrc",
        marc_fixtures / "generated/cnmarc-gb18030.mrc",
    ]
    firsts: list[ImportSummary] = [services.importer().import_file(f) for f in files]
    assert all(s.read > 0 for s in firsts)
    counts = services.catalogue.counts()
    seconds = [services.importer().import_file(f) for f in files]
    for s in seconds:
        assert (s.added, s.merged, s.updated, s.items_added) == (0, 0, 0, 0), s
        assert s.unchanged == s.read
    assert services.catalogue.counts() == counts


def test_stored_description_keeps_every_attribute_but_holdings() -> None:
    import dataclasses

    from shelfwise.catalogue.rows import description_json
    from shelfwise.marc.description import Description

    stored = json.loads(description_json(Description(title="t")))
    expected = {f.name for f in dataclasses.fields(Description)} - {"holdings"}
    assert set(stored) == expected


def test_holdings_find_their_branch_by_default_or_by_shelving_location(
    services: Services, tmp_path: Path
) -> None:
    from shelfwise.catalogue.models import BranchKind

    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    services.catalogue.add_branch(
        code="XSL", kind=BranchKind.BRANCH, name_zh="新世纪分馆", name_ko="조선족 분관"
    )
    services.catalogue.add_location(
        branch_code="XSL", code="XSL-KO", name="조선어 자료실", kind="korean"
    )
    record = Record(
        "00000nam a2200000 c 4500",
        [
            Field("001", data="kor-1"),
            Field("040", "  ", [("a", "NLK")]),
            Field("049", "0 ", [("l", "EM0001"), ("f", "XSL-KO")]),  # a shelving location only
            Field("049", "0 ", [("l", "EM0002")]),  # nothing at all: the central library
            Field("056", "  ", [("a", "911.05"), ("2", "6")]),
            Field("245", "00", [("a", "조선족 력사"), ("d", "리광인 지음")]),
        ],
    )
    summary = services.importer().import_file(_write(tmp_path / "k.mrc", [record]))
    assert summary.dialects == {"kormarc": 1}
    assert (summary.items_rejected, summary.unknown_branches) == (0, [])
    branches = {b.id: b.code for b in services.catalogue.list_branches()}
    assert branches[services.catalogue.get_item("EM0001").home_branch_id] == "XSL"
    assert services.catalogue.get_item("EM0001").location_id is not None
    assert branches[services.catalogue.get_item("EM0002").home_branch_id] == "CEN"


def test_strict_import_keeps_what_came_before_and_stops_at_the_bad_record(
    services: Services, tmp_path: Path
) -> None:
    import pytest

    from shelfwise.catalogue.importing import StrictImportError

    good = encode(_book("g1", "Before the bad one", None))
    broken = b"00099nam a2200037 a 4500" + b"245001200000\x1e" + b"10\x1faTrunc\x1d"
    path = tmp_path / "strict.mrc"
    path.write_bytes(good + broken + encode(_book("g2", "After the bad one", None)))
    with pytest.raises(StrictImportError) as excinfo:
        services.importer().import_file(path, strict=True)
    assert excinfo.value.rejected.offset == len(good)
    assert _count(services, records) == 1


def test_a_deeply_nested_json_record_is_rejected_and_the_import_goes_on(
    services: Services, tmp_path: Path
) -> None:
    # Issue 13 item 9: a RecursionError used to stop the whole import.
    from shelfwise.testing.hostile_records import deeply_nested_json, marc_in_json

    good = [
        json.dumps(
            marc_in_json("00000nam a2200000 a 4500", [("001", c), ("245", ("10", [("a", t)]))])
        )
        for c, t in (("j1", "Before the deep one"), ("j2", "After the deep one"))
    ]
    path = tmp_path / "deep.json"
    path.write_bytes(f"{good[0]}\n".encode() + deeply_nested_json() + f"\n{good[1]}\n".encode())
    summary = services.importer().import_file(path)
    assert (summary.read, summary.added, summary.rejected) == (2, 2, 1)
    assert summary.rejects_path is not None
    (line,) = Path(summary.rejects_path).read_text(encoding="utf-8").splitlines()
    assert "nested 100,006 levels deep" in json.loads(line)["reason"]


def test_a_record_without_a_title_proper_takes_a_fallback_or_is_rejected(
    services: Services, tmp_path: Path
) -> None:
    # Issue 13 item 6: records whose 245 was missing or empty were imported with an
    # empty title (one then topped the demo home page).
    import csv

    from shelfwise.testing.hostile_records import titles_iso2709

    cases = titles_iso2709()
    path = tmp_path / "titles.mrc"
    path.write_bytes(b"".join(raw for raw, _ in cases))
    summary = services.importer().import_file(path)
    expected = [title for _, title in cases if title is not None]
    assert (summary.read, summary.added, summary.rejected) == (len(expected), len(expected), 2)
    with services.db.read() as conn:
        titles = list(conn.execute(select(records.c.title).order_by(records.c.id)).scalars())
    assert titles == expected
    assert summary.report_path is not None
    with open(summary.report_path, encoding="utf-8", newline="") as handle:
        notes = [row["repairs"] for row in csv.DictReader(handle, delimiter="\t")]
    assert notes == [
        "no title in 245; title taken from 240",
        "no title in 245; title taken from 246",
        "no title in 245; title taken from 130",
        "no title in 245; title taken from 740",
        "no title in 200; title taken from 500",
        "no title in 200; title taken from 517",
        "no title in 245; title taken from 940",
    ]
    assert summary.rejects_path is not None
    reasons = [
        json.loads(line)["reason"]
        for line in Path(summary.rejects_path).read_text(encoding="utf-8").splitlines()
    ]
    assert reasons == [
        "no title: 245 is missing or empty and none of 240, 130, 246, 740 holds one",
        "no title: 200 is missing or empty and none of 500, 501, 510, 512, 513, 514, 515, "
        "516, 517, 518, 530, 532, 540, 541, 545 holds one",
    ]


def test_unknown_branches_hold_back_the_copies_and_no_branch_is_created(
    services: Services, tmp_path: Path
) -> None:
    # Issue 13 item 12: a typo in the holdings' branch field created a public branch "NOPE".
    from shelfwise.catalogue.models import BranchKind

    def holding(branch: str | None, barcode: str) -> Field:
        subs = [("b", branch)] if branch else []
        return Field("852", "  ", [*subs, ("h", "I247.5/12"), ("p", barcode)])

    first = _book("h1", "Held at two branches", None)
    first.fields += [holding("CEN", "B1"), holding("NOPE", "B2")]
    second = _book("h2", "Held at a typo", None)
    second.fields.append(holding("NOPE", "B3"))
    third = _book("h3", "Held nowhere in particular", None)
    third.fields.append(holding(None, "B4"))
    path = _write(tmp_path / "holdings.mrc", [first, second, third])

    def run() -> ImportSummary:
        summary = services.importer().import_file(path)
        assert summary.rejected == 0  # the records themselves are all imported
        return summary

    nothing = run()
    assert (nothing.added, nothing.items_added, nothing.items_rejected) == (3, 0, 4)
    assert nothing.unknown_branches == ["CEN", "NOPE", ""]
    assert services.catalogue.list_branches() == []
    assert nothing.rejects_path is not None
    lines = [
        json.loads(line)
        for line in Path(nothing.rejects_path).read_text(encoding="utf-8").splitlines()
    ]
    assert [(x["rejected"], x["barcodes"], x["branch_codes"]) for x in lines] == [
        ("items", ["B1", "B2"], ["CEN", "NOPE"]),
        ("items", ["B3"], ["NOPE"]),
        ("items", ["B4"], [""]),
    ]
    assert "no central library" in lines[2]["reason"]
    assert "'NOPE'" in lines[1]["reason"]
    assert all(x["raw_base64"] for x in lines)

    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    central = run()
    assert (central.unchanged, central.items_added, central.items_rejected) == (3, 2, 2)
    assert central.unknown_branches == ["NOPE"]
    assert {services.catalogue.get_item(b).barcode for b in ("B1", "B4")} == {"B1", "B4"}

    services.catalogue.add_branch(code="NOPE", kind=BranchKind.BRANCH, name_zh="新分馆")
    complete = run()
    assert (complete.items_added, complete.items_rejected, complete.rejects_path) == (2, 0, None)
    assert [b.code for b in services.catalogue.list_branches()] == ["CEN", "NOPE"]
    assert _count(services, items) == 4


def test_the_hostile_files_import_with_their_repairs_and_rejects_and_export(
    services: Services, tmp_path: Path
) -> None:
    # testing/hostile_records.hostile_files: what the combined hostile-catalogue test seeds.
    from shelfwise.catalogue.exporting import ExportRequest
    from shelfwise.marc.reading import ReadRecord, read_file
    from shelfwise.testing.hostile_records import hostile_files

    _central(services)
    summaries = {p.name: services.importer().import_file(p) for p in hostile_files(tmp_path / "in")}
    assert {n: (s.read, s.rejected) for n, s in summaries.items()} == {
        "control.mrc": (2, 0),
        "control.json": (1, 0),
        "titles.mrc": (7, 2),
        "unmappable.mrc": (3, 0),
        "deep.json": (0, 1),
        "branch.mrc": (1, 0),
    }
    assert summaries["control.mrc"].repairs == 2
    assert summaries["titles.mrc"].repairs == 7
    assert (summaries["branch.mrc"].items_rejected, summaries["branch.mrc"].unknown_branches) == (
        1,
        ["NOPE"],
    )
    out = tmp_path / "hostile.mrc"
    summary = services.exporter().export(out, ExportRequest(encoding="euc-kr"))
    assert (summary.written, summary.rejected) == (services.catalogue.counts()["records"], 0)
    assert summary.escaped >= 3
    assert all(isinstance(r, ReadRecord) for r in read_file(out, encoding="euc-kr"))
