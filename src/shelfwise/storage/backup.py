"""Online backup and verified restore of a library: the database and the data folder's state.

A backup is one tar file:

- ``manifest.json`` first: the engine, the schema revision, when, per table the row
  count and the ordered hash of every row (D16, :mod:`backup_digest`), and the SHA-256
  of every other member;
- ``database.sqlite`` (SQLite's online backup API) or ``database.pgdump``
  (``pg_dump -Fc``);
- ``data/keys/…``: the keys generated into the data folder (without
  ``reader_id_card_key`` no identity card is found again), and ``data/imports/…``:
  match reports and rejects files (a rejected record's only copy).

It is taken while the library runs. On SQLite a read transaction pins one snapshot;
the rows are hashed and the pages copied inside it (the backup API copies from the
snapshot its connection holds), and writers carry on into the WAL. On PostgreSQL a
REPEATABLE READ transaction hashes the rows and exports its snapshot to ``pg_dump``.
``synchronous`` and the journal mode are left as they are.

Not in it: the search index (derived: a restore removes it and the next start
rebuilds it, or ``shelfwise reindex``), uploads still being imported, the
configuration file and keys set in it.

A restore refuses a database or key files that already hold something unless told to
replace them, restores, then hashes the restored rows and compares them with the
manifest. Retention (P4): writing a backup deletes the backups in the same folder
that are older than ``backup_retention_days``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, inspect, literal, select, table, text
from sqlalchemy.engine import make_url

from shelfwise import __version__
from shelfwise.core.clock import Clock
from shelfwise.storage import backup_postgres
from shelfwise.storage.backup_digest import Progress, TableDigest, differences, table_digests
from shelfwise.storage.database import Database

FORMAT = "shelfwise-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Data-folder state a restore needs; the rest of the folder is derived or transient.
KEPT_FOLDERS = ("keys", "imports")
LEFT_OUT = ("imports/uploads",)
NOT_INCLUDED = (
    "the search index: removed by the restore and rebuilt at the next start "
    "(or run `shelfwise reindex`)",
    "uploads still being imported (data/imports/uploads)",
    "the configuration file, and keys or passwords set in it or in the environment",
)
# Called with the connection that holds the backup's snapshot, before the copy is made.
SnapshotHook = Callable[[Connection], None]


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Manifest:
    engine: str
    created_at: datetime
    revision: str | None
    tables: dict[str, TableDigest]
    files: dict[str, str] = field(default_factory=dict)  # member name -> sha256

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "shelfwise": __version__,
            "engine": self.engine,
            "created_at": self.created_at.isoformat(),
            "schema_revision": self.revision,
            "tables": {name: d.as_json() for name, d in sorted(self.tables.items())},
            "files": dict(sorted(self.files.items())),
            "not_included": list(NOT_INCLUDED),
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, origin: Path) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("not a Shelfwise backup")
            if int(data["version"]) > VERSION:
                raise ValueError(f"made by a newer Shelfwise (format {data['version']})")
            return cls(
                engine=str(data["engine"]),
                created_at=datetime.fromisoformat(data["created_at"]),
                revision=data.get("schema_revision"),
                tables={
                    n: TableDigest(int(t["rows"]), str(t["sha256"]))
                    for n, t in data["tables"].items()
                },
                files={str(k): str(v) for k, v in data["files"].items()},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"{origin}: the manifest cannot be read ({exc})") from exc


@dataclass(frozen=True, slots=True)
class RestoreReport:
    manifest: Manifest
    files: list[str]
    index_removed: bool


class BackupService:
    def __init__(
        self, db: Database, data_dir: Path, clock: Clock, *, retention_days: int = 0
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._clock = clock
        self._retention = timedelta(days=retention_days) if retention_days > 0 else None

    def close(self) -> None:
        self._db.dispose()

    # --- backup ------------------------------------------------------------------------

    def create(
        self,
        out: Path,
        *,
        progress: Progress | None = None,
        on_snapshot: SnapshotHook | None = None,
    ) -> tuple[Manifest, list[Path]]:
        """Write the backup to ``out`` (atomically); the manifest and the old backups deleted."""
        out = out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as scratch:
            work = Path(scratch)
            if self._db.is_sqlite:
                database, digests, revision = self._sqlite_snapshot(work, progress, on_snapshot)
            else:
                database, digests, revision = self._pg_snapshot(work, progress, on_snapshot)
            files = self._data_files()
            manifest = Manifest(
                engine=self._db.dialect,
                created_at=self._clock.now(),
                revision=revision,
                tables=digests,
                files={database.name: _file_sha256(database)}
                | {name: _file_sha256(path) for name, path in files.items()},
            )
            partial = work / "backup.tar"
            _write_archive(partial, manifest, database, files, progress)
            partial.replace(out)
        return manifest, self._apply_retention(out)

    def _sqlite_snapshot(
        self, work: Path, progress: Progress | None, on_snapshot: SnapshotHook | None
    ) -> tuple[Path, dict[str, TableDigest], str | None]:
        target = work / "database.sqlite"
        with self._db.engine.connect() as conn, conn.begin():
            revision = _revision(conn)  # the first read pins the snapshot (BEGIN is deferred)
            if on_snapshot is not None:
                on_snapshot(conn)
            digests = table_digests(conn, progress)
            source: object = conn.connection.dbapi_connection
            if not isinstance(source, sqlite3.Connection):
                raise BackupError(f"not a sqlite3 connection: {type(source).__name__}")
            copy = sqlite3.connect(target)
            try:

                def pages(status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress("copying pages", total - remaining, total)

                # In steps, from the snapshot this connection's transaction holds.
                source.backup(copy, pages=256, progress=pages)
            finally:
                copy.close()
        return target, digests, revision

    def _pg_snapshot(
        self, work: Path, progress: Progress | None, on_snapshot: SnapshotHook | None
    ) -> tuple[Path, dict[str, TableDigest], str | None]:
        target = work / "database.pgdump"
        backup_postgres.tool("pg_dump")  # before any work: a missing client is said at once
        with self._db.engine.connect() as base:
            conn = base.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
                revision = _revision(conn)
                if on_snapshot is not None:
                    on_snapshot(conn)
                if progress is not None:
                    progress("pg_dump", 0, 0)
                backup_postgres.dump(self._db.url, snapshot, target)
                digests = table_digests(conn, progress)
        return target, digests, revision

    def _data_files(self) -> dict[str, Path]:
        """The data folder's state a restore needs, by member name (``data/keys/…``)."""
        found: dict[str, Path] = {}
        for folder in KEPT_FOLDERS:
            root = self._data_dir / folder
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(self._data_dir).as_posix()
                skipped = any(relative.startswith(f"{p}/") for p in LEFT_OUT)
                if path.is_file() and not skipped and not path.name.startswith("."):
                    found[f"data/{relative}"] = path
        return found

    def _apply_retention(self, newest: Path) -> list[Path]:
        """Delete this folder's Shelfwise backups older than the retention (P4)."""
        if self._retention is None:
            return []
        limit = self._clock.now() - self._retention
        removed = []
        for path in sorted(newest.parent.iterdir()):
            if path == newest or not path.is_file():
                continue
            made = backup_time(path)
            if made is not None and made < limit:
                path.unlink()
                removed.append(path)
        return removed

    # --- restore -----------------------------------------------------------------------

    def restore(
        self, archive: Path, *, replace: bool = False, progress: Progress | None = None
    ) -> RestoreReport:
        """Restore ``archive`` into this database and data folder, then verify it (D16)."""
        manifest = read_manifest(archive)
        if manifest.engine != self._db.dialect:
            raise BackupError(
                f"{archive} is a {manifest.engine} backup and this database is "
                f"{self._db.dialect}: restore it into a {manifest.engine} database"
            )
        if not replace:
            self._refuse_if_not_empty()
        with tempfile.TemporaryDirectory(prefix=".restore-") as scratch:
            members = _extract(archive, manifest, Path(scratch), progress)
            self._check_files(members, replace=replace)
            database = members.pop("database.sqlite" if self._db.is_sqlite else "database.pgdump")
            if progress is not None:
                progress("restoring the database", 0, 0)
            if self._db.is_sqlite:
                self._sqlite_restore(database)
            else:
                backup_postgres.restore(self._db.url, database, replace=replace)
            self._verify(manifest, progress)
            written = self._write_files(members)
        index = self._data_dir / "index"
        removed = index.is_dir()
        if removed:
            shutil.rmtree(index)  # derived from the catalogue: the next start rebuilds it
        return RestoreReport(manifest, written, removed)

    def _verify(self, manifest: Manifest, progress: Progress | None) -> None:
        self._db.dispose()  # connections opened before the restore saw the old file
        with self._db.read() as conn:
            wrong = differences(manifest.tables, table_digests(conn, progress))
        if wrong:
            raise BackupError(
                "the restored database does not match the backup's manifest: " + "; ".join(wrong)
            )

    def _refuse_if_not_empty(self) -> None:
        """SQLite: no table may hold a row (the copy replaces the file's schema too);
        PostgreSQL: no table may exist (``pg_restore`` creates them)."""
        with self._db.read() as conn:
            names = sorted(inspect(conn).get_table_names())
            holding = [
                n
                for n in names
                if conn.execute(select(literal(1)).select_from(table(n)).limit(1)).first()
            ]
        in_the_way = holding if self._db.is_sqlite else names
        if in_the_way:
            what = ", ".join(in_the_way[:5])
            raise BackupError(
                f"the database is not empty ({what}…): restore into a new database, or "
                "give --replace to overwrite it (stop every Shelfwise process first)"
            )

    def _sqlite_restore(self, database: Path) -> None:
        self._db.dispose()
        path = make_url(self._db.url).database
        if not path:
            raise BackupError("the SQLite database URL names no file")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        source, target = sqlite3.connect(database), sqlite3.connect(path)
        try:
            source.backup(target, pages=1024)
        finally:
            source.close()
            target.close()

    def _check_files(self, members: dict[str, Path], *, replace: bool) -> None:
        """Key files already in the data folder must be the backup's, unless replacing."""
        clashes = []
        for name, path in members.items():
            if not name.startswith("data/keys/"):
                continue
            here = self._data_dir / name.removeprefix("data/")
            if here.exists() and here.read_bytes() != path.read_bytes():
                clashes.append(str(here))
        if clashes and not replace:
            raise BackupError(
                f"{', '.join(clashes)} hold other keys than the backup's: restore into an "
                "empty data folder, or give --replace (the old keys are kept beside, renamed)"
            )

    def _write_files(self, members: dict[str, Path]) -> list[str]:
        written = []
        stamp = self._clock.now().strftime("%Y%m%dT%H%M%S")
        for name, path in sorted(members.items()):
            here = self._data_dir / name.removeprefix("data/")
            here.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if here.exists() and here.read_bytes() != path.read_bytes():
                here.replace(here.with_name(f".{here.name}.before-restore-{stamp}"))
            shutil.copyfile(path, here)
            if name.startswith("data/keys/"):
                here.chmod(0o600)
            written.append(name)
        return written


def read_manifest(archive: Path) -> Manifest:
    """The manifest of a backup file (its first member)."""
    try:
        with tarfile.open(archive, "r:") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST:
                raise BackupError(f"{archive} is not a Shelfwise backup (no manifest first)")
            handle = tar.extractfile(member)
            assert handle is not None
            return Manifest.from_json(handle.read(), archive)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} cannot be read as a backup: {exc}") from exc


def backup_time(path: Path) -> datetime | None:
    """When the backup at ``path`` was made, or None if it is no Shelfwise backup."""
    try:
        return read_manifest(path).created_at
    except BackupError:
        return None


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def _write_archive(
    out: Path,
    manifest: Manifest,
    database: Path,
    files: dict[str, Path],
    progress: Progress | None,
) -> None:
    members = {database.name: database} | files
    total = sum(p.stat().st_size for p in members.values())
    written = 0
    with tarfile.open(out, "w:") as tar:
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(raw), int(manifest.created_at.timestamp()), 0o600
        tar.addfile(info, io.BytesIO(raw))
        for name, path in members.items():
            info = tar.gettarinfo(str(path), arcname=name)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            with path.open("rb") as handle:
                tar.addfile(info, handle)
            written += info.size
            if progress is not None:
                progress("writing the archive", written, total)
    with out.open("rb") as handle:
        os.fsync(handle.fileno())  # on disk before it replaces anything


def _extract(
    archive: Path, manifest: Manifest, scratch: Path, progress: Progress | None
) -> dict[str, Path]:
    """Every member but the manifest, checked against its hash, by member name."""
    found: dict[str, Path] = {}
    with tarfile.open(archive, "r:") as tar:
        for member in _members(tar):
            if member.name == MANIFEST:
                continue
            expected = manifest.files.get(member.name)
            if expected is None or not member.isfile() or ".." in Path(member.name).parts:
                raise BackupError(f"{archive}: unexpected member {member.name!r}")
            target = scratch / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            with target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            if _file_sha256(target) != expected:
                raise BackupError(f"{archive}: {member.name} is damaged (its hash differs)")
            found[member.name] = target
            if progress is not None:
                progress("reading the archive", len(found), len(manifest.files))
    missing = sorted(set(manifest.files) - set(found))
    if missing:
        raise BackupError(f"{archive}: members missing: {', '.join(missing)}")
    return found


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (member := tar.next()) is not None:
        yield member


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()
