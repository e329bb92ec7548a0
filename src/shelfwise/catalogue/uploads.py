"""Files staff upload for import, kept only as long as they are needed.

An upload is saved under ``DATA_DIR/imports/uploads``, imported, and deleted as soon as
its import has run (the catalogue holds the records, the rejects file the refused ones).
A file whose import failed is kept ``retention`` for someone to look at, then deleted by
the hourly ``imports.expire_uploads`` job, as is anything a stopped process left behind.
"""

from __future__ import annotations

import re
import secrets
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from shelfwise.core.clock import Clock

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Uploads:
    def __init__(self, folder: Path, clock: Clock, *, retention: timedelta) -> None:
        self.folder = folder
        self._clock = clock
        self._retention = retention

    def save(self, filename: str, stream: IO[bytes]) -> tuple[str, str, Path]:
        """Write the upload under a fresh id: (id, safe name, path)."""
        upload_id = secrets.token_urlsafe(9)
        name = _SAFE.sub("_", Path(filename or "upload.mrc").name).strip("._") or "upload.mrc"
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{upload_id}-{name}"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        return upload_id, name, path

    def imported(self, path: Path) -> None:
        """The import has run: the file is not kept."""
        path.unlink(missing_ok=True)

    def expire(self) -> int:
        """Delete uploads older than the retention; returns how many."""
        if not self.folder.is_dir():
            return 0
        cutoff = self._clock.now() - self._retention
        gone = 0
        for path in self.folder.iterdir():
            changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            if path.is_file() and changed < cutoff:
                path.unlink(missing_ok=True)
                gone += 1
        return gone
