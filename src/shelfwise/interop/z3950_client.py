"""A Z39.50 client for copy cataloguing: Index Data's ``yaz-client`` (Debian package yaz)
driven as a subprocess, one run per search.

Why the command line and not a binding: yaz-client is the Z39.50 client librarians and
their vendors use and trust, it is packaged, and no maintained Python binding of YAZ
exists (PyZ3950 is unmaintained). The run opens the target, searches with the records
piggybacked on the search response (so one run needs no second present that could ask
past the last hit), and dumps them raw with ``set_marcdump`` into a private temporary
file: ISO 2709 (``usmarc``) or MARCXML (``marcxml``, element set ``marcxml``), read
with our own MARC readers. The hit count and diagnostics come from yaz-client's output.

``query`` is PQF (``@attr 1=4 history``) or :class:`~shelfwise.catalogue.remote.Words`,
which become one quoted term of the Any index (bib-1 use attribute 1016). Control
characters are refused before anything runs: a query is one line of yaz-client's input,
and a newline in it would be a second command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from shelfwise.catalogue.remote import (
    MAX_RECORDS,
    RemoteRecord,
    RemoteResult,
    RemoteSearchError,
    Target,
    Words,
)
from shelfwise.marc.reading import MarcFormat, Rejected, read_bytes

_HITS = re.compile(r"Number of hits: (\d+)")
_DIAGNOSTIC = re.compile(r"\[(\d+)\] ([^\n]*)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def pqf_of(query: str | Words) -> str:
    if isinstance(query, Words):
        text = " ".join(query.text.split())
        if not text:
            return ""
        return '@attr 1=1016 "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return query.strip()


class YazClient:
    def __init__(self, *, executable: str = "yaz-client") -> None:
        self._executable = executable

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult:
        pqf = pqf_of(query)
        if not pqf:
            raise RemoteSearchError(target, "the query is empty")
        if _CONTROL.search(pqf) or _CONTROL.search(target.address):
            raise RemoteSearchError(target, "the query holds a control character (a new line)")
        program = shutil.which(self._executable)
        if program is None:
            raise RemoteSearchError(target, "yaz-client is not installed (Debian package yaz)")
        count = max(1, min(maximum, MAX_RECORDS))
        xml = target.record_schema.casefold() in {"marcxml", "xml"}
        with tempfile.TemporaryDirectory(prefix="shelfwise-z3950-") as work:
            dump = Path(work) / "records"
            commands = [
                f"open tcp:{target.address}",
                *(["format xml", "elements marcxml"] if xml else ["format usmarc"]),
                # piggyback: up to `count` records come back with the search response
                f"ssub {count}",
                "lslb 1000000000",
                f"mspn {count}",
                f"set_marcdump {dump}",
                f"find {pqf}",
                "quit",
            ]
            try:
                done = subprocess.run(
                    [program],
                    input="\n".join(commands) + "\n",
                    capture_output=True,
                    text=True,
                    timeout=target.timeout_seconds,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise RemoteSearchError(
                    target, f"no answer within {target.timeout_seconds:g} s"
                ) from exc
            raw = dump.read_bytes() if dump.exists() else b""
        return _result(target, pqf, done.stdout, raw, xml)


def _result(target: Target, pqf: str, output: str, raw: bytes, xml: bool) -> RemoteResult:
    if "Connecting...OK" not in output:
        raise RemoteSearchError(target, "cannot connect")
    answer = output.partition("Received SearchResponse.")[2]
    hits = _HITS.search(answer)
    if not answer or hits is None or "Search was a success" not in answer:
        diagnostic = _DIAGNOSTIC.search(answer)
        if diagnostic is not None:
            reason = f"Z39.50 diagnostic {diagnostic.group(1)}: {diagnostic.group(2).strip()}"
        else:
            reason = "the search failed (" + _last_line(output) + ")"
        raise RemoteSearchError(target, reason)
    result = RemoteResult(target, pqf, int(hits.group(1)))
    chunks = _xml_documents(raw) if xml else [raw] if raw else []
    position = 0
    for chunk in chunks:
        for entry in read_bytes(chunk, format=MarcFormat.MARCXML if xml else None):
            position += 1
            if isinstance(entry, Rejected):
                result.unreadable.append(f"record {position}: {entry.reason}")
                continue
            result.records.append(
                RemoteRecord(position, entry.record, entry.dialect, tuple(entry.repairs))
            )
    return result


def _xml_documents(raw: bytes) -> list[bytes]:
    """yaz-client appends each XML record whole, declaration included."""
    parts = [p for p in re.split(rb"(?=<\?xml )", raw) if p.strip()]
    return parts


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-2] if len(lines) > 1 else (lines[0] if lines else "no output")
