"""The kinds of value a setting holds, and how a raw value (text from the environment,
a TOML value, a command-line flag) becomes one: once, when the settings are loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class SettingsError(ValueError):
    pass


class Secret(str):
    """A string that never shows itself in logs, reprs or tracebacks."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('**********')"

    def reveal(self) -> str:
        return str.__str__(self)


class RenewalBase(StrEnum):
    """What a renewal's loan period counts from (setting ``renewal_period_base``).

    Declared here, below the domains, so the settings can hold one; circulation uses it."""

    DUE_DATE = "due_date"
    TODAY = "today"


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the registry: what ``shelfwise settings`` and docs/settings.md show."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env_name(self) -> str:
        return "SHELFWISE_" + self.name.upper().replace(".", "_")

    @property
    def secret(self) -> bool:
        return self.type is Secret

    @property
    def type_label(self) -> str:
        """The type as an administrator reads it: a secret is text, a choice lists its values."""
        if issubclass(self.type, StrEnum):
            return "one of " + ", ".join(f"`{choice.value}`" for choice in self.type)
        return "str" if self.type is Secret else self.type.__name__


def setting(default: T, doc: str) -> T:
    """A field of :class:`~shelfwise.config.settings.Settings`: its default and help text."""
    value: T = field(default=default, metadata={"help": doc})
    return value


def coerce(setting: Setting, raw: Any) -> Any:
    """``raw`` as the setting's type, or a :class:`SettingsError` naming the setting."""
    kind = setting.type
    if kind is bool:
        return _boolean(setting.name, raw)
    if issubclass(kind, StrEnum):
        return _choice(setting.name, kind, raw)
    if kind is Secret:
        return raw if isinstance(raw, Secret) else Secret(str(raw))
    if kind not in (int, str, Path):
        raise SettingsError(f"{setting.name}: no reader for {kind.__name__}")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{setting.name}: cannot read {raw!r} as {kind.__name__}") from exc


def _boolean(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}: expected true/false, got {raw!r}")


def _choice(name: str, kind: type[StrEnum], raw: object) -> StrEnum:
    text = str(raw).strip()
    for choice in kind:
        if text.casefold() == choice.value.casefold():
            return choice
    allowed = " | ".join(choice.value for choice in kind)
    raise SettingsError(f"{name}: {raw!r} is not one of {allowed}")


# The page languages (web/i18n.PAGE_LANGUAGES; config sits below the web door).
PAGE_LANGUAGES = ("zh", "zh-Hant", "ko", "en")


def page_languages(text: str) -> tuple[str, ...]:
    """Comma-separated page languages as a tuple; empty when any is not one of ours."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    return chosen if chosen and set(chosen) <= set(PAGE_LANGUAGES) else ()
