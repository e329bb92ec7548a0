"""Settings: declared once, documented, read in the documented order, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.config import SETTINGS, Secret, Settings, SettingsError, settings_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_priority_default_file_env_override(tmp_path: Path) -> None:
    toml = tmp_path / "shelfwise.toml"
    toml.write_text(
        'http_port = 9000\nimport_batch_size = 10\nlibrary_name = "file"\n', encoding="utf-8"
    )
    settings = Settings.load(
        {"library_name": "flag"},
        environ={"SHELFWISE_IMPORT_BATCH_SIZE": "20", "SHELFWISE_CONFIG": str(toml)},
    )
    assert settings.http_port == 9000
    assert settings.import_batch_size == 20
    assert settings.library_name == "flag"
    assert settings.scheduler_enabled is True


def test_bad_values_and_unknown_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="http_port"):
        Settings.load(environ={"SHELFWISE_HTTP_PORT": "eighty"})
    with pytest.raises(SettingsError, match="unknown"):
        Settings.load({"no_such": 1}, environ={})
    toml = tmp_path / "x.toml"
    toml.write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="colour"):
        Settings.load(environ={}, config_file=toml)


def test_database_url_is_a_secret_and_masked() -> None:
    settings = Settings.load(environ={"SHELFWISE_DATABASE_URL": "postgresql+psycopg://u:pw@h/db"})
    assert isinstance(settings.database_url, Secret)
    assert "pw" not in repr(settings.database_url)
    assert dict(settings.public_items())["database_url"] == "**********"
    assert settings.resolved_database_url == "postgresql+psycopg://u:pw@h/db"


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = Settings.load({"data_dir": tmp_path}, environ={})
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'shelfwise.sqlite'}"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings_markdown(), (
        "docs/settings.md is stale: run `shelfwise settings --markdown > docs/settings.md`"
    )
    for setting in SETTINGS:
        assert setting.help.strip()
