"""Every command has help, and docs/cli.md is what the commands say about themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.cli.reference import command_names, help_text, markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


@pytest.mark.parametrize("name", command_names())
def test_every_command_explains_itself(name: str) -> None:
    text = help_text(name)
    assert f"shelfwise {name}" in text
    description = text.split("\n\n", 2)[1].strip() if "\n\n" in text else ""
    assert len(description) > 10, f"`shelfwise {name}` needs a docstring"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/cli.md is stale: run `python -m shelfwise.cli.reference > docs/cli.md`"
    )
