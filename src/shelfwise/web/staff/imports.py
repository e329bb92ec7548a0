"""MARC imports started from the web: the upload is saved under the data folder, the
existing importer runs in a background thread, reporting progress after each batch, and
the file is deleted once imported (``catalogue/uploads.py``; a failed one after a while).

The jobs live in this process's memory (a restart forgets them; the catalogue keeps
what was imported, and running the same file again skips it). One registry per app.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from shelfwise.catalogue.models import ImportSummary

if TYPE_CHECKING:
    from shelfwise.services import Services

KEEP = 50  # finished jobs remembered for the list


@dataclass(slots=True)
class ImportJob:
    id: str
    filename: str
    size: int
    started_at: datetime
    handled: int = 0
    bytes_read: int = 0
    summary: ImportSummary | None = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.summary is not None or self.error is not None

    @property
    def percent(self) -> int:
        if self.done:
            return 100
        return min(99, self.bytes_read * 100 // self.size) if self.size else 0

    def as_json(self) -> dict[str, Any]:
        s = self.summary
        return {
            "id": self.id,
            "done": self.done,
            "error": self.error,
            "handled": self.handled,
            "percent": self.percent,
            "read": s.read if s else None,
            "added": s.added if s else None,
            "updated": s.updated if s else None,
            "merged": s.merged if s else None,
            "unchanged": s.unchanged if s else None,
            "rejected": s.rejected if s else None,
            "items_rejected": s.items_rejected if s else None,
            "unknown_branches": s.unknown_branches if s else None,
            "rejects": bool(s and s.rejects_path),
        }


class ImportJobs:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def start(self, filename: str, upload: IO[bytes]) -> ImportJob:
        """Save the upload and start importing it; returns at once."""
        job_id, name, path = self._services.uploads().save(filename, upload)
        job = ImportJob(job_id, name, path.stat().st_size, self._services.clock.now())
        with self._lock:
            self._jobs[job_id] = job
            finished = [j.id for j in self._jobs.values() if j.done]
            for old in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job, path), daemon=True).start()
        return job

    def _run(self, job: ImportJob, path: Path) -> None:
        def progress(handled: int, bytes_read: int) -> None:
            job.handled, job.bytes_read = handled, bytes_read

        try:
            job.summary = self._services.importer().import_file(path, progress=progress)
        except Exception as exc:  # the page shows it; the importer keeps what it stored
            job.error = f"{type(exc).__name__}: {exc}"
            return  # the file stays for a look, until import_upload_retention_hours
        self._services.uploads().imported(path)

    def get(self, job_id: str) -> ImportJob | None:
        return self._jobs.get(job_id)

    def recent(self) -> list[ImportJob]:
        return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)
