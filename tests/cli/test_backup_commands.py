"""``shelfwise backup`` and ``shelfwise restore`` as an operator runs them (SQLite)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from shelfwise.cli.main import cli


def test_backup_then_restore_into_an_empty_folder_and_a_refusal_with_data(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    source, target = tmp_path / "live", tmp_path / "restored"
    made = runner.invoke(cli, ["staff-add", "chief", "--role", "admin", "--name", "Chief",
                               "--password", "a-long-password", "--data-dir", str(source)],
                         env=env)  # fmt: skip
    assert made.exit_code == 0, made.output
    backup = runner.invoke(
        cli, ["backup", str(tmp_path / "b.tar"), "--data-dir", str(source)], env=env
    )
    assert backup.exit_code == 0, backup.output
    assert "backup written" in backup.output
    assert "not in the backup: the search index" in backup.output

    restored = runner.invoke(
        cli, ["restore", str(tmp_path / "b.tar"), "--data-dir", str(target)], env=env
    )
    assert restored.exit_code == 0, restored.output
    assert "restored and verified" in restored.output
    assert (target / "keys" / "reader_id_card_key").read_bytes() == (
        source / "keys" / "reader_id_card_key"
    ).read_bytes()
    listed = runner.invoke(cli, ["staff-list", "--data-dir", str(target)], env=env)
    assert "chief" in listed.output

    again = runner.invoke(
        cli, ["restore", str(tmp_path / "b.tar"), "--data-dir", str(target)], env=env
    )
    assert again.exit_code == 1
    assert "the database is not empty" in again.output
