"""The CLI reference (``docs/cli.md``), generated from the commands' own help."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from shelfwise.cli.main import cli


def command_names() -> list[str]:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in cli.registered_commands]
    names += [g.name or "" for g in cli.registered_groups]
    return sorted(n.replace("_", "-").rstrip("-") for n in names if n)


def help_text(*args: str) -> str:
    # A fixed width and no colour, so the document is the same on every machine.
    env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    result = CliRunner().invoke(cli, [*args, "--help"], env=env, prog_name="shelfwise")
    if result.exit_code != 0:
        raise RuntimeError(f"`shelfwise {' '.join(args)} --help` failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.output.splitlines()).strip()


def markdown() -> str:
    parts = [
        "# Command-line reference",
        "",
        "Generated from the commands' `--help` (`python -m shelfwise.cli.reference > docs/cli.md`).",
        "",
    ]
    parts += ["```text", help_text(), "```", ""]
    for name in command_names():
        parts += [f"## shelfwise {name}", "", "```text", help_text(name), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "100")
    print(markdown(), end="")  # noqa: T201 - this module's output is the document
