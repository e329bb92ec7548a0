"""Export: our MARC is read by tools we did not write (yaz-marcdump, MARC::Lint) without new errors.

Done-when 3 of the foundation: the export of an imported file is read by
yaz-marcdump and MARC::Lint without errors they did not also report on the
input. Also: UTF-8 ISO 2709 survives import → store → export byte for byte.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from shelfwise.marc.reading import MarcFormat, ReadRecord, read_file
from shelfwise.marc.record import Field
from shelfwise.marc.writing import MarcWriter
from shelfwise.services import Services
from shelfwise.storage.tables import sources
from shelfwise.testing import tools
from shelfwise.testing.marc_lint import lint_warnings, need_marc_lint


def _need_tools() -> None:
    tools.require_tool("yaz-marcdump", "the Debian package yaz")
    need_marc_lint()


def _export(
    services: Services,
    path: Path,
    *,
    format: MarcFormat = MarcFormat.ISO2709,
    encoding: str = "utf-8",
) -> int:
    count = 0
    with path.open("wb") as handle, MarcWriter(handle, format=format, encoding=encoding) as writer:
        for record in services.catalogue.iter_master_records():
            writer.write(record)
            count += 1
    return count


def _yaz_errors(
    path: Path, *, input_format: str = "marc", charset: str | None = None
) -> tuple[int, list[str]]:
    args = ["yaz-marcdump", "-i", input_format, "-o", "line"]
    if charset:
        args += ["-f", charset, "-t", "utf-8"]
    result = subprocess.run([*args, str(path)], capture_output=True, check=False)
    records = result.stdout.count(b"\n\n") if result.stdout else 0
    return records, [
        line for line in result.stderr.decode("utf-8", "replace").splitlines() if line.strip()
    ]


def _lint(path: Path) -> Counter[str]:
    with path.open("rb") as handle:
        return lint_warnings(handle)


# Files the repository carries: MARC-8 with EACC, ANSEL, Cyrillic and Greek; real UTF-8
# records with Hebrew, Arabic, Han and Hangul; real UTF-8 with CJK and Hangul.
SOURCES = [
    "generated/marc8.mrc",
    "real/traject/test/test_support/test_data.utf8.mrc",
    "real/yaz/test/marc-files/marccol1.u8.marc",
]
CORPUS_SOURCES = [
    "pymarc/test/marc.dat",  # MARC-8, Latin
    "traject/test/test_support/test_data.utf8.mrc",  # UTF-8 with Hebrew, Arabic, Han, Hangul
    "yaz/test/marc-files/marc12.marc",  # MARC-8 with EACC CJK
    "Catmandu-MARC/t/camel.mrc",
]


def _no_new_errors(services: Services, path: Path, tmp_path: Path) -> None:
    _need_tools()
    summary = services.importer().import_file(path)
    out = tmp_path / "export.mrc"
    written = _export(services, out)
    assert written == summary.added
    records_out, errors_out = _yaz_errors(out)
    _records_in, errors_in = _yaz_errors(path)
    assert records_out == written
    assert set(errors_out) <= set(errors_in), errors_out
    new_warnings = _lint(out) - _lint(path)
    assert not new_warnings, new_warnings


@pytest.mark.parametrize("source", SOURCES)
def test_yaz_and_marc_lint_find_no_new_errors(
    services: Services, marc_fixtures: Path, tmp_path: Path, source: str
) -> None:
    _no_new_errors(services, marc_fixtures / source, tmp_path)


@pytest.mark.parametrize("source", CORPUS_SOURCES)
def test_corpus_yaz_and_marc_lint_find_no_new_errors(
    services: Services, marc_corpus: Path, tmp_path: Path, source: str
) -> None:
    _no_new_errors(services, marc_corpus / source, tmp_path)


def test_utf8_records_survive_store_and_export_byte_for_byte(
    services: Services, marc_fixtures: Path, tmp_path: Path
) -> None:
    source = marc_fixtures / "real/traject/test/test_support/test_data.utf8.mrc"
    clean = [r for r in read_file(source) if isinstance(r, ReadRecord) and not r.repairs]
    services.importer().import_file(source)
    out = tmp_path / "export.mrc"
    _export(services, out)
    exported = {r.raw for r in read_file(out) if isinstance(r, ReadRecord)}
    with services.db.read() as conn:
        masters = {
            bytes(raw)
            for raw in conn.execute(select(sources.c.raw).where(sources.c.is_master == 1)).scalars()
        }
    # Every clean UTF-8 record that became a catalogue record (duplicates merge
    # into another and are not exported on their own) comes back byte for byte.
    originals = {r.raw for r in clean} & masters
    assert len(originals) > 20
    assert originals <= exported


@pytest.mark.parametrize(
    ("format", "encoding"),
    [
        (MarcFormat.MARCXML, "utf-8"),
        (MarcFormat.MARCJSON, "utf-8"),
        (MarcFormat.ISO2709, "gb18030"),
    ],
)
def test_export_formats_read_back_field_for_field(
    services: Services, marc_fixtures: Path, tmp_path: Path, format: MarcFormat, encoding: str
) -> None:
    services.importer().import_file(marc_fixtures / "real/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml")
    out = tmp_path / f"export.{format}"
    written = _export(services, out, format=format, encoding=encoding)
    back = [r for r in read_file(out) if isinstance(r, ReadRecord)]
    assert len(back) == written
    stored = list(services.catalogue.iter_master_records())

    def comparable(fields: list[Field]) -> list[Field]:
        # UNIMARC states its character set in 100 $a/26-33, which the writer
        # sets to the encoding it writes; everything else must be identical.
        return [f for f in fields if f.tag != "100"] if encoding != "utf-8" else fields

    assert [comparable(r.record.fields) for r in back] == [comparable(s.fields) for s in stored]
    if encoding == "gb18030":
        assert {r.encoding for r in back} == {"gb18030"}
