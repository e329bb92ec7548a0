"""KORMARC (KS X 6006-0) → MARC 21: only where KORMARC differs, as a table of field rules.

KORMARC shares MARC 21's tags; the differences a MARC 21 reader trips on are:

=========================  ==========================================================
KORMARC                    MARC 21
=========================  ==========================================================
245 ``$d`` / ``$e``         ``$c`` (first statement, then others after " ; "), with
(responsibility)           the ISBD punctuation MARC 21 keeps in the data
245 ``$x`` parallel title   ``$b`` after " =", and a 246 31 for access
245 2nd indicator          not a non-filing count in KORMARC: written as 0
020 ``$g`` 부가기호         a 500 note "부가기호 NNNNN" (MARC 21 has no add-on code)
056 KDC                    084 ``$a`` ... ``$2 kdc``
052 NLK call number        099 (local call number; MARC 21 052 is a geographic code)
012 NLK control number     035 ``(NLK)...``
049 holdings               852 (``$l`` barcode → ``$p``, ``$f`` location → ``$c``,
                           ``$v`` volume and ``$c`` copy → ``$t``)
940 title as read          246 3# (varying form)
6XX 2nd indicator 8/9      4 (source not specified: KORMARC's national headings have
                           no MARC 21 code)
490 2nd indicator 0        blank (undefined in MARC 21)
005 14 digits              ``.0`` added (MARC 21 has tenths of a second)
leader/09 blank (KS X      ``a``: the record is Unicode once read
1001)
=========================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable

from shelfwise.marc.crosswalk_shared import (
    TitleStatement,
    in_tag_order,
    punctuate,
    title_statement,
)
from shelfwise.marc.mapping_rules import clean
from shelfwise.marc.record import Field, Record

_MARC21_SUBJECT_IND2 = "01234567"


def convert(source: Record) -> Record:
    leader = (source.leader + " " * 24)[:24]
    leader = leader[:9] + "a" + leader[10:]
    has_main = any(f.tag[:1] == "1" and f.data is None for f in source.fields)
    out: list[Field] = []
    for f in source.fields:
        rule = RULES.get(f.tag)
        if rule is None and f.tag[:1] == "6" and f.data is None:
            rule = _subject
        out += rule(f, has_main) if rule is not None else [f]
    return Record(leader, in_tag_order(out))


def _stamp(f: Field, _: bool) -> list[Field]:
    data = f.data or ""
    return [Field("005", data=data + ".0" if len(data) == 14 and data.isdigit() else data)]


def _isbn(f: Field, _: bool) -> list[Field]:
    kept = [(c, v) for c, v in f.subfields if c != "g"]
    out = [Field("020", f.indicators, kept)] if kept else []
    out += [Field("500", "  ", [("a", f"부가기호 {clean(v)}")]) for v in f.values("g") if clean(v)]
    return out


def _control_number(f: Field, _: bool) -> list[Field]:
    return [Field("035", "  ", [("a", f"(NLK){clean(v)}")]) for v in f.values("a") if clean(v)]


def _kdc(f: Field, _: bool) -> list[Field]:
    subs = [("a", clean(v)) for v in f.values("a") if clean(v)]
    return [Field("084", "  ", [*subs, ("2", "kdc")])] if subs else []


def _nlk_call_number(f: Field, _: bool) -> list[Field]:
    subs = [("a", clean(v)) for v in f.values("a", "b", "c") if clean(v)]
    return [Field("099", "  ", subs)] if subs else []


def _holdings(f: Field, _: bool) -> list[Field]:
    subs = [("c", clean(v)) for v in f.values("f") if clean(v)][:1]
    copy = " ".join(clean(v) for v in f.values("v", "c") if clean(v))
    if copy:
        subs.append(("t", copy))
    subs += [("p", clean(v)) for v in f.values("l") if clean(v)][:1]
    return [Field("852", "  ", subs)] if subs else []


def _title(f: Field, has_main: bool) -> list[Field]:
    statement = TitleStatement(
        titles=f.values("a"),
        parts=[(c, v) for c, v in f.subfields if c in "np"],
        material=f.first("h") or "",
        parallel=f.values("x"),
        other=f.values("b"),
        responsibility=f.values("d", "e", "c"),
    )
    link = f.first("6")
    statement.link = link or ""
    ind1 = f.indicators[:1] if f.indicators[:1] in "01" else ("1" if has_main else "0")
    out = [title_statement(statement, ind1=ind1 or "0")]
    out += [Field("246", "31", [("a", clean(v))]) for v in f.values("x") if clean(v)]
    return out


def _title_as_read(f: Field, _: bool) -> list[Field]:
    return [Field("246", "3 ", [("a", clean(v))]) for v in f.values("a") if clean(v)][:1]


def _series(f: Field, _: bool) -> list[Field]:
    return [Field("490", f.indicators[:1] + " ", punctuate("490", f.subfields))]


def _isbd(f: Field, _: bool) -> list[Field]:
    """Edition, imprint and extent with the ISBD punctuation MARC 21 keeps in the data."""
    return [Field(f.tag, f.indicators, punctuate(f.tag, f.subfields))]


def _subject(f: Field, _: bool) -> list[Field]:
    ind2 = f.indicators[1:2]
    if f.tag in ("600", "610", "611", "630", "650", "651", "655") and (
        ind2 not in _MARC21_SUBJECT_IND2 or not ind2
    ):
        ind2 = "4"
    return [Field(f.tag, f.indicators[:1] + ind2, f.subfields)]


def _linked_880(f: Field, has_main: bool) -> list[Field]:
    # An 880 carries its own tag's rules: the vernacular title needs the same repairs.
    link = f.first("6") or ""
    if link[:3] == "245":
        statement = TitleStatement(
            titles=f.values("a"),
            parts=[(c, v) for c, v in f.subfields if c in "np"],
            parallel=f.values("x"),
            other=f.values("b"),
            responsibility=f.values("d", "e", "c"),
            link=link,
        )
        ind1 = f.indicators[:1] if f.indicators[:1] in "01" else "0"
        return [title_statement(statement, ind1=ind1, tag="880")]
    return [f]


RULES: dict[str, Callable[[Field, bool], list[Field]]] = {
    "005": _stamp,
    "012": _control_number,
    "020": _isbn,
    "049": _holdings,
    "052": _nlk_call_number,
    "056": _kdc,
    "245": _title,
    "250": _isbd,
    "260": _isbd,
    "264": _isbd,
    "300": _isbd,
    "490": _series,
    "880": _linked_880,
    "940": _title_as_read,
}
