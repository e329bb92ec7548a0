"""The import stores each master compactly and exactly, and a file imported before
masters were compact (content hashes of MARC-in-JSON) is found unchanged on re-import."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select, update

from shelfwise.marc import iso2709, marcjson
from shelfwise.services import Services
from shelfwise.storage.tables import records, sources
from shelfwise.testing.records import write_records


def _hash_before_compact_masters(raw: bytes) -> str:
    """How imports hashed a source's content until masters were compact (the spec of
    the old behaviour, written out here rather than called)."""
    record = iso2709.parse(raw).record
    text = marcjson.dumps(record).decode("utf-8")
    leader = record.leader.ljust(24)
    identity = leader[5:9] + leader[10:12] + leader[17:] + text[text.find('"fields"') :]
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def test_every_master_is_the_record_as_read(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "demo.mrc"
    write_records(path, 120, seed=11)
    summary = services.importer().import_file(path)
    assert summary.added > 100
    with services.db.read() as conn:
        rows = conn.execute(
            select(sources.c.record_id, sources.c.raw).where(sources.c.is_master == 1)
        ).all()
        sizes = conn.execute(select(records.c.master)).scalars().all()
    assert len(rows) == summary.added
    for record_id, raw in rows:
        assert services.catalogue.get_marc(record_id) == iso2709.parse(raw).record
    # Smaller than the source's own ISO 2709 bytes, let alone MARC-in-JSON.
    assert sum(map(len, sizes)) < sum(len(raw) for _, raw in rows)


def test_sources_hashed_before_compact_masters_are_found_unchanged(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "demo.mrc"
    write_records(path, 60, seed=5)
    first = services.importer().import_file(path)
    with services.db.write() as conn:
        stored = conn.execute(select(sources.c.id, sources.c.raw, sources.c.content_hash)).all()
        for source_id, raw, new_hash in stored:
            old_hash = _hash_before_compact_masters(raw)
            assert old_hash != new_hash
            conn.execute(
                update(sources).where(sources.c.id == source_id).values(content_hash=old_hash)
            )
    again = services.importer().import_file(path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.read)
