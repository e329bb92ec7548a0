"""Digital objects: ingest (checked, derived, content-addressed, all or nothing), their texts
and access rule, the bytes a viewer may receive, and fixity.

Ingest order: the name is checked, the upload streams to a temporary file under the size
limit while it is hashed, the content is identified from its bytes and checked (SVG, a
scripted PDF, an unknown codec, a decompression bomb are refused), derivatives are made,
and only then do files move under their hashes and the rows go in, in one transaction. A
refusal at any step leaves nothing behind; a failure after files moved removes the ones
this ingest added.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from shelfwise.catalogue.service import CatalogueService
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.media import derive, finding, iiif_params, repo, sniffing
from shelfwise.media.imaging import Renderer
from shelfwise.media.models import (
    TEXT_LANGS,
    Access,
    FileRole,
    FixityReport,
    Ingested,
    MediaFile,
    MediaObject,
    MediaText,
    Viewer,
)
from shelfwise.media.store import BlobStore, Staged, read_chunks
from shelfwise.storage.database import Database

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
RIGHTS = re.compile(
    r"^https?://(rightsstatements\.org/vocab/[A-Za-z-]+/1\.0/?"
    r"|creativecommons\.org/(licenses|publicdomain)/[a-z0-9./-]+)$"
)


def parse_networks(text: str) -> dict[str, list[Network]]:
    """``CEN=10.1.0.0/16,10.2.0.0/16;NGQ=192.168.5.0/24`` → networks per branch code."""
    out: dict[str, list[Network]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, _, cidrs = part.partition("=")
        try:
            nets = [ipaddress.ip_network(c.strip(), strict=False) for c in cidrs.split(",") if c]
        except ValueError as exc:
            raise ValueError(f"media_onsite_networks: {exc}") from None
        out[code.strip()] = nets
    return out


class MediaService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        catalogue: CatalogueService,
        root: Path,
        *,
        max_bytes: int,
        max_pixels: int,
        onsite: Mapping[str, list[Network]] | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalogue = catalogue
        self.store = BlobStore(root)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self._onsite = dict(onsite or {})
        self._renderer = Renderer(root / "cache")
        self._levels: dict[str, list[tuple[int, int]]] = {}

    # --- ingest -------------------------------------------------------------------------

    def ingest(
        self,
        chunks: Iterable[bytes],
        name: str,
        *,
        rights: str,
        actor: str,
        access: Access = Access.OPEN,
        branch: str | None = None,
        record_id: int | None = None,
        texts: Iterable[MediaText] = (),
    ) -> Ingested:
        """Store one file as a digital object (or find the object these bytes already are)."""
        shown = sniffing.check_name(name)
        values = self._checked_values(rights, access, branch, record_id)
        wanted = list(texts)
        staged = self.store.stage(chunks, limit=self.max_bytes)
        try:
            with self._db.read() as conn:
                existing = repo.id_by_sha(conn, staged.sha256)
            if existing is not None:
                self.store.discard(staged)
                return Ingested(self.get(existing), created=False)
            found = sniffing.sniff(staged.path, shown)
            return self._store(staged, found, shown, values | {"created_by": actor[:64]}, wanted)
        finally:
            self.store.discard(staged)

    def ingest_file(self, path: Path, name: str | None = None, **details: Any) -> Ingested:
        """:meth:`ingest` of a file on this machine (the demo, batch ingest, tests)."""
        with path.open("rb") as handle:
            return self.ingest(read_chunks(handle), name or path.name, **details)

    def _checked_values(
        self, rights: str, access: Access, branch: str | None, record_id: int | None
    ) -> dict[str, object]:
        rights = rights.strip()
        if not RIGHTS.match(rights):
            raise ShelfwiseError("media.bad_rights")
        if record_id is not None:
            self._catalogue.get_record(record_id)  # a missing record is refused here
        return {"rights": rights, "record_id": record_id} | self._access_values(access, branch)

    def _access_values(self, access: Access, branch: str | None) -> dict[str, object]:
        branch_id = None
        if access == Access.ON_SITE:
            codes = {b.code: b.id for b in self._catalogue.list_branches()}
            if branch not in codes:
                raise ShelfwiseError("media.onsite_branch")
            branch_id = codes[branch]
        return {"access": access.value, "branch_id": branch_id}

    def _store(
        self,
        staged: Staged,
        found: sniffing.Sniffed,
        name: str,
        values: dict[str, object],
        texts: list[MediaText],
    ) -> Ingested:
        width = height = None
        added: list[str] = []
        try:
            with self.store.scratch() as work:
                derived: list[derive.Derived] = []
                if found.kind == "image":
                    width, height = derive.image_size(staged.path, self.max_pixels)
                    derived = derive.image_derivatives(staged.path, work)
                elif found.kind == "pdf":
                    derive.check_pdf(staged.path)
                    page = derive.pdf_page(staged.path, work)
                    derived = [page] if page is not None else []
                files = [self._keep(d, added) for d in derived]
            if self.store.keep(staged):
                added.append(staged.sha256)
            original = MediaFile(
                "original", staged.sha256, found.content_type, staged.bytes, width, height
            )
            row = values | {
                "sha256": staged.sha256,
                "kind": found.kind,
                "content_type": found.content_type,
                "name": name,
                "bytes": staged.bytes,
                "width": width,
                "height": height,
                "created_at": self._clock.now(),
                "updated_at": self._clock.now(),
            }
            with self._db.write() as conn:
                object_id = repo.insert_object(conn, row)
                repo.insert_files(conn, object_id, [original, *files])
                repo.replace_texts(conn, object_id, _known(texts))
                repo.replace_search_keys(conn, object_id, _keys(name, texts))
        except BaseException:
            for sha in added:
                self.store.remove(sha)
            raise
        return Ingested(self.get(object_id), created=True)

    def _keep(self, made: derive.Derived, added: list[str]) -> MediaFile:
        staged = self.store.stage_file(made.path)
        if self.store.keep(staged):
            added.append(staged.sha256)
        return MediaFile(
            made.role, staged.sha256, made.content_type, staged.bytes, made.width, made.height
        )

    # --- reading and editing -------------------------------------------------------------

    def get(self, object_id: int) -> MediaObject:
        found = self.many([object_id])
        if not found:
            raise ShelfwiseError("media.not_found")
        return found[0]

    def many(self, ids: Iterable[int]) -> list[MediaObject]:
        wanted = list(dict.fromkeys(ids))
        with self._db.read() as conn:
            found = repo.objects(conn, ids=wanted, limit=len(wanted) or 1, branch_codes=self._codes)
        order = {object_id: n for n, object_id in enumerate(wanted)}
        return sorted(found, key=lambda o: order[o.id])

    def recent(self, limit: int = 100) -> list[MediaObject]:
        with self._db.read() as conn:
            return repo.objects(conn, limit=limit, branch_codes=self._codes)

    def for_record(self, record_id: int) -> list[MediaObject]:
        with self._db.read() as conn:
            return repo.objects(conn, record_id=record_id, branch_codes=self._codes)

    def set_texts(self, object_id: int, texts: Iterable[MediaText]) -> MediaObject:
        item = self.get(object_id)
        wanted = _known(list(texts))
        with self._db.write() as conn:
            repo.replace_texts(conn, object_id, wanted)
            repo.replace_search_keys(conn, object_id, _keys(item.name, wanted))
            repo.touch(conn, object_id, self._clock.now())
        return self.get(object_id)

    def set_access(self, object_id: int, access: Access, branch: str | None = None) -> MediaObject:
        values = self._access_values(access, branch)
        with self._db.write() as conn:
            if repo.set_access(conn, object_id, values | {"updated_at": self._clock.now()}) == 0:
                raise ShelfwiseError("media.not_found")
        return self.get(object_id)

    def changed(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        after: tuple[datetime, int] | None = None,
        limit: int = 100,
    ) -> list[MediaObject]:
        """Objects whose description changed in the window, in (updated_at, id) order:
        what OAI-PMH harvests (a staff-only object is served there as deleted)."""
        with self._db.read() as conn:
            ids = repo.changed_ids(conn, since=since, until=until, after=after, limit=limit)
        return self.many(ids)

    def count_changed(self, since: datetime | None = None, until: datetime | None = None) -> int:
        with self._db.read() as conn:
            return repo.count_changed(conn, since, until)

    def earliest_change(self) -> datetime | None:
        with self._db.read() as conn:
            return repo.earliest_change(conn)

    def search(self, q: str, limit: int = 12) -> list[MediaObject]:
        """Objects (not kept for staff) whose captions, alt texts or name match ``q`` in any
        language, with the catalogue's analysis and cascade (pinyin, initials, Korean
        spellings), newest first: one read, a lookup of the query's keys in the objects'
        search keys (media/finding.py), then the objects found. The door still applies
        each object's access rule."""
        exact, prefixes = finding.query_keys(q)
        if not (exact or prefixes):
            return []
        with self._db.read() as conn:
            ids = repo.search_ids(conn, exact, prefixes, limit)
            if not ids:
                return []
            return repo.objects(conn, ids=ids, limit=limit, branch_codes=self._codes)

    def _codes(self) -> dict[int, str]:
        return {b.id: b.code for b in self._catalogue.list_branches()}

    # --- serving ------------------------------------------------------------------------

    def check_access(self, item: MediaObject, viewer: Viewer) -> None:
        """The object's access rule for ``viewer``: returns, or raises the refusal to show."""
        self._check_rule(item.access, item.branch_code, viewer)

    def _check_rule(self, access: Access, branch: str | None, viewer: Viewer) -> None:
        if viewer.staff or access == Access.OPEN:
            return
        if access == Access.SIGNED_IN:
            if not viewer.signed_in:
                raise ShelfwiseError("media.sign_in")
            return
        if access == Access.STAFF:
            raise ShelfwiseError("media.staff_only")
        if not self._on_site(branch, viewer.address):
            raise ShelfwiseError("media.on_site", branch=branch or "-")

    def _on_site(self, branch: str | None, address: str | None) -> bool:
        if branch is None or address is None:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self._onsite.get(branch, ()))

    def open(
        self, object_id: int, role: FileRole, viewer: Viewer
    ) -> tuple[MediaObject, MediaFile, Path]:
        """The object, one of its files and that file's verified path, if ``viewer`` may."""
        item = self.get(object_id)
        self.check_access(item, viewer)
        file = item.files.get(role)
        if file is None:
            raise ShelfwiseError("media.not_found")
        return item, file, self.store.verified(file.sha256)

    def image_levels(
        self, object_id: int, viewer: Viewer
    ) -> tuple[MediaObject, list[tuple[int, int]]]:
        """An image object and its pyramid's level sizes (IIIF info.json), if ``viewer`` may."""
        item, file, path = self.open(object_id, "pyramid", viewer)
        if file.sha256 not in self._levels:
            self._levels[file.sha256] = self._renderer.levels(path)
        return item, self._levels[file.sha256]

    def image(
        self, object_id: int, region: str, size: str, rotation: str, quality: str, viewer: Viewer
    ) -> tuple[Access, Path, str]:
        """A IIIF Image API rendering of an image object: its access rule, the cached file
        and its type. One small read (rule and pyramid), not the whole object: a tile from
        the cache must cost less than drawing it (docs/benchmarks.md)."""
        with self._db.read() as conn:
            facts = repo.pyramid_facts(conn, object_id)
        if facts is None:
            raise ShelfwiseError("media.not_found")
        access = Access(facts.access)
        branch = None
        if access == Access.ON_SITE and not viewer.staff:
            branch = self._codes().get(int(facts.branch_id))
        self._check_rule(access, branch, viewer)
        path = self.store.verified(facts.sha256)
        request = iiif_params.parse(
            region, size, rotation, quality, int(facts.width or 0), int(facts.height or 0)
        )
        done = self._renderer.render(path, facts.sha256, request)
        return access, done, iiif_params.FORMATS[request.format]

    def verify_all(self) -> FixityReport:
        """Re-hash every stored file against its name (``shelfwise verify-media``)."""
        with self._db.read() as conn:
            hashes = repo.all_file_hashes(conn)
        bad = [sha for sha in hashes if not self.store.check(sha)]
        return FixityReport(checked=len(hashes), bad=bad)


def _known(texts: list[MediaText]) -> list[MediaText]:
    for text in texts:
        if text.lang not in TEXT_LANGS:
            raise ShelfwiseError("media.invalid", detail=f"language {text.lang!r}")
    return texts


def _keys(name: str, texts: Iterable[MediaText]) -> set[str]:
    """The search keys of an object: its name, captions and alt texts (not transcripts:
    a long transcript would swamp a caption's matches, and the story around it is found)."""
    return finding.search_keys([name, *(v for t in texts for v in (t.caption, t.alt))])
