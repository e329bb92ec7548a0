"""The library's secret keys: configured, or generated once into the data folder.

Three keys must survive a restart and be the same in every process of one library:
``web_secret_key`` signs the pages' CSRF tokens, ``reader_id_card_key`` keys the
hash that stands in for identity-card numbers (a stolen database cannot be searched
for a number without it), and ``idempotency_key`` keys the HMACs under which retried
requests are remembered (``circulation/idempotency.py``: a stored key cannot be
recomputed from guesses). When a key is not configured, the first start writes a
random one to ``DATA_DIR/keys/<name>`` (mode 0600, never replaced) and every later
start, and every other process on the same data folder, reads it back. A configured
key that equals a value this project ever published is refused: everyone knows it.

Identity-card hashes made under an earlier key are still found: the earlier keys
(``reader_id_card_old_keys``, and always the built-in default of earlier versions)
serve for look-up only, and a card found with one is hashed again with the current
key when its number is next typed (``ReaderService.identify``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from shelfwise.config import Secret, Settings, SettingsError

# The identity-card key every installation used until keys were generated (it was the
# setting's default in the source): hashes made with it are looked up, never made.
FORMER_ID_CARD_DEFAULT = "change-me-identity-card-key"
# Values published in this source or its documentation: never a key.
KNOWN_DEFAULTS = frozenset(
    {FORMER_ID_CARD_DEFAULT, "change-me", "changeme", "secret", "shelfwise", "web-secret-key"}
)
KEY_NAMES = ("web_secret_key", "reader_id_card_key", "idempotency_key", "space_qr_key")


@dataclass(frozen=True, slots=True)
class SecretKeys:
    web: str
    id_card: str
    id_card_old: tuple[str, ...]  # look-up only
    idempotency: str
    space_qr: str = ""  # signs seats' and doors' QR links (spaces/qr.py)

    def __repr__(self) -> str:
        return "SecretKeys(**********)"


def load_keys(settings: Settings) -> SecretKeys:
    """The keys of this library; generated into the data folder on first start."""
    old = [k.strip() for k in settings.reader_id_card_old_keys.reveal().split(",") if k.strip()]
    folder = settings.data_dir / "keys"
    current = key(folder, "reader_id_card_key", settings.reader_id_card_key)
    earlier = [k for k in (*old, FORMER_ID_CARD_DEFAULT) if k != current]
    return SecretKeys(
        web=key(folder, "web_secret_key", settings.web_secret_key),
        id_card=current,
        id_card_old=tuple(dict.fromkeys(earlier)),
        idempotency=key(folder, "idempotency_key", settings.idempotency_key),
        space_qr=key(folder, "space_qr_key", settings.space_qr_key),
    )


def key(folder: Path, name: str, configured_value: Secret) -> str:
    """The configured key ``name``, or the one in ``folder`` (made when missing)."""
    configured = configured_value.reveal()
    if configured:
        if configured.strip().lower() in KNOWN_DEFAULTS:
            raise SettingsError(
                f"{name} is set to a value published with Shelfwise, which anyone can read: "
                f"set a random key, or leave it empty to have one made in {folder}"
            )
        return configured
    return _file_key(folder / name)


def _file_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SettingsError(f"{path} can be read by other users (mode {mode:o}): chmod 600 it")
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        raise SettingsError(f"{path} holds no usable key: remove it to have a new one made")
    return value


def _create(path: Path) -> None:
    """Write a random key to ``path`` unless another process got there first.

    Written beside it and linked into place, so a process that starts at the same
    moment reads either nothing (and makes its own attempt) or a whole key.
    """
    scratch = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it: theirs is the key
            os.link(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
