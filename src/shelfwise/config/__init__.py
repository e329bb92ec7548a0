"""The settings: one typed, immutable :class:`Settings`, declared in :mod:`.settings`."""

from shelfwise.config.reference import settings_markdown
from shelfwise.config.settings import SETTINGS, Settings
from shelfwise.config.values import RenewalBase, Secret, Setting, SettingsError

__all__ = [
    "SETTINGS",
    "RenewalBase",
    "Secret",
    "Setting",
    "Settings",
    "SettingsError",
    "settings_markdown",
]
