"""The terminal-account commands, and the demo terminal account."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from shelfwise.app import build
from shelfwise.catalogue.models import BranchKind
from shelfwise.cli.main import cli
from shelfwise.config import Settings
from shelfwise.testing.demo import seed_sip2_terminal


def test_add_and_list_terminal_accounts(tmp_path: Path) -> None:
    settings = Settings.load({"data_dir": tmp_path}, environ={})
    services = build(settings)
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="中心馆")
    services.close()
    runner = CliRunner()
    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    common = ["--data-dir", str(tmp_path)]
    added = runner.invoke(
        cli,
        ["sip2-terminal", "kiosk-7", "--branch", "CEN", "--institution", "SZLIB",
         "--charset", "gb18030", "--allow-offline", "--password", "secret-kiosk-7", *common],
        env=env,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "secret-kiosk-7" not in added.output
    bad = runner.invoke(
        cli,
        ["sip2-terminal", "kiosk-8", "--branch", "CEN", "--institution", "SZLIB",
         "--charset", "ebcdic", "--password", "secret-kiosk-8", *common],
        env=env,
    )  # fmt: skip
    assert bad.exit_code == 2
    services = build(settings)  # a login backoff against the account shows in the list (S-3)
    services.access.lockout.fail("sip2-terminal:kiosk-7", limit=1, seconds=600)
    services.close()
    listed = runner.invoke(cli, ["sip2-terminals", *common], env=env)
    assert "login backoff until" in listed.output
    assert (
        "kiosk-7: CEN AO=SZLIB gb18030 offline-allowed transactions=0 failures=0" in listed.output
    )
    assert "kiosk-8" not in listed.output
    services = build(settings)
    terminal = services.terminals.login("kiosk-7", "secret-kiosk-7")
    assert terminal is not None
    assert terminal.allow_offline
    assert services.terminals.login("kiosk-7", "secret-kiosk-8") is None
    services.close()


def test_the_demo_terminal_account(tmp_path: Path) -> None:
    from shelfwise.testing.demo import seed_branches

    services = build(Settings.load({"data_dir": tmp_path}, environ={}))
    seed_branches(services.catalogue)
    name, password, institution = seed_sip2_terminal(services)
    assert seed_sip2_terminal(services) == (name, password, institution)  # runs once
    terminal = services.terminals.login(name, password)
    assert terminal is not None
    assert (terminal.institution, terminal.lenient) == (institution, True)
    services.close()


def test_the_server_doc_names_every_request_it_answers() -> None:
    from shelfwise.sip2.handlers import HANDLERS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "sip2-server.md").read_text("utf-8")
    supported = doc.split("- Supported requests:", 1)[1].split("\n- ", 1)[0]
    for command in (*HANDLERS, "93", "97"):
        assert command in supported, f"docs/sip2-server.md does not list {command}"
