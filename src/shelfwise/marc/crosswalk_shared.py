"""Pieces every crosswalk into MARC 21 shares: the title statement with its ISBD
punctuation, punctuation between subfields of the other descriptive fields,
ISBNs split into valid and invalid, and the 880 pairing of a romanised form.

MARC 21 keeps ISBD punctuation inside the subfields (leader/18 ``i``), and
MARC::Lint checks it in 245: ``$b`` after `` :``, `` ;`` or `` =``, ``$c`` after
`` /``, ``$n`` after ``.``, ``$p`` after ``,`` (following ``$n``) or ``.``, a
``$h`` in brackets with no space before it, and a full stop at the end. UNIMARC
and KORMARC keep the punctuation out of the data, so the crosswalks put it in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from shelfwise.core import isbn
from shelfwise.marc.mapping_rules import clean
from shelfwise.marc.record import Field

# Separator that ends the subfield *before* a subfield of this code, per tag.
SEPARATORS: dict[str, dict[str, str]] = {
    "250": {"b": " /"},
    "260": {"a": " ;", "b": " :", "c": ","},
    "264": {"a": " ;", "b": " :", "c": ","},
    "300": {"b": " :", "c": " ;", "e": " +"},
    "490": {"a": " ;", "v": " ;", "x": ","},
    "830": {"n": ".", "p": ".", "v": " ;", "x": ","},
}
# Full stop at the end of these fields (the ISBD area ends).
FINAL_STOP = frozenset({"245", "250", "260", "264"})


def punctuate(tag: str, subfields: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``subfields`` cleaned of their own trailing punctuation, with ISBD punctuation
    placed between them as MARC 21 expects for ``tag``."""
    values = [(code, clean(value)) for code, value in subfields]
    values = [(c, v) for c, v in values if v or c == "6"]
    seps = SEPARATORS.get(tag, {})
    out: list[tuple[str, str]] = []
    for index, (code, value) in enumerate(values):
        following = values[index + 1][0] if index + 1 < len(values) else None
        if code != "6" and following is not None:
            value += seps.get(following, "")
        out.append((code, value))
    if tag in FINAL_STOP:
        out = _final_stop(out)
    return out


def _final_stop(subfields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for index in range(len(subfields) - 1, -1, -1):
        code, value = subfields[index]
        if code in "68":
            continue
        if not value.endswith((".", "?", "!")):
            subfields[index] = (code, value + ".")
        elif value.endswith(("?", "!")):
            subfields[index] = (code, value + ".")  # LC practice: a period even then
        break
    return subfields


@dataclass(slots=True)
class TitleStatement:
    """The parts of a title statement, as a source format records them."""

    titles: list[str]  # the title proper (several: works without a collective title)
    parts: list[tuple[str, str]] = field(default_factory=list)  # ("n"|"p", value)
    material: str = ""  # general material designation, without brackets
    parallel: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # other title information
    responsibility: list[str] = field(default_factory=list)
    link: str = ""  # $6 linkage, when an 880 is paired with it


def title_statement(
    statement: TitleStatement, *, ind1: str, ind2: str = "0", tag: str = "245"
) -> Field:
    """A 245 (or its 880 twin) with the punctuation MARC::Lint checks."""
    pieces: list[tuple[str, str]] = []
    if statement.link:
        pieces.append(("6", statement.link))
    titles = [t for t in (clean(x) for x in statement.titles) if t]
    pieces.append(("a", " ; ".join(titles) or "[No title]"))
    for code, value in statement.parts:
        if clean(value):
            pieces.append((code, clean(value)))
    if clean(statement.material):
        pieces.append(("h", f"[{clean(statement.material).strip('[]')}]"))
    remainder = _remainder(statement)
    if remainder:
        pieces.append(("b", remainder))
    responsibility = " ; ".join(r for r in (clean(x) for x in statement.responsibility) if r)
    if responsibility:
        pieces.append(("c", responsibility))
    return Field(tag, ind1 + ind2, _title_punctuation(pieces, bool(statement.parallel)))


def _remainder(statement: TitleStatement) -> str:
    parallel = [p for p in (clean(x) for x in statement.parallel) if p]
    other = [o for o in (clean(x) for x in statement.other) if o]
    text = " = ".join(parallel)
    if other:
        text = (text + " : " if text else "") + " : ".join(other)
    return text


def _title_punctuation(pieces: list[tuple[str, str]], parallel: bool) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for index, (code, value) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else None
        if code != "6" and following is not None:
            value += _before(following, code, parallel)
        out.append((code, value))
    return _final_stop(out)


def _before(following: str, current: str, parallel: bool) -> str:
    if following == "b":
        return " =" if parallel else " :"
    if following == "c":
        return " /"
    if following == "n":
        return "."
    if following == "p":
        return "," if current == "n" else "."
    return ""  # $h: no space before the bracket


_ISBN_DIGITS = re.compile(r"(\d{13}|\d{9}[\dX])")


def isbn_subfields(values: Sequence[str], qualifier: str = "", price: str = "") -> list[Field]:
    """One 020 per ISBN: a valid one in ``$a`` as bare digits (qualifier ``$q``, price
    ``$c``), an invalid one in ``$z``, where MARC 21 keeps cancelled or invalid ISBNs."""
    out: list[Field] = []
    for raw in values:
        text = clean(raw)
        if not text:
            continue
        digits = _ISBN_DIGITS.match(re.sub(r"[\s-]", "", text).upper())
        if digits is not None and isbn.extract(text) is not None:
            subs = [("a", digits.group(1))]
            if clean(qualifier):
                subs.append(("q", clean(qualifier)))
        else:
            subs = [("z", text)]
        if clean(price) and not out:
            subs.append(("c", clean(price)))
        out.append(Field("020", "  ", subs))
    return out


class Linker:
    """Hands out ``$6`` occurrence numbers for 880 pairs (01, 02, ... per record)."""

    def __init__(self) -> None:
        self.count = 0

    def pair(self, regular: Field, romanised: list[tuple[str, str]]) -> Field:
        """Link ``regular`` to a new 880 holding ``romanised``; returns the 880."""
        self.count += 1
        occurrence = f"{self.count:02d}"
        regular.subfields.insert(0, ("6", f"880-{occurrence}"))
        return Field("880", regular.indicators, [("6", f"{regular.tag}-{occurrence}"), *romanised])


def in_tag_order(fields: list[Field]) -> list[Field]:
    """Control fields, then data fields by tag (stable), 880s last: MARC 21's usual order,
    which a converted record loses when a source field maps to a distant tag (049 → 852)."""

    def key(f: Field) -> tuple[int, str]:
        if f.tag == "880":
            return (2, "")
        return (0 if f.data is not None else 1, f.tag)

    return sorted(fields, key=key)
