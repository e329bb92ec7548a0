"""MARC imports started from the web, staged for review: the upload is saved under the data
folder, read and placed in a background thread (``catalogue/staging.py``: nothing is public
until staff approve it on the review page, ``web/staff/staging.py``), reporting progress
after each batch with its rate and time left, and the file is deleted once staged (the
staged records keep their bytes; ``catalogue/uploads.py``; a failed one after a while).

The jobs live in this process's memory (a restart forgets the job, not the staging: the
review page lists stagings from the database). One registry per app.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
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
    staging_id: int | None = None
    began: float = field(default_factory=time.monotonic)  # for the rate, not shown

    @property
    def done(self) -> bool:
        return self.summary is not None or self.error is not None

    @property
    def percent(self) -> int:
        if self.done:
            return 100
        return min(99, self.bytes_read * 100 // self.size) if self.size else 0

    @property
    def rate(self) -> int:
        """Records read a second so far (0 before the first batch is placed)."""
        elapsed = time.monotonic() - self.began
        return int(self.handled / elapsed) if elapsed > 0 and self.handled else 0

    @property
    def eta_seconds(self) -> int | None:
        """Seconds left at the rate so far, from the bytes still to read (None: not known yet)."""
        elapsed = time.monotonic() - self.began
        if self.done:
            return 0
        if not self.bytes_read or elapsed <= 0:
            return None
        return int((self.size - self.bytes_read) / (self.bytes_read / elapsed))

    def as_json(self) -> dict[str, Any]:
        s = self.summary
        return {
            "id": self.id,
            "done": self.done,
            "error": self.error,
            "handled": self.handled,
            "percent": self.percent,
            "rate": self.rate,
            "eta_seconds": self.eta_seconds,
            "staging": self.staging_id,
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
        """Save the upload and start staging it; returns at once."""
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

        staging = self._services.staging()
        try:
            job.staging_id = staging.stage(path, job.filename, progress=progress)
            plan = staging.get(job.staging_id)
            summary = ImportSummary(
                path=job.filename,
                read=sum(n for d, n in plan.counts.items() if d != "reject"),
                added=plan.counts["add"],
                updated=plan.counts["update"],
                merged=plan.counts["merge"],
                unchanged=plan.counts["unchanged"],
                rejected=plan.counts["reject"],
                unknown_branches=plan.unknown_branches,
            )
            if summary.rejected:
                summary.rejects_path = str(self._rejects(job, path.parent))
            job.summary = summary
        except Exception as exc:  # the page shows it; nothing was applied
            job.error = f"{type(exc).__name__}: {exc}"
            return  # the file stays for a look, until import_upload_retention_hours
        self._services.uploads().imported(path)

    def _rejects(self, job: ImportJob, folder: Path) -> Path:
        """The rejects file of a staged upload: one JSON line a record, with its bytes."""
        assert job.staging_id is not None
        out = folder.parent / f"{job.id}.rejects.jsonl"
        with out.open("w", encoding="utf-8") as handle:
            for seq, reason, raw in self._services.staging().rejects(job.staging_id):
                encoded = base64.b64encode(raw).decode("ascii")
                line = {"record": seq, "reason": reason, "raw_base64": encoded}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        return out

    def get(self, job_id: str) -> ImportJob | None:
        return self._jobs.get(job_id)

    def recent(self) -> list[ImportJob]:
        return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)
