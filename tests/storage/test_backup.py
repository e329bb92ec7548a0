"""D16: a backup taken while checkouts commit restores to exactly the rows of its point.

The storm is real: threads check copies out through the circulation service while the
backup holds its snapshot. The test computes its own hash of every table inside that
snapshot (through the backup's snapshot hook, with SQL of its own, not the manifest's
code), waits until the storm has committed more checkouts past the snapshot, lets the
backup copy, restores into a fresh database and data folder, and compares: the
restored tables hash like the snapshot, not like the source now. Then a checkout on
the restored library, and an identity card found with the restored key.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.backup import BackupError, BackupService, RestoreReport, read_manifest
from shelfwise.testing.plugin import pg_admin_url
from shelfwise.testing.tools import require_tool

ID_CARD = "11010519491231002X"


def _catalogue(services: Services, tmp: Path, copies: int) -> list[str]:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="中心馆")
    services.loan_rules.set_rule(
        reader_category=None,
        item_type=None,
        branch=None,
        values={"loan_limit": 10000},
        actor=SYSTEM,
    )
    barcodes = [f"BK{k:05d}" for k in range(copies)]
    holdings = [Field("852", "  ", [("b", "CEN"), ("p", code)]) for code in barcodes]
    record = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data="bk-1"), Field("245", "10", [("a", "备份")]), *holdings],
    )
    (tmp / "bk.mrc").write_bytes(encode(record))
    services.importer().import_file(tmp / "bk.mrc")  # the copies in one batch, as 852 holdings
    return barcodes


class Storm:
    """Threads checking copies out, one reader each, until stopped or out of copies."""

    def __init__(self, services: Services, barcodes: list[str], threads: int) -> None:
        self.services = services
        self.committed = 0
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        cards = [
            services.readers.register(name=f"读者{n}", category="adult").reader.card_number
            for n in range(threads)
        ]
        shares = [barcodes[n::threads] for n in range(threads)]
        self._threads = [
            threading.Thread(target=self._run, args=(card, share), daemon=True)
            for card, share in zip(cards, shares, strict=True)
        ]

    def _run(self, card: str, barcodes: list[str]) -> None:
        try:
            for barcode in barcodes:
                if self._stop.is_set():
                    return
                self.services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
                with self._lock:
                    self.committed += 1
        except BaseException as exc:  # reported by stop()
            self.errors.append(exc)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while self.committed < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, f"only {self.committed} checkouts committed"
            time.sleep(0.005)

    def __enter__(self) -> Storm:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        assert not self.errors, self.errors


def independent_hashes(conn: Connection) -> dict[str, str]:
    """Every table's rows hashed by SQL of this test's own, sorted by their text."""
    found = {}
    for name in sorted(inspect(conn).get_table_names()):
        if conn.dialect.name == "postgresql":
            found[name] = str(
                conn.execute(
                    text(
                        f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{name}\" t"
                    )
                ).scalar_one()
            )
        else:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"')))
            found[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found


@pytest.fixture
def fresh_target(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database the backup is restored into (PostgreSQL: no schema at all)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'shelfwise.sqlite'}"
        return
    require_tool("pg_dump", "postgresql-client")
    require_tool("pg_restore", "postgresql-client")
    name = f"shelfwise_r_{time.time_ns() % 10**12}"
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
    yield make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _restored(services: Services, url: str, tmp_path: Path) -> Settings:
    return Settings.load(
        {
            "data_dir": tmp_path / "restored-data",
            "database_url": url,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
        },
        environ={},
    )


def _restore(settings: Settings, archive: Path, *, replace: bool = False) -> RestoreReport:
    service = composition.backup_service(settings)
    try:
        return service.restore(archive, replace=replace)
    finally:
        service.close()


def _service(services: Services, retention_days: int = 0) -> BackupService:
    return BackupService(
        services.db, services.settings.data_dir, services.clock, retention_days=retention_days
    )


def test_d16_backup_during_a_checkout_storm_restores_the_rows_of_its_point(
    services: Services, tmp_path: Path, fresh_target: str
) -> None:
    _storm_backup_restore(services, tmp_path, fresh_target, copies=120, threads=4, during=20)


@pytest.mark.slow
def test_d16_long_storm(services: Services, tmp_path: Path, fresh_target: str) -> None:
    _storm_backup_restore(services, tmp_path, fresh_target, copies=3000, threads=8, during=500)


def _storm_backup_restore(
    services: Services, tmp_path: Path, fresh_target: str, *, copies: int, threads: int, during: int
) -> None:
    barcodes = _catalogue(services, tmp_path, copies=copies)
    card_holder = services.readers.register(name="身份证", category="adult", id_card=ID_CARD)
    seen: dict[str, object] = {}
    with Storm(services, barcodes[:-1], threads=threads) as storm:
        storm.wait_for(10)

        def at_snapshot(conn: Connection) -> None:
            seen["hashes"] = independent_hashes(conn)
            seen["loans"] = conn.execute(text("SELECT count(*) FROM loans")).scalar_one()
            # Writers are not held up by the snapshot, and what they commit now is not in it.
            storm.wait_for(storm.committed + during)

        manifest, _ = _service(services).create(tmp_path / "storm.tar", on_snapshot=at_snapshot)
    with services.db.read() as conn:
        now = independent_hashes(conn)
        loans_now = conn.execute(text("SELECT count(*) FROM loans")).scalar_one()
    assert manifest.tables["loans"].rows == seen["loans"]
    assert loans_now >= int(str(seen["loans"])) + during, "the storm went on past the snapshot"
    assert now["loans"] != seen["hashes"]["loans"]  # type: ignore[index]

    settings = _restored(services, fresh_target, tmp_path)
    report = _restore(settings, tmp_path / "storm.tar")
    assert "data/keys/reader_id_card_key" in report.files
    engine = create_engine(fresh_target)
    with engine.connect() as conn:
        assert independent_hashes(conn) == seen["hashes"]
    engine.dispose()

    restored = composition.build(settings)
    try:
        loan = restored.circulation.checkout(
            card_holder.reader.card_number, barcodes[-1], "CEN", actor=SYSTEM
        )
        assert loan.id > 0
        # The identity-card key came back with the data folder: the card is found again.
        assert restored.readers.identify(ID_CARD).card_number == card_holder.reader.card_number
    finally:
        restored.close()


def test_a_restore_refuses_a_database_with_data_and_a_damaged_or_altered_backup(
    services: Services, tmp_path: Path, fresh_target: str
) -> None:
    _catalogue(services, tmp_path, copies=3)
    archive = tmp_path / "one.tar"
    _service(services).create(archive)
    with pytest.raises(BackupError, match="not empty"):
        _service(services).restore(archive)

    # A manifest that claims a row the database does not hold: the restore says which table.
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as out:
        for member in source.getmembers():
            handle = source.extractfile(member)
            assert handle is not None
            raw = handle.read()
            if member.name == "manifest.json":
                raw = raw.replace(b'"rows": 3', b'"rows": 4', 1)
                member.size = len(raw)
            out.addfile(member, io.BytesIO(raw))
    settings = _restored(services, fresh_target, tmp_path)
    with pytest.raises(BackupError, match="items: 4 rows in the backup, 3 restored"):
        _restore(settings, altered)

    damaged = tmp_path / "damaged.tar"
    flipped = bytearray(archive.read_bytes())
    flipped[len(flipped) // 2] ^= 0xFF
    damaged.write_bytes(bytes(flipped))
    with pytest.raises(BackupError, match=r"damaged|cannot be read"):
        _restore(settings, damaged, replace=True)


def test_a_new_backup_deletes_the_folders_backups_older_than_the_retention(
    services: Services, tmp_path: Path, clock: FrozenClock
) -> None:
    folder = tmp_path / "backups"
    service = _service(services, retention_days=7)
    old, _ = service.create(folder / "old.tar")
    (folder / "notes.txt").write_text("not a backup: left alone")
    clock.advance(timedelta(days=3))
    _, removed = service.create(folder / "recent.tar")
    assert removed == []
    clock.advance(timedelta(days=5))
    _, removed = service.create(folder / "newest.tar")
    assert [p.name for p in removed] == ["old.tar"]
    assert sorted(p.name for p in folder.iterdir()) == ["newest.tar", "notes.txt", "recent.tar"]
    assert read_manifest(folder / "recent.tar").created_at == old.created_at + timedelta(days=3)
