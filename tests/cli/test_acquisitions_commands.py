"""``shelfwise import-vendors`` and ``import-funds`` as an operator runs them (SQLite): a
good file is stored; a file with one bad row stores nothing and names the row."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.cli.acquisitions_commands import fen_of
from shelfwise.cli.main import cli
from shelfwise.config import Settings

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def test_yuan_become_fen_exactly() -> None:
    assert (fen_of("1,234.50"), fen_of("0.05"), fen_of("80000")) == (123_450, 5, 8_000_000)
    for bad in ("-1", "1.005", "abc", ""):
        with pytest.raises(ValueError, match=r"yuan|amount"):
            fen_of(bad)


def test_vendors_and_funds_from_csv(tmp_path: Path) -> None:
    data = tmp_path / "live"
    services = composition.build(Settings.load({"data_dir": data}, environ={}))
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="中心馆")
    services.close()
    runner = CliRunner()
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("code,name,email\nXH,新华书店,a@xh.example\nJD,京东图书,\n", "utf-8")
    done = runner.invoke(cli, ["import-vendors", str(vendors), "--data-dir", str(data)], env=ENV)
    assert done.exit_code == 0, done.output
    funds = tmp_path / "funds.csv"
    funds.write_text(
        'code,year,branch,name,allocated\nBOOKS,2026,CEN,中文图书,"80,000.00"\n'
        "KIDS,2026,NOPE,少儿,100\nAV,2026,CEN,音像,1.005\n",
        "utf-8",
    )
    refused = runner.invoke(cli, ["import-funds", str(funds), "--data-dir", str(data)], env=ENV)
    assert refused.exit_code == 1
    assert "row 3" in refused.output
    assert "NOPE" in refused.output
    assert "row 4" in refused.output
    assert "row 2" not in refused.output
    services = composition.build(Settings.load({"data_dir": data}, environ={}))
    assert services.acquisitions.funds(2026) == []  # one bad row: nothing stored
    assert [v.code for v in services.acquisitions.vendors()] == ["JD", "XH"]
    services.close()
    funds.write_text('code,year,branch,name,allocated\nBOOKS,2026,CEN,中文图书,"80,000.00"\n')
    stored = runner.invoke(cli, ["import-funds", str(funds), "--data-dir", str(data)], env=ENV)
    assert stored.exit_code == 0, stored.output
    services = composition.build(Settings.load({"data_dir": data}, environ={}))
    (fund,) = services.acquisitions.funds(2026)
    assert (fund.code, fund.allocated_cents, fund.branch) == ("BOOKS", 8_000_000, "CEN")
    services.close()
