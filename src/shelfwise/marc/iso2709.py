"""ISO 2709 (MARC exchange format): a fast reader and a writer of our own.

Reading is three steps per record: split the file on the record terminator
(:func:`split_records`), lay out the fields from the leader and directory
(:func:`parse`), and decode the bytes in the charset chosen by
:mod:`shelfwise.marc.detection`.

The hot path is a well-formed record whose directory entries follow each other
without gaps: then the data section is split on the field terminator and
decoded with one codec call per record (UTF-8 never puts 0x1E or 0x1F inside a
multibyte sequence, and neither do GB 18030 or cp949). Anything else takes the
careful path, which checks every directory entry against the field terminators.

What is repaired (and noted in ``repairs``) and what is rejected:

=============================================================  ========
problem                                                        outcome
=============================================================  ========
leader/00-04 disagrees with the bytes up to the terminator     repaired
leader/12-16 (base address) disagrees with the directory end   repaired
a directory length off by one (the field terminator)           repaired
directory offsets that disagree with the terminators, when     repaired
there is exactly one terminated field per entry, in order
missing record terminator at end of file                       repaired
indicators missing or text before the first subfield           repaired
directory not a multiple of 12 bytes, non-numeric entries      rejected
an entry starting past the end or inside another field         rejected
fewer than 25 bytes, no directory terminator                   rejected
=============================================================  ========
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from struct import Struct
from typing import BinaryIO

from shelfwise.marc import charsets
from shelfwise.marc.control_characters import repair
from shelfwise.marc.description import Dialect
from shelfwise.marc.detection import detect, dialect_of_record
from shelfwise.marc.record import CONTROL_TAGS, LEADER_LENGTH, Field, Record

RT = b"\x1d"  # record terminator
FT = b"\x1e"  # field terminator
SD = b"\x1f"  # subfield delimiter
_FT_INT = 0x1E
MAX_RECORD_BYTES = 99_999  # leader/00-04 has five digits
MAX_FIELD_BYTES = 9_999  # directory length has four digits


class RecordError(ValueError):
    """A record that cannot be read safely; the message is for a librarian."""


class RecordTooLongError(ValueError):
    """A record that does not fit the ISO 2709 length fields when written."""


@dataclass(slots=True)
class Parsed:
    record: Record
    dialect: Dialect
    encoding: str
    repairs: list[str]


@dataclass(slots=True)
class _Layout:
    leader: str
    tags: list[str]
    fields: list[bytes]  # field bytes without the terminator, in directory order
    data: bytes  # the data section, for charset sniffing
    contiguous: bool  # fields are exactly data.split(FT): one decode call suffices
    repairs: list[str]


# --------------------------------------------------------------------------- reading


def split_records(
    stream: BinaryIO, *, chunk_size: int = 1 << 20, max_record: int = 16 << 20
) -> Iterator[tuple[int, bytes, bool]]:
    """Yield ``(offset, raw, terminated)`` per record, reading ``chunk_size`` at a time.

    Memory stays bounded: a run of more than ``max_record`` bytes without a
    terminator is yielded as one unterminated chunk (the caller rejects it).
    CR, LF and NUL between records (line-wrapped exports) are skipped.
    """
    buf = b""
    offset = 0  # file offset of buf[0]
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        buf += chunk
        start = 0
        while True:
            end = buf.find(RT, start)
            if end < 0:
                break
            if 0x30 <= buf[start] <= 0x39:  # a leader's length: no padding to strip
                yield offset + start, buf[start : end + 1], True
            else:
                yield from _emit(buf[start : end + 1], offset + start, terminated=True)
            start = end + 1
        buf = buf[start:]
        offset += start
        if len(buf) > max_record:
            yield from _emit(buf, offset, terminated=False)
            offset += len(buf)
            buf = b""
    if buf:
        yield from _emit(buf, offset, terminated=False)


def _emit(raw: bytes, offset: int, *, terminated: bool) -> Iterator[tuple[int, bytes, bool]]:
    stripped = raw.lstrip(b"\r\n\x00\x1a")
    if stripped.strip(b" \t\r\n\x00\x1a" + RT):  # padding after the last record is not one
        yield offset + len(raw) - len(stripped), stripped, terminated


def _structure(raw: bytes, *, quick: bool = True) -> _Layout:
    n = len(raw)
    if n < LEADER_LENGTH + 2:
        raise RecordError(f"only {n} bytes: too short to be a MARC record (the leader alone is 24)")
    repairs: list[str] = []
    leader = raw[:LEADER_LENGTH].decode("latin-1")
    declared = leader[:5]
    if not declared.isdigit():
        repairs.append(
            f"leader record length {declared!r} is not a number; "
            f"used the {n} bytes up to the record terminator"
        )
    elif int(declared) != n:
        repairs.append(
            f"leader record length {declared} disagrees with the {n} bytes "
            "up to the record terminator"
        )
    dir_end = raw.find(FT, LEADER_LENGTH)
    if dir_end < 0:
        raise RecordError("no field terminator after the directory: the record is truncated")
    base = dir_end + 1
    if leader[12:17] != f"{base:05d}":
        repairs.append(
            f"leader base address {leader[12:17]!r} disagrees with the end of the "
            f"directory at byte {base}; used the directory's end"
        )
    directory = raw[LEADER_LENGTH:dir_end]
    if len(directory) % 12:
        raise RecordError(
            f"the directory is {len(directory)} bytes, not a multiple of 12: "
            "its entries cannot be read"
        )
    data = raw[base : n - 1]
    layout = _contiguous(leader, directory, data, repairs) if quick else None
    if layout is not None:
        return layout
    return _entries(raw, leader, directory.decode("latin-1"), base, data, repairs)


@lru_cache(maxsize=1024)
def _directory_shape(entries: int) -> tuple[Struct, Callable[[str], list[str]]]:
    # Per directory size: every entry's nine digits in one unpack, and the tags in
    # one C call, instead of a regex match and two int() per entry.
    tags = itemgetter(*[slice(i, i + 3) for i in range(0, 12 * entries, 12)])
    if entries == 1:
        return Struct("3x9s"), lambda d: [tags(d)]
    return Struct("3x9s" * entries), lambda d: list(tags(d))


def _contiguous(leader: str, directory: bytes, data: bytes, repairs: list[str]) -> _Layout | None:
    """The common case, checked with arithmetic on the directory alone: the entries are
    exactly the lengths and offsets the field terminators give, in order (else None,
    and :func:`_entries` reads the directory the careful way)."""
    entries = len(directory) // 12
    parts = data.split(FT)
    # Past 99,999 bytes a start has more than five digits and would alias the length.
    if not entries or len(parts) != entries + 1 or parts[-1] or len(data) > 99_999:
        return None
    del parts[-1]
    digits, tags = _directory_shape(entries)
    numbers = digits.unpack(directory)
    if not b"".join(numbers).isdigit():
        return None
    lengths = [len(p) + 1 for p in parts]
    # An entry's nine digits read as one number: length * 100,000 + start (the
    # running total has one more item, the end, which no entry holds).
    starts = accumulate(lengths, initial=0)
    written = [n * 100_000 + start for n, start in zip(lengths, starts, strict=False)]
    if list(map(int, numbers)) != written:
        return None
    return _Layout(leader, tags(directory.decode("latin-1")), parts, data, True, repairs)


_DIRECTORY_ENTRY = re.compile(r"(...)(\d{4})(\d{5})", re.DOTALL | re.ASCII)


def _entries(
    raw: bytes, leader: str, directory: str, base: int, data: bytes, repairs: list[str]
) -> _Layout:
    found = _DIRECTORY_ENTRY.findall(directory)
    if len(found) * 12 != len(directory):
        _explain_directory(directory)  # raises with the first bad entry
    if not found:
        if data:  # else its fields would be split out of the data with no tags to go with
            raise RecordError(
                f"the directory is empty but the data section holds {len(data)} bytes: "
                "its fields cannot be named"
            )
        return _Layout(leader, [], [], data, True, repairs)
    tag_t, len_t, start_t = zip(*found, strict=True)
    tags = list(tag_t)
    lengths = list(map(int, len_t))
    starts = list(map(int, start_t))
    parts = data.split(FT)
    if (
        len(parts) == len(tags) + 1
        and not parts[-1]
        and [n - 1 for n in lengths] == list(map(len, parts[:-1]))
        and starts == list(accumulate(lengths[:-1], initial=0))
    ):
        return _Layout(leader, tags, parts[:-1], data, True, repairs)
    try:
        fields = _fields_by_directory(raw, base, tags, lengths, starts, repairs)
    except RecordError as err:
        in_order = starts == sorted(starts) and (not starts or starts[-1] < len(data))
        if len(parts) == len(tags) + 1 and parts[-1] == b"" and in_order:
            repairs.append(
                f"directory offsets disagree with the field terminators ({err}); "
                "took the fields in order between terminators"
            )
            return _Layout(leader, tags, parts[:-1], data, True, repairs)
        raise RecordError("; ".join([*repairs, str(err)])) from None
    return _Layout(leader, tags, fields, data, False, repairs)


def _explain_directory(directory: str) -> None:
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        if not _DIRECTORY_ENTRY.fullmatch(entry):
            raise RecordError(
                f"directory entry {i // 12 + 1} (tag {entry[:3]!r}) has a non-numeric "
                f"length or start {entry[3:7]!r}/{entry[7:12]!r}"
            )


def _fields_by_directory(
    raw: bytes,
    base: int,
    tags: list[str],
    lengths: list[int],
    starts: list[int],
    repairs: list[str],
) -> list[bytes]:
    end_of_data = len(raw) - 1  # index of the record terminator
    fields: list[bytes] = []
    for tag, length, start in zip(tags, lengths, starts, strict=True):
        s = base + start
        if s + length > end_of_data + 1 or s > end_of_data:
            raise RecordError(f"directory entry {tag} points past the end of the record")
        if s != base and raw[s - 1] != _FT_INT:
            raise RecordError(f"directory entry {tag} starts inside another field (byte {start})")
        t = raw.find(FT, s, end_of_data)
        if t < 0:
            repairs.append(f"field {tag} has no field terminator")
            t = end_of_data
        elif t + 1 - s != length:
            if abs(t + 1 - s - length) != 1:
                raise RecordError(
                    f"directory entry {tag} says {length} bytes but its field "
                    f"terminator comes after {t + 1 - s}"
                )
            repairs.append(
                f"directory length of {tag} is {length}, off by one from its field terminator"
            )
        fields.append(raw[s:t])
    return fields


def parse(
    raw: bytes, *, dialect: Dialect | None = None, encoding: str | None = None, lazy: bool = True
) -> Parsed:
    """Parse one record (ending with the record terminator); raises :class:`RecordError`.

    The record is lazy (:meth:`Record.lazy`) when its text is decoded and every data
    field has its two indicators: every note a field could add is then already taken,
    so building its :class:`Field` later can change nothing. ``lazy=False`` is the
    reference the tests compare with: every field built now, and the directory read
    entry by entry (no :func:`_contiguous` shortcut).
    """
    if raw[-1:] != RT:
        raise RecordError("the record has no record terminator: it is truncated")
    layout = _structure(raw, quick=lazy)
    tags, fields = layout.tags, layout.fields

    def lookup(tag: str) -> bytes | None:
        # Most lookups miss (040, 100 in a MARC 21 record): a test is cheaper than a raise.
        return fields[tags.index(tag)] if tag in tags else None

    found = detect(layout.leader, tags, lookup, layout.data, dialect=dialect, encoding=encoding)
    repairs = layout.repairs
    repairs.extend(found.notes)
    if found.encoding == charsets.MARC8:
        out = _fields_marc8(tags, fields, repairs)
    else:
        texts = _decode_texts(layout, found.encoding, repairs)
        if lazy and _indicators_complete(tags, texts):
            record = Record.lazy(layout.leader, tags, texts)
            return Parsed(record, found.dialect, found.encoding, repairs)
        out = _fields_text(tags, texts, repairs)
    return Parsed(Record(layout.leader, out), found.dialect, found.encoding, repairs)


def _indicators_complete(tags: list[str], texts: list[str]) -> bool:
    # What _fields_text would repair: a data field whose text before the first
    # subfield delimiter is not exactly two characters.
    for tag, text in zip(tags, texts, strict=True):
        if (
            text.find("\x1f") != 2
            and tag not in CONTROL_TAGS
            and not (len(text) == 2 and "\x1f" not in text)
        ):
            return False
    return True


def _decode_texts(layout: _Layout, encoding: str, repairs: list[str]) -> list[str]:
    # A legacy charset carries what it cannot hold as &#xXXXX; (charsets.NCR).
    legacy = encoding != charsets.UTF8
    if layout.contiguous:
        try:
            data = layout.data.decode(encoding)
            return (charsets.unescape_ncr(data) if legacy else data).split("\x1e")[:-1]
        except UnicodeDecodeError:
            pass  # fall through: decode field by field to say which one is bad
    texts = []
    for tag, raw in zip(layout.tags, layout.fields, strict=True):
        text, notes = charsets.decode_field(raw, encoding)
        repairs.extend(f"field {tag}: {note}" for note in notes)
        texts.append(charsets.unescape_ncr(text) if legacy else text)
    return texts


def _fields_text(tags: list[str], texts: list[str], repairs: list[str]) -> list[Field]:
    # The hottest loop of an import: partition/split are C calls, and the
    # indicator check is one len() per field.
    out: list[Field] = []
    append = out.append
    for tag, text in zip(tags, texts, strict=True):
        if tag in CONTROL_TAGS:
            append(Field(tag, "  ", [], text))
            continue
        ind, _, rest = text.partition("\x1f")
        if len(ind) != 2:
            ind = _fix_indicators(tag, ind, repairs)
        append(Field(tag, ind, [(p[0], p[1:]) for p in rest.split("\x1f") if p]))
    return out


def _fix_indicators(tag: str, head: str, repairs: list[str]) -> str:
    if len(head) > 2:
        repairs.append(f"field {tag} has text {head[2:]!r} before its first subfield; dropped")
    else:
        repairs.append(f"field {tag} has {len(head)} indicator(s) instead of 2; padded with blanks")
    return (head + "  ")[:2]


def _fields_marc8(tags: list[str], fields: list[bytes], repairs: list[str]) -> list[Field]:
    # MARC-8 escapes are scoped: decode each subfield on its own, like every
    # MARC-8 implementation does, so a broken escape cannot spill into the next.
    out: list[Field] = []
    for tag, raw in zip(tags, fields, strict=True):
        if tag in CONTROL_TAGS:
            text, notes = charsets.decode_marc8(raw)
            repairs.extend(f"field {tag}: {n}" for n in notes)
            out.append(Field(tag, "  ", [], charsets.unescape_ncr(text)))
            continue
        head, *parts = raw.split(SD)
        ind = head.decode("latin-1")
        if len(ind) != 2:
            ind = _fix_indicators(tag, ind, repairs)
        subfields = []
        for p in parts:
            if not p:
                continue
            value, notes = charsets.decode_marc8(p[1:])
            repairs.extend(f"field {tag} ${p[:1].decode('latin-1')}: {n}" for n in notes)
            subfields.append((p[:1].decode("latin-1"), charsets.unescape_ncr(value)))
        out.append(Field(tag, ind, subfields))
    return out


# --------------------------------------------------------------------------- writing


def _prepared_leader(record: Record, encoding: str, dialect: Dialect) -> str:
    leader = (record.leader + " " * LEADER_LENGTH)[:LEADER_LENGTH]
    if dialect is Dialect.UNIMARC:
        # UNIMARC keeps leader/09 undefined and its implementation code '450 '.
        return leader[:10] + "22" + leader[12:20] + "450 "
    flag = "a" if encoding == charsets.UTF8 else " "
    return leader[:9] + flag + "22" + leader[12:20] + "4500"


def _unimarc_100(field: Field, encoding: str) -> Field:
    # 100 $a/26-33: G0..G3 character sets. '50' = ISO 10646 (UTF-8). For GB 18030
    # we write '20' (read back as Chinese GB by detection rule U3); for EUC-KR
    # there is no UNIMARC code, so the positions go blank and rule U5 applies.
    # A stale '50' must never survive a non-UTF-8 write: readers trust it.
    if encoding == charsets.UTF8:
        sets = "50      "
    elif encoding == charsets.GB18030:
        sets = "20      "
    else:
        sets = "        "
    subs = []
    for code, value in field.subfields:
        if code == "a" and len(value) >= 26:
            value = value[:26] + sets + value[34:]
        subs.append((code, value))
    return Field(field.tag, field.indicators, subs)


def encode(
    record: Record,
    *,
    encoding: str = "utf-8",
    dialect: Dialect | None = None,
    errors: str = "strict",
) -> bytes:
    """Serialise to ISO 2709, computing every length in bytes of ``encoding``.

    Sets leader/00-04, 10-11, 12-16 and 20-23; for MARC 21 and KORMARC leader/09
    becomes ``a`` for UTF-8 (blank otherwise: KS X 1001 in KORMARC); for UNIMARC
    written as UTF-8, 100 $a/26-33 becomes ``50`` plus blanks.
    Raises ``UnicodeEncodeError`` when the text does not fit the charset (unless
    ``errors=charsets.NCR``: such characters become ``&#xXXXX;``) and
    :class:`RecordTooLongError` past the format's limits.
    """
    enc = charsets.canonical(encoding)
    kind = dialect if dialect is not None else dialect_of_record(record)
    # A stored control character would otherwise split a field (0x1E) or a record (0x1D).
    record = repair(record, kind)[0]
    directory: list[bytes] = []
    bodies: list[bytes] = []
    pos = 0
    for f in record.fields:
        if kind is Dialect.UNIMARC and f.tag == "100" and f.data is None:
            f = _unimarc_100(f, enc)
        text = f.data if f.data is not None else _field_text(f)
        body = charsets.encode_text(text, enc, errors) + FT
        if len(body) > MAX_FIELD_BYTES:
            raise RecordTooLongError(f"field {f.tag} is {len(body)} bytes; ISO 2709 allows 9999")
        tag = f.tag.encode("ascii")
        if len(tag) != 3:
            raise ValueError(f"tag {f.tag!r} is not three characters")
        directory.append(b"%s%04d%05d" % (tag, len(body), pos))
        bodies.append(body)
        pos += len(body)
    base = LEADER_LENGTH + 12 * len(directory) + 1
    total = base + pos + 1
    if total > MAX_RECORD_BYTES:
        raise RecordTooLongError(f"record is {total} bytes; ISO 2709 allows 99999")
    leader = _prepared_leader(record, enc, kind)
    head = f"{total:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("ascii", errors="replace")
    return b"".join([head, *directory, FT, *bodies, RT])


def _field_text(f: Field) -> str:
    return f.indicators + "".join("\x1f" + code + value for code, value in f.subfields)
