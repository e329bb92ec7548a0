"""A library, a terminal account and a running SIP2 server for the server tests."""

from __future__ import annotations

import dataclasses
import itertools
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from shelfwise.app import sip2_server
from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.marc.iso2709 import encode as marc_encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.sip2 import Decoded, Message, decode, encode
from shelfwise.sip2.server import ServerConfig, Sip2Server, running

TERMINAL = "kiosk-01"
TERMINAL_PASSWORD = "Canary-Term-7731"  # canaries: must never appear in our logs
PIN = "739251"
INSTITUTION = "SZLIB"
_counter = itertools.count(1)


@dataclass
class KioskLibrary:
    """A library behind a self-check kiosk: titles and readers with a PIN, made on demand;
    ``make_library`` creates its branches and the terminal account kiosks log in with."""

    services: Services
    tmp: Path
    cards: dict[str, str] = field(default_factory=dict)

    def title(self, title: str, copies: int = 1) -> list[str]:
        n = next(_counter)
        record = Record(
            "00000nam a2200000 a 4500",
            [Field("001", data=f"sip-{n}-{id(self)}"), Field("245", "10", [("a", title)])],
        )
        path = self.tmp / f"sip{n}.mrc"
        path.write_bytes(marc_encode(record))
        self.services.importer().import_file(path)
        with self.services.db.read() as conn:
            record_id = int(conn.execute(text("SELECT max(id) FROM records")).scalar_one())
        barcodes = [f"S{n:04d}{k:03d}" for k in range(copies)]
        for barcode in barcodes:
            self.services.catalogue.add_item(
                record_id=record_id,
                barcode=barcode,
                branch_code="CEN",
                lifecycle=Lifecycle.IN_SERVICE,
                price_cents=3000,
            )
        return barcodes

    def reader(self, name: str, **kw: object) -> str:
        registered = self.services.readers.register(name=name, category="adult", pin=PIN, **kw)  # type: ignore[arg-type]
        return registered.reader.card_number


def make_library(services: Services, tmp: Path, **terminal: object) -> KioskLibrary:
    for code, kind in (("CEN", BranchKind.CENTRAL), ("BR1", BranchKind.BRANCH)):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    options: dict[str, object] = {"location": "desk-1", "lenient": True, **terminal}
    services.terminals.create(
        name=TERMINAL,
        password=TERMINAL_PASSWORD,
        branch="CEN",
        institution=INSTITUTION,
        **options,  # type: ignore[arg-type]
    )
    return KioskLibrary(services, tmp)


@contextmanager
def live_sip2(services: Services, **config: object) -> Iterator[Sip2Server]:
    base = ServerConfig.from_settings(services.settings)
    server = sip2_server(
        services,
        dataclasses.replace(base, **{"host": "127.0.0.1", "port": 0, "tls_port": -1, **config}),  # type: ignore[arg-type]
    )
    with running(server):
        yield server


class Kiosk:
    """A raw-socket SIP2 client: what we send is exactly what the test says."""

    def __init__(self, port: int, *, encoding: str = "utf-8", source: str | None = None) -> None:
        # source: another loopback address (127.0.0.2 …) to stand for another kiosk's IP.
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=20, source_address=(source, 0) if source else None
        )
        self.encoding = encoding
        self.sequence = 0

    def __enter__(self) -> Kiosk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send_raw(self, data: bytes) -> bytes:
        """Send bytes; return one response (up to CR), or b"" when the server closed."""
        self.sock.sendall(data)
        return self.read()

    def read(self) -> bytes:
        data = b""
        while not data.endswith(b"\r"):
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return b""
            if not chunk:
                return data
            data += chunk
        return data

    def wire(
        self, command: str, fixed: dict[str, str], fields: list[tuple[str, str]], seq: int | None
    ) -> bytes:
        if seq is None:
            self.sequence = (self.sequence + 1) % 10
            seq = self.sequence
        return encode(Message.of(command, fixed, fields), encoding=self.encoding, sequence=seq)

    def ask(
        self,
        command: str,
        fixed: dict[str, str],
        fields: list[tuple[str, str]],
        *,
        seq: int | None = None,
    ) -> Message:
        raw = self.send_raw(self.wire(command, fixed, fields, seq))
        result = decode(raw, encoding=self.encoding)
        assert isinstance(result, Decoded), (raw, result)
        return result.message

    def login(self, password: str = TERMINAL_PASSWORD, name: str = TERMINAL) -> Message:
        fields = [("CN", name), ("CO", password), ("CP", "desk-1")]
        return self.ask("93", {"uid_algorithm": "0", "pwd_algorithm": "0"}, fields)

    def closed(self) -> bool:
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, BrokenPipeError):
            return True


TD = "20260901    093000"
BLANK = " " * 18


def checkout(
    kiosk: Kiosk,
    card: str,
    barcode: str,
    *,
    pin: str | None = PIN,
    seq: int | None = None,
    td: str = TD,
) -> Message:
    fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", "")]
    if pin is not None:
        fields.append(("AD", pin))
    fixed = {
        "sc_renewal_policy": "N",
        "no_block": "N",
        "transaction_date": td,
        "nb_due_date": BLANK,
    }
    return kiosk.ask("11", fixed, fields, seq=seq)


def patron_information(
    kiosk: Kiosk, card: str, pin: str | None, summary: str = " " * 10, language: str = "000"
) -> Message:
    """A 63; ``language`` 000 (unspecified) leaves screen messages in the terminal's."""
    fields = [("AO", INSTITUTION), ("AA", card)]
    if pin is not None:
        fields.append(("AD", pin))
    fixed = {"language": language, "transaction_date": TD, "summary": summary}
    return kiosk.ask("63", fixed, fields)


def wait_until(condition: Callable[[], bool], *, rounds: int = 400) -> None:
    """Poll ``condition`` (the server finishes closing sessions on its own thread)."""
    for _ in range(rounds):
        if condition():
            return
        time.sleep(0.025)
    raise AssertionError("condition not reached")
