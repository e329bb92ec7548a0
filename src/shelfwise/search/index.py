"""Index generations on disk, the pointer that names the live one, and its writer.

``<data_dir>/index/`` holds one folder per generation (``gen-<stamp>-<random>``)
and a pointer file ``CURRENT`` naming the live one.  A rebuild writes a new
generation beside the live one and publishes it by replacing ``CURRENT``
(write a temporary file, then ``os.replace``: atomic on POSIX), so a crash
leaves either the old or the new pointer, never a half-built index in use.
Each generation keeps ``search-meta.json``: the schema version and the
change-feed high-water mark its content covers (written after each commit).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import secrets
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy

from shelfwise.search.schema import build_schema

log = logging.getLogger(__name__)

POINTER = "CURRENT"
META = "search-meta.json"
TANTIVY_META = "meta.json"  # Tantivy's own: rewritten by every commit, whoever makes it

# Generations of searchers, across every index this process opens: a new one per
# opened index and per reload, never reused (the key of search/caches.py).
_generations = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Meta:
    schema: int
    high_water: int
    built_at: str
    records: int = 0


class IndexStore:
    """The folder of generations and the pointer."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> Path | None:
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self.root / name
        return path if name and (path / META).exists() else None

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.root / f"gen-{stamp}-{secrets.token_hex(3)}"
        path.mkdir()
        return path

    def publish(self, generation: Path) -> None:
        """Make ``generation`` the live index (atomic), then drop all but the previous one."""
        previous = self.current()
        temporary = self.root / f".{POINTER}.{secrets.token_hex(4)}"
        temporary.write_text(generation.name + "\n", encoding="utf-8")
        os.replace(temporary, self.root / POINTER)
        keep = {generation.name, previous.name if previous else ""}
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("gen-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    @staticmethod
    def read_meta(generation: Path) -> Meta | None:
        try:
            data: dict[str, Any] = json.loads((generation / META).read_text(encoding="utf-8"))
            return Meta(
                int(data["schema"]),
                int(data["high_water"]),
                str(data["built_at"]),
                int(data.get("records", 0)),
            )
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def write_meta(generation: Path, meta: Meta) -> None:
        temporary = generation / f".{META}.{secrets.token_hex(4)}"
        temporary.write_text(
            json.dumps(
                {
                    "schema": meta.schema,
                    "high_water": meta.high_water,
                    "built_at": meta.built_at,
                    "records": meta.records,
                }
            ),
            encoding="utf-8",
        )
        os.replace(temporary, generation / META)

    @staticmethod
    def size_bytes(generation: Path) -> int:
        return sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())


class LiveIndex:
    """One opened generation: searcher for everyone, a writer for whoever follows the feed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self._writer: Any = None
        self._lock = threading.Lock()
        self.read_only = False
        self.generation = next(_generations)
        self._seen = self._commit_stamp()

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def writer(self, *, heap: int = 64_000_000, threads: int = 1) -> Any:
        """The generation's writer, opened on first use (one per index across processes)."""
        if self._writer is None and not self.read_only:
            try:
                self._writer = self.index.writer(heap_size=heap, num_threads=threads)
            except ValueError as exc:  # another process holds the writer lock
                log.warning("search index %s is written by another process: %s", self.path, exc)
                self.read_only = True
        return self._writer

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def snapshot(self) -> tuple[int, tantivy.Searcher]:
        """The generation, then a searcher: the searcher is at least that generation's
        (``reload`` bumps the number only after the reader moved on).  A commit on disk
        this reader has not seen (another process's: one stat) is loaded first, so a
        process that searches without following the feed keeps its generations true."""
        self.refresh()
        generation = self.generation
        return generation, self.index.searcher()

    def reload(self) -> None:
        """See the last commit now (after this process's own commit): a new generation."""
        self._seen = self._commit_stamp()
        self.index.reload()
        self.generation = next(_generations)

    def refresh(self) -> bool:
        """Reload if a commit was made since the last (re)load, by any process: True
        when it did.  Tantivy reloads a reader on its own too, a little later; this
        makes the new generation known to the caches at once."""
        stamp = self._commit_stamp()
        if stamp == self._seen:
            return False
        self.reload()
        return True

    def _commit_stamp(self) -> tuple[int, int, int]:
        try:  # Tantivy replaces the file (a new inode) on each commit
            found = (self.path / TANTIVY_META).stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                with contextlib.suppress(ValueError):
                    self._writer.wait_merging_threads()
                self._writer = None
