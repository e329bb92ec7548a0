"""Moving in from another system: readers, open loans, holds and fees from CSV (both backends)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from circ_helpers import LendingLibrary
from sqlalchemy import MetaData, select, text
from typer.testing import CliRunner

from shelfwise.circulation.migration_csv import (
    ColumnsError,
    CsvFile,
    CsvRow,
    RowError,
    detect_encoding,
    parse_cents,
    parse_offset,
    parse_time,
)
from shelfwise.circulation.migration_import import MigrationImporter, MigrationSummary
from shelfwise.circulation.scope import SYSTEM
from shelfwise.cli.main import cli
from shelfwise.services import Services
from shelfwise.storage.tables import readers

ID_CARD = "11010519491231002X"
CST = timezone(timedelta(hours=8))


def importer(services: Services, batch_size: int = 3) -> MigrationImporter:
    return MigrationImporter(
        services.db,
        services.clock,
        services.readers,
        work_dir=services.settings.data_dir / "imports",
        batch_size=batch_size,
        local_offset=CST,
    )


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def csv_set(lib: LendingLibrary, tmp: Path) -> dict[str, Path]:
    """A small library's export: three readers in three scripts, their loans, holds and fees."""
    dream, (d1, d2) = lib.title("红楼梦", copies=2)
    _, (k1,) = lib.title("토지", copies=1)
    _, (e1,) = lib.title("Middlemarch", copies=1, branch="BR1")
    lib.reusable["barcodes"] = (dream, [d1, d2, k1, e1])
    return {
        "readers": write(
            tmp / "readers.csv",
            [
                "card_number,name,category,branch,email,phone,id_card,initial_pin,created,expires,block",
                f"P0001,王小明,成人,CEN,xm@example.cn,13800000000,{ID_CARD},2468,2019-03-02,2027-03-01,",
                'P0002,김지우,학생,BR1,,,,,2021-09-01 10:15,2028-08-31,"lost card, call first"',
                "P0003,Emily Clarke,senior,,emily@example.org,,,,2015/05/20,,",
            ],
        ),
        "loans": write(
            tmp / "loans.csv",
            [
                "card_number,item_barcode,checked_out,due,renewals,branch",
                f"P0001,{d1},2026-08-10 14:03:00,2026-09-07,1,CEN",
                f"P0002,{k1},2026-07-01,2026-07-31,0,",
                f"P0003,{e1},2026-08-20,2026-09-17,,BR1",
            ],
        ),
        "holds": write(
            tmp / "holds.csv",
            [
                "card_number,item_barcode,isbn,record_id,pickup_branch,placed,queue_position",
                f"P0003,,,{dream},BR1,2026-08-25,2",
                f"P0002,{d2},,,CEN,2026-08-21,1",
            ],
        ),
        "fees": write(
            tmp / "fees.csv",
            [
                "card_number,amount,currency,kind,reason,date,item_barcode",
                f"P0002,3.50,CNY,超期,旧系统超期罚款,2026-06-30,{k1}",
                "P0003,¥100,,deposit,押金,2015-05-20,",
            ],
        ),
    }


def run_all(services: Services, files: dict[str, Path]) -> dict[str, MigrationSummary]:
    moving = importer(services)
    return {kind: moving.import_file(kind, path) for kind, path in files.items()}


def test_a_library_moves_in_without_losing_a_loan(
    services: Services, library: LendingLibrary, tmp_path: Path
) -> None:
    files = csv_set(library, tmp_path)
    summaries = run_all(services, files)
    assert {k: (s.read, s.added, s.rejected) for k, s in summaries.items()} == {
        "readers": (3, 3, 0),
        "loans": (3, 3, 0),
        "holds": (2, 2, 0),
        "fees": (2, 2, 0),
    }
    assert all(s.rejects_path is None for s in summaries.values())
    dream, (d1, _, k1, e1) = library.reusable["barcodes"]

    wang = services.readers.get("P0001")
    assert (wang.name, wang.category, wang.id_card_last4, wang.has_pin) == (
        "王小明",
        "adult",
        "002X",
        True,
    )
    assert services.readers.authenticate("P0001", "2468").card_number == "P0001"
    kim = services.readers.get("P0002")
    assert (kim.category, kim.manual_block, kim.expires_on) == (
        "student",
        "lost card, call first",
        date(2028, 8, 31),
    )
    emily = services.readers.get("P0003")
    assert emily.expires_on == date(2015 + services.readers.policy.card_years, 5, 20)

    # Loans keep their dates, renewals and branch, and the desk sees them as on loan.
    [loan] = services.circulation.loans_of("P0001")
    assert (loan.barcode, loan.due_on, loan.renewals) == (d1, date(2026, 9, 7), 1)
    loaned_at = loan.loaned_at.replace(tzinfo=loan.loaned_at.tzinfo or UTC)
    assert loaned_at == datetime(2026, 8, 10, 6, 3, tzinfo=UTC)  # 14:03 in +08:00
    [overdue] = services.circulation.loans_of("P0002")
    assert (overdue.barcode, overdue.due_on) == (k1, date(2026, 7, 31))
    assert services.circulation.item_status(e1).due_on == date(2026, 9, 17)
    assert str(services.circulation.item_status(d1).availability) == "on_loan"

    # Holds queue in the old system's order; fees are open on the readers' accounts.
    assert [(h.record_id, h.queue_position) for h in services.circulation.holds_of("P0002")] == [
        (dream, 1)
    ]
    assert [h.queue_position for h in services.circulation.holds_of("P0003")] == [2]
    assert [(f.kind, f.amount_cents, f.status) for f in services.fees.fees_of("P0002")] == [
        ("overdue", 350, "open")
    ]
    assert [(f.kind, f.amount_cents) for f in services.fees.fees_of("P0003")] == [
        ("deposit", 10000)
    ]

    # Circulation goes on from here: the overdue imported loan checks in with a fine.
    result = services.circulation.checkin(k1, "CEN", actor=SYSTEM)
    assert result.loan_id == overdue.id
    assert result.fine_cents > 0


def test_a_second_run_adds_nothing(
    services: Services, library: LendingLibrary, tmp_path: Path
) -> None:
    files = csv_set(library, tmp_path)
    run_all(services, files)
    before = _counts(services)
    again = run_all(services, files)
    assert {k: (s.added, s.unchanged, s.rejected) for k, s in again.items()} == {
        "readers": (0, 3, 0),
        "loans": (0, 3, 0),
        "holds": (0, 2, 0),
        "fees": (0, 2, 0),
    }
    assert _counts(services) == before
    # A loan returned since the first run is not opened again by a third run.
    _, (d1, *_) = library.reusable["barcodes"]
    services.circulation.checkin(d1, "CEN", actor=SYSTEM)
    third = importer(services).import_file("loans", files["loans"])
    assert (third.added, third.unchanged) == (0, 3)
    assert services.circulation.loans_of("P0001") == []


def test_bad_rows_go_to_the_rejects_file_with_reasons(
    services: Services, library: LendingLibrary, tmp_path: Path
) -> None:
    _, (b1, b2) = library.title("三体", copies=2)
    moving = importer(services, batch_size=2)
    people = write(
        tmp_path / "readers.csv",
        [
            "card_number,name,category,pin_hash",
            "R1,李雷,adult,",
            "R2,박서준,wizard,",
            "R3,韩梅梅,少儿,",
            "R4,Tom Baker,adult,5f4dcc3b5aa765d61d8327deb882cf99",
        ],
    )
    readers_summary = moving.import_file("readers", people)
    assert (readers_summary.added, readers_summary.rejected) == (2, 2)
    assert readers_summary.reasons == {"unknown category": 1, "pin hash not argon2": 1}
    loans_file = write(
        tmp_path / "loans.csv",
        [
            "card_number,item_barcode,checked_out,due",
            f"R1,{b1},2026-08-01,2026-08-29",
            "R1,NO-SUCH-BARCODE,2026-08-01,2026-08-29",
            f"R3,{b1},2026-08-03,2026-08-31",
            f"R3,{b2},2026-13-45,2026-08-31",
            f"R9,{b2},2026-08-01,2026-08-29",
            f"R3,{b2},2026-08-05,2026-09-02",
        ],
    )
    summary = moving.import_file("loans", loans_file)
    assert (summary.read, summary.added, summary.rejected) == (6, 2, 4)
    assert summary.reasons == {
        "unknown item barcode": 1,
        "duplicate open loan": 1,
        "bad date": 1,
        "unknown reader": 1,
    }
    assert summary.rejects_path is not None
    rejects = [
        json.loads(line) for line in Path(summary.rejects_path).read_text("utf-8").splitlines()
    ]
    assert [r["line"] for r in rejects] == [3, 4, 5, 6]
    assert rejects[1]["raw"] == f"R3,{b1},2026-08-03,2026-08-31"
    assert "already on loan (since 2026-08-01)" in rejects[1]["reason"]
    assert "NO-SUCH-BARCODE" in rejects[0]["reason"]
    assert "2026-13-45" in rejects[2]["reason"]
    people_rejects = [
        json.loads(line)
        for line in Path(str(readers_summary.rejects_path)).read_text("utf-8").splitlines()
    ]
    assert people_rejects[0] == {
        "line": 3,
        "reason": "unknown category: 'wizard' is not one of child, adult, senior, student",
        "raw": "R2,박서준,wizard,",
    }
    # One open loan per item, whatever the file says.
    assert [loan.barcode for loan in services.circulation.loans_of("R1")] == [b1]
    assert [loan.barcode for loan in services.circulation.loans_of("R3")] == [b2]


def test_gb18030_and_utf8_with_bom_are_detected(services: Services, tmp_path: Path) -> None:
    gb = write(tmp_path / "gb.csv", ["card_number,name,category", "G1,欧阳娜娜,成人"], "gb18030")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "card_number,name,category\nU1,최민수,성인\n".encode())
    assert (detect_encoding(gb), detect_encoding(bom)) == ("gb18030", "utf-8-sig")
    moving = importer(services)
    assert moving.import_file("readers", gb).added == 1
    assert moving.import_file("readers", bom).added == 1
    assert services.readers.get("G1").name == "欧阳娜娜"
    assert services.readers.get("U1").name == "최민수"
    # Forced to UTF-8, the GB18030 line is a bad line, not a crash.
    forced = moving.import_file("readers", gb, encoding="utf-8")
    assert (forced.rejected, forced.reasons) == (1, {"bad line": 1})


def test_no_identity_card_number_is_stored_in_plain_text(
    services: Services, library: LendingLibrary, tmp_path: Path
) -> None:
    run_all(services, csv_set(library, tmp_path))
    with services.db.read() as conn:
        stored = conn.execute(
            select(readers.c.id_card_hash).where(readers.c.card_number == "P0001")
        )
        assert stored.scalar_one() == services.readers.hasher.id_card(ID_CARD)[0]
        dump = _dump(conn)
    assert ID_CARD not in dump
    assert ID_CARD[:-4] not in dump
    # The initial PIN is hashed too. As a whole value, not inside a hash or a timestamp,
    # where four digits turn up by chance.
    assert re.search(r"(?<![0-9A-Za-z+/$:-])2468(?![0-9A-Za-z+/$:-])", dump) is None
    # A second reader with the same identity card is refused with a reason.
    twin = write(
        tmp_path / "twin.csv", ["card_number,name,category,id_card", f"P9,王二,adult,{ID_CARD}"]
    )
    summary = importer(services).import_file("readers", twin)
    assert summary.reasons == {"id card registered": 1}


def test_a_file_without_a_required_column_imports_nothing(
    services: Services, tmp_path: Path
) -> None:
    bad = write(tmp_path / "loans.csv", ["card_number,barcode,due", "P1,B1,2026-09-01"])
    with pytest.raises(ColumnsError, match="item_barcode, checked_out"):
        importer(services).import_file("loans", bad)
    assert not list((services.settings.data_dir / "imports").glob("*.rejects.jsonl"))


def test_the_command_imports_and_prints_a_summary(
    services: Services, library: LendingLibrary, tmp_path: Path
) -> None:
    files = csv_set(library, tmp_path)
    args = [
        "import-readers",
        *(arg for kind, path in files.items() for arg in (f"--{kind}", str(path))),
        "--data-dir",
        str(services.settings.data_dir),
        "--database-url",
        services.settings.resolved_database_url,
    ]
    env = {"COLUMNS": "160", "NO_COLOR": "1"}
    first = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert "Moving in" in first.output
    # The summary table's width follows the terminal, so look only for the file names.
    assert "readers.csv" in first.output
    again = CliRunner().invoke(cli, args, env=env)
    assert again.exit_code == 0, again.output
    assert "loans.csv" in again.output
    assert [len(services.circulation.loans_of(c)) for c in ("P0001", "P0002", "P0003")] == [1, 1, 1]


# --- the pure parts ---------------------------------------------------------------------


def test_rows_know_the_line_they_start_on(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv",
        [
            "Card Number,NAME,category,notes",
            'A1,"张\n三",adult,x',
            "",
            "A2,이영희,adult,y,surplus",
            "A3,Ann,adult,z",
        ],
    )
    source = CsvFile(path)
    rows = list(source.rows(("card_number", "name", "category"), ("card_number", "name")))
    assert [(type(r).__name__, r.line) for r in rows] == [
        ("CsvRow", 2),
        ("BadLine", 5),
        ("CsvRow", 6),
    ]
    first = rows[0]
    assert isinstance(first, CsvRow)
    assert first.values["name"] == "张\n三"
    assert first.raw == 'A1,"张\n三",adult,x'
    assert source.ignored_columns(("card_number", "name", "category")) == ["notes"]


def test_values_are_parsed_with_reasons() -> None:
    assert parse_cents("12.5", "amount") == 1250
    assert parse_cents("￥1,200.00元", "amount") == 120000
    for bad in ("12.345", "abc", "0", "-3"):
        with pytest.raises(RowError, match="bad amount"):
            parse_cents(bad, "amount")
    offset = parse_offset("+08:00")
    assert parse_time("2026.08.10 08:00", "t", offset) == datetime(2026, 8, 10, 0, 0, tzinfo=UTC)
    assert parse_time("20260810", "t", offset) == datetime(2026, 8, 9, 16, 0, tzinfo=UTC)
    with pytest.raises(RowError, match="bad date"):
        parse_time("2026-08-10 25:99", "t", offset)


def _counts(services: Services) -> dict[str, int]:
    with services.db.read() as conn:
        return {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in (
                "readers",
                "loans",
                "holds",
                "fees",
                "idempotency_keys",
                "reader_consents",
            )
        }


def _dump(conn: object) -> str:
    """Every value of every table, as text."""
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    meta = MetaData()
    meta.reflect(conn)
    parts = []
    for table in meta.sorted_tables:
        for row in conn.execute(select(table)):
            parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)
