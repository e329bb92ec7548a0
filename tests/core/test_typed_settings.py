"""The typed settings: one frozen dataclass whose fields are the registry.

``SETTINGS`` (what ``shelfwise settings`` prints and docs/settings.md is generated from)
is read off the fields of :class:`Settings`, so the two cannot name different settings;
these tests check that every field is one the loader can read, from its default and
from text, and that a choice is parsed into its enum once, at load, with a clear error.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import get_type_hints

import pytest

from shelfwise.config import SETTINGS, RenewalBase, Secret, Setting, Settings, SettingsError
from shelfwise.config.values import coerce
from shelfwise.core.log_format import LogFormat, LogLevel


def test_the_registry_is_the_dataclass_fields() -> None:
    types = get_type_hints(Settings)
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    assert [row.name for row in SETTINGS] == list(fields)
    for row in SETTINGS:
        assert row.type is types[row.name], row.name
        assert row.default == fields[row.name].default, row.name
        assert row.help.strip(), f"{row.name} has no help text"
    assert len({row.env_name for row in SETTINGS}) == len(SETTINGS)


@pytest.mark.parametrize("row", SETTINGS, ids=lambda row: row.name)
def test_every_default_has_its_type_and_reads_back_from_text(row: Setting) -> None:
    assert isinstance(row.default, row.type), f"{row.name}: {row.default!r} is no {row.type}"
    assert (row.type is bool) == isinstance(row.default, bool), row.name
    # An environment variable is text: every type must read its own default back from it.
    assert coerce(row, str(row.default)) == row.default
    assert type(coerce(row, str(row.default))) is type(row.default)


def test_loading_nothing_gives_the_declared_defaults() -> None:
    assert Settings.load(environ={}) == Settings()


def test_values_are_typed_once_at_load() -> None:
    settings = Settings.load(
        {"import_batch_size": "20", "smtp_starttls": "yes", "data_dir": "/tmp/x"},
        environ={
            "SHELFWISE_RENEWAL_PERIOD_BASE": " Today ",
            "SHELFWISE_LOG_LEVEL": "debug",
            "SHELFWISE_SMTP_PASSWORD": "hunter2",
        },
    )
    assert settings.import_batch_size == 20
    assert settings.smtp_starttls is True
    assert settings.data_dir == Path("/tmp/x")
    assert settings.renewal_period_base is RenewalBase.TODAY
    assert settings.log_level is LogLevel.DEBUG
    assert settings.log_format is LogFormat.TEXT
    assert isinstance(settings.smtp_password, Secret)
    assert "hunter2" not in repr(settings)
    assert settings.smtp_password.reveal() == "hunter2"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.http_port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("renewal_period_base", r"due_date \| today"),
        ("log_format", r"text \| json"),
        ("log_level", r"DEBUG \| INFO \| WARNING \| ERROR"),
    ],
)
def test_a_bad_choice_names_the_setting_and_the_choices(name: str, allowed: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}: 'sometimes' is not one of {allowed}$"):
        Settings.load({name: "sometimes"}, environ={})


SRC = Path(__file__).resolve().parents[2] / "src" / "shelfwise"
_CONVERSIONS = frozenset({"int", "str", "bool", "float", "cast"})


def _is_settings(node: ast.expr) -> bool:
    """``settings``, ``self.settings``, ``services.settings``, ``self.services.settings``…"""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return isinstance(name, str) and name.endswith("settings")


def _a_setting(node: ast.expr) -> bool:
    """``<settings>.name`` or ``<settings>[...]``."""
    return isinstance(node, ast.Attribute | ast.Subscript) and _is_settings(node.value)


def _raw_reads(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_settings(node.value):
            yield node.lineno, "settings[...]: read the typed attribute"
        elif not isinstance(node, ast.Call):
            continue
        elif isinstance(node.func, ast.Name) and node.func.id in _CONVERSIONS:
            if any(_a_setting(arg) for arg in node.args):
                yield node.lineno, f"{node.func.id}(...) around a setting: it is typed already"
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and _is_settings(node.func.value)
        ):
            yield node.lineno, "settings.get(...): read the typed attribute"


def test_src_reads_settings_as_typed_attributes_only() -> None:
    found = [
        f"{path.relative_to(SRC.parent)}:{line}: {what}"
        for path in sorted(SRC.rglob("*.py"))
        for line, what in _raw_reads(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "\n".join(found)


def test_the_raw_read_check_finds_each_pattern() -> None:
    code = (
        'a = settings["x"]\nb = int(self.settings.x)\nc = str(services.settings.y)\n'
        "d = bool(settings.z)\ne = services.settings.get('x')\nf = cast(int, settings.w)\n"
        "ok = settings.x + len(settings.y) + settings.u.split()[0] + str(settings.v.w)\n"
    )
    assert [line for line, _ in _raw_reads(ast.parse(code))] == [1, 2, 3, 4, 5, 6]
