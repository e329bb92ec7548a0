"""The content-addressed file store under ``<data>/media``: a file's name is its SHA-256.

A write streams into a temporary file in the same folder while hashing and counting, and is
moved under its hash only when complete (``os.replace`` is atomic), so a crash or a refused
upload leaves no half file under a real name; the same bytes written twice are stored once.
A read is verified: the first time a process serves a file (and whenever its size or
modification time changes) it re-hashes it against its name, and refuses a file that no
longer matches.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shelfwise.core.errors import ShelfwiseError

_SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Staged:
    """A file written to a temporary name, hashed and counted, not yet under its hash."""

    path: Path
    sha256: str
    bytes: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._verified: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError(f"not a SHA-256 name: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def stage(self, chunks: Iterable[bytes], *, limit: int) -> Staged:
        """Write ``chunks`` to a temporary file, refusing (and deleting it) past ``limit``."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise ShelfwiseError("media.too_large", limit=_size(limit))
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Staged(Path(name), digest.hexdigest(), size)

    def stage_file(self, source: Path) -> Staged:
        with source.open("rb") as handle:
            return self.stage(read_chunks(handle), limit=1 << 62)

    def keep(self, staged: Staged) -> bool:
        """Move a staged file under its hash; False when those bytes were already stored."""
        target = self.path(staged.sha256)
        if target.is_file():
            staged.path.unlink(missing_ok=True)
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        return True

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        """Delete a stored file (only for files a failed ingest itself put there)."""
        self.path(sha256).unlink(missing_ok=True)

    def verified(self, sha256: str) -> Path:
        """The file's path, once its bytes are checked against its name (cached per process
        until its size or modification time changes); a damaged or missing file is refused."""
        target = self.path(sha256)
        try:
            stat = target.stat()
        except FileNotFoundError:
            raise ShelfwiseError("media.damaged") from None
        stamp = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if self._verified.get(sha256) == stamp:
                return target
        if hash_file(target) != sha256:
            raise ShelfwiseError("media.damaged")
        with self._lock:
            self._verified[sha256] = stamp
        return target

    def check(self, sha256: str) -> bool:
        """Fixity: the file exists and hashes to its name (never cached)."""
        target = self.path(sha256)
        return target.is_file() and hash_file(target) == sha256

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        """A temporary folder beside the store (same file system), removed afterwards."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self._tmp, prefix="work-") as folder:
            yield Path(folder)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in read_chunks(handle):
            digest.update(chunk)
    return digest.hexdigest()


def read_chunks(handle: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    while chunk := handle.read(size):
        yield chunk


def _size(limit: int) -> str:
    return f"{limit / 1048576:g} MiB" if limit >= 1048576 else f"{limit / 1024:g} KiB"
