"""A Zebra server (Index Data's idzebra-2.0) for tests: another library's catalogue that
answers Z39.50 and SRU on one port, over MARC records a test writes.

It reuses the search bench's Zebra configuration (``bench/zebra``: the DOM filter, ICU
word index, MARCXML out) and adds what a copy-cataloguing target needs beyond the bench:
a CQL-to-PQF map (``cql.properties`` here) so SRU clients can send CQL. The register
lives in the test's temporary folder; the server is stopped (by its process id) on exit.
"""

from __future__ import annotations

import glob
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shelfwise.testing import tools

ROOT = Path(__file__).resolve().parents[3]
BENCH_ZEBRA = ROOT / "bench" / "zebra"

# CQL indexes a copy cataloguer sends, as bib-1 use attributes the bench's extract.xsl
# indexes (title, author, subject, any; see bib1.att for the names Zebra maps them to).
CQL_PROPERTIES = """\
set.cql = info:srw/cql-context-set/1/cql-v1.2
set.dc = info:srw/cql-context-set/1/dc-v1.1
set = info:srw/cql-context-set/1/dc-v1.1
index.cql.serverChoice = 1=1016
index.dc.title = 1=4
index.dc.creator = 1=1003
index.dc.subject = 1=21
relation.eq = 2=3
relation.exact = 2=3
relation.scr = 2=3
relation.all = 2=3 4=6
relation.any = 2=3 4=105
relation.adj = 2=3 4=1
position.any = 3=3 6=1
structure.* = 4=2
truncation.none = 5=100
truncation.right = 5=1
"""


@dataclass(frozen=True, slots=True)
class ZebraServer:
    port: int
    database: str = "Default"

    @property
    def z3950_address(self) -> str:
        """As the ``copy_cataloguing_targets`` setting names a Z39.50 target."""
        return f"127.0.0.1:{self.port}/{self.database}"

    @property
    def sru_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.database}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def zebra_server(records: Path, work: Path) -> Iterator[ZebraServer]:
    """Index ``records`` (ISO 2709, UTF-8) into a fresh register in ``work`` and serve it."""
    zebraidx = tools.require_tool("zebraidx", "the Debian package idzebra-2.0")
    zebrasrv = tools.require_tool("zebrasrv", "the Debian package idzebra-2.0")
    work.mkdir(parents=True, exist_ok=True)
    (work / "reg").mkdir(exist_ok=True)
    modules = sorted(glob.glob("/usr/lib/*/idzebra-2.0/modules"))
    (work / "zebra.cfg").write_text(
        f"profilePath: {BENCH_ZEBRA}:/usr/share/idzebra-2.0/tab\n"
        + (f"modulePath: {modules[0]}\n" if modules else "")
        + f"recordType: dom.{BENCH_ZEBRA / 'dom.xml'}\n"
        "register: reg:200M\nlockDir: reg\nkeyTmpDir: reg\nsetTmpDir: reg\n"
        "attset: bib1.att\nmemMax: 32M\n"
    )
    (work / "cql.properties").write_text(CQL_PROPERTIES)
    port = _free_port()
    (work / "yazgfs.xml").write_text(
        f'<yazgfs><listen id="l">tcp:127.0.0.1:{port}</listen>'
        '<server id="s" listenref="l"><config>zebra.cfg</config>'
        "<cql2rpn>cql.properties</cql2rpn></server></yazgfs>"
    )
    for command in (["init"], ["update", str(records)], ["commit"]):
        done = subprocess.run(
            [zebraidx, "-c", "zebra.cfg", *command], cwd=work, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"zebraidx {command[0]} failed: {done.stderr[-2000:]}")
    server = subprocess.Popen(
        [zebrasrv, "-f", "yazgfs.xml", "-l", "zebrasrv.log"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        yield ZebraServer(port)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"zebrasrv stopped at start (exit {server.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("zebrasrv did not start within 30 s")
