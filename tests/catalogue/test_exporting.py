"""``shelfwise export``: MARC 21 by default, lossless escapes in legacy sets, never a partial
file, and a record that cannot be written goes to a rejects file (issue 13 items 3 and 7).

On the code before, ``export --encoding euc-kr`` stopped with a traceback and a
0-byte or partial file on simplified Chinese, on ₩ and on ŏ, and exported CNMARC
and KORMARC records unconverted under a MARC 21 name.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from shelfwise.catalogue.exporting import ExportRequest
from shelfwise.catalogue.models import BranchKind
from shelfwise.cli.main import cli
from shelfwise.marc.description import Dialect
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.marcxml import SLIM
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.testing.marc_lint import lint_warnings, need_marc_lint

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "MARC21slim.xsd"
UNIMARC_100 = Field("100", "  ", [("a", "20240101d2024    em y0chiy50      ea")])


def _catalogue(services: Services, tmp_path: Path, *extra: Record) -> None:
    """A CNMARC record in simplified Chinese, a KORMARC one priced in ₩, a MARC 21 one
    with McCune-Reischauer ŏ: what EUC-KR cannot all hold."""
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    cnmarc = Record(
        "     nam0 22        450 ",
        [
            Field("001", data="cn-1"),
            Field("010", "  ", [("a", "978-7-100-01234-3"), ("d", "CNY25.00")]),
            UNIMARC_100,
            Field("101", "0 ", [("a", "chi")]),
            Field("200", "1 ", [("a", "现代汉语词典"), ("9", "xian dai han yu ci dian")]),
            Field("210", "  ", [("a", "北京"), ("c", "商务印书馆"), ("d", "2016")]),
            Field("701", " 0", [("a", "吕叔湘"), ("4", "主编")]),
        ],
    )
    kormarc = Record(
        "     nam a22      i 4500",
        [
            Field("001", data="ko-1"),
            Field("020", "  ", [("a", "9788936433673"), ("g", "03810"), ("c", "₩12000")]),
            Field("040", "  ", [("a", "NLK")]),
            Field("245", "00", [("a", "조선족 력사"), ("d", "리광인 지음")]),
        ],
    )
    marc21 = Record(
        "     nam a22     7a 4500",
        [
            Field("001", data="en-1"),
            Field("245", "10", [("a", "Chosŏn wangjo sillok /"), ("c", "edited by Kim.")]),
        ],
    )
    path = tmp_path / "mixed.mrc"
    path.write_bytes(b"".join(encode(r) for r in (cnmarc, kormarc, marc21, *extra)))
    assert services.importer().import_file(path).rejected == 0


def _cli(services: Services, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "export",
            *args,
            "--data-dir",
            str(tmp_path / "data"),
            "--database-url",
            services.settings.resolved_database_url,
        ],
    )
    return result.exit_code, result.output


def _titles(path: Path, **read: str) -> list[str]:
    found = []
    for item in read_file(path, **read):  # type: ignore[arg-type]
        assert isinstance(item, ReadRecord), item
        found += item.record.subfield_values("245", "a")
    return found


def test_euc_kr_export_escapes_what_the_set_lacks_and_reads_back_losslessly(
    services: Services, tmp_path: Path
) -> None:
    _catalogue(services, tmp_path)
    utf8, legacy = tmp_path / "utf8.mrc", tmp_path / "euc-kr.mrc"
    assert _cli(services, tmp_path, str(utf8))[0] == 0
    code, output = _cli(services, tmp_path, str(legacy), "--encoding", "euc-kr")
    assert code == 0, output
    assert "3 records" in output
    assert "with characters as &#xXXXX;" in output
    raw = legacy.read_bytes()
    for reference in (b"&#x20A9;", b"&#x014F;", b"&#x73B0;"):  # ₩, ŏ, 现
        assert reference in raw
    assert "조선족".encode("cp949") in raw  # what the set holds is written as itself
    assert _titles(legacy, encoding="cp949", dialect="marc21") == _titles(utf8)
    assert any("现代汉语词典" in t for t in _titles(legacy, encoding="cp949", dialect="marc21"))
    gb = tmp_path / "gb.mrc"
    assert _cli(services, tmp_path, str(gb), "--encoding", "gb18030")[0] == 0
    assert b"&#x" not in gb.read_bytes()  # GB 18030 holds every character


def test_export_is_marc21_unless_asked_for_the_records_as_catalogued(
    services: Services, tmp_path: Path
) -> None:
    _catalogue(services, tmp_path)
    xml = tmp_path / "all.xml"
    assert _cli(services, tmp_path, str(xml), "--format", "marcxml")[0] == 0
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    records = etree.parse(str(xml)).getroot().findall(f"{{{SLIM}}}record")
    assert len(records) == 3
    for element in records:
        assert schema.validate(element), str(schema.error_log)
    mine = tmp_path / "as-catalogued.mrc"
    assert _cli(services, tmp_path, str(mine), "--as-catalogued")[0] == 0
    dialects = Counter(str(r.dialect) for r in read_file(mine) if isinstance(r, ReadRecord))
    assert dialects == {"unimarc": 1, "kormarc": 1, "marc21": 1}
    only = tmp_path / "cnmarc.mrc"
    assert _cli(services, tmp_path, str(only), "--dialect", "unimarc")[0] == 0
    (converted,) = [r for r in read_file(only) if isinstance(r, ReadRecord)]
    assert converted.dialect is Dialect.MARC21
    assert converted.record.get("200") is None
    assert converted.record.subfield_values("245", "a") == ["现代汉语词典."]
    need_marc_lint()
    warnings = lint_warnings(io.BytesIO((tmp_path / "as-catalogued.mrc").read_bytes()))
    default = tmp_path / "marc21.mrc"
    assert _cli(services, tmp_path, str(default))[0] == 0
    with default.open("rb") as handle:
        assert lint_warnings(handle) - warnings == Counter()


def test_a_record_iso_2709_cannot_hold_goes_to_the_rejects_file(
    services: Services, tmp_path: Path
) -> None:
    notes = [Field("500", "  ", [("a", f"{n} " + "長" * 2400)]) for n in range(15)]
    huge = Record(
        "     nam a22     7a 4500",
        [Field("001", data="big-1"), Field("245", "10", [("a", "Too big.")]), *notes],
    )
    _catalogue(services, tmp_path)
    with (tmp_path / "big.json").open("wb") as handle:  # MARC-in-JSON has no length limit
        handle.write(json.dumps(_json(huge), ensure_ascii=False).encode())
    assert services.importer().import_file(tmp_path / "big.json").added == 1
    out = tmp_path / "out.mrc"
    code, output = _cli(services, tmp_path, str(out))
    assert code == 0, output
    assert len(_titles(out)) == 3
    rejects = tmp_path / "out.mrc.rejects.jsonl"
    (line,) = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert "99999" in line["reason"]
    assert line["marc_json"]["fields"][0] == {"001": "big-1"}
    xml = tmp_path / "out.xml"
    assert _cli(services, tmp_path, str(xml), "--format", "marcxml")[0] == 0
    assert not (tmp_path / "out.xml.rejects.jsonl").exists()


def _json(record: Record) -> dict[str, object]:
    from shelfwise.marc.marcjson import record_to_json

    return record_to_json(record)


def test_an_export_that_fails_half_way_leaves_the_previous_file(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalogue(services, tmp_path)
    out = tmp_path / "catalogue.mrc"
    out.write_bytes(b"yesterday's export")
    from shelfwise.marc import writing

    real_write = writing.MarcWriter.write

    def disk_full(self: writing.MarcWriter, record: Record) -> None:
        if self.count == 2:
            raise OSError(28, "No space left on device")
        real_write(self, record)

    monkeypatch.setattr(writing.MarcWriter, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        services.exporter().export(out, ExportRequest())
    assert out.read_bytes() == b"yesterday's export"
    assert sorted(p.name for p in tmp_path.iterdir() if "catalogue" in p.name) == ["catalogue.mrc"]


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "marcxml", "--encoding", "euc-kr"),
        ("--encoding", "latin-1"),
        ("--encoding", "shift-jis"),
    ],
)
def test_an_impossible_request_is_a_message_not_a_traceback(
    services: Services, tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, output = _cli(services, tmp_path, str(tmp_path / "x.mrc"), *args)
    assert code == 2
    assert "export:" in output
    assert "Traceback" not in output
    assert not (tmp_path / "x.mrc").exists()
