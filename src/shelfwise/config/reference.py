"""The settings reference ``docs/settings.md`` holds, written from :data:`SETTINGS` (kept
apart from the declarations so that ``settings.py`` is the settings and nothing else)."""

from __future__ import annotations

from shelfwise.config.settings import SETTINGS


def settings_markdown() -> str:
    """The settings reference, as ``docs/settings.md`` holds it."""
    lines = [
        "# Settings",
        "",
        "Generated from `src/shelfwise/config/settings.py` (`shelfwise settings --markdown`).",
        "Priority, lowest first: default < `shelfwise.toml` < environment < command-line flag.",
        "",
        "| setting | environment variable | type | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = "" if s.default == "" else str(s.default)
        lines.append(f"| `{s.name}` | `{s.env_name}` | {s.type_label} | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"
