"""The field definitions :mod:`shelfwise.marc.lint` checks records against, per dialect.

Written as one line per tag, the way the standards' summary pages list them:

    ``"245 N 01 0-9 a b c f g h k* n* p* s 6 8*"``

tag · ``R`` repeatable or ``N`` not · the first and second indicators' allowed values
(``#`` blank, ``0-9`` a range, ``*`` anything) · the subfield codes, ``*`` after a code
when it may repeat. Control fields (``00X``) have no indicators or subfields: only the
tag and ``R``/``N``.

Sources: *MARC 21 Format for Bibliographic Data* (Library of Congress, the field list
and each field's page), *KORMARC 통합서지용* (KS X 6006-0, where it adds to MARC 21:
020 $g, 049, 052, 056, 085), *UNIMARC Manual: Bibliographic Format* (IFLA, 3rd ed.)
with the Chinese profile's additions (*CNMARC 格式使用手册*: 091, 690, 692, 694, 905).
Tags a library uses for itself (``9XX``, and ``X9X`` in MARC 21) are not checked.
The tables hold the fields catalogues use; a tag not in them is reported as unknown
(a warning, as MARC::Lint does), never refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.marc.description import Dialect


@dataclass(frozen=True, slots=True)
class TagRule:
    tag: str
    repeatable: bool
    ind1: frozenset[str]  # empty: any value
    ind2: frozenset[str]
    codes: frozenset[str]  # empty: any subfield
    repeatable_codes: frozenset[str]


_MARC21_CONTROL = "001 N|003 N|005 N|006 R|007 R|008 N"
_MARC21 = """
010 N # # a b* z* 8*
013 R # # a b c d* e* f* 6 8*
015 R # # a* q* z* 2 6 8*
016 R #7 # a z* 2 8*
017 R # #8 a* b d i z* 2 6 8*
020 R # # a c q* z* 6 8*
022 R #01 # a l m* y* z* 2 6 8*
024 R 0-478 #01 a c d q* z* 2 6 8*
028 R 0-6 0-3 a b q* 6 8*
035 R # # a z* 6 8*
040 N # # a b c d* e* 6 8*
041 R #01 #7 a* b* d* e* f* g* h* i* j* k* m* n* p* q* r* t* 2 3 6 8*
042 N # # a*
043 N # # a* b* c* 0* 1* 2* 6 8*
044 N # # a* b* c* 2* 6 8*
050 R #01 04 a* b 0* 1* 3 6 8*
060 R #01 04 a* b 0* 1* 8*
072 R # 07 a x* 2 6 8*
080 R #01 # a b x* 0* 1* 2 6 8*
082 R 017 #04 a* b m q 2 6 8*
084 R # # a* b q 2 6 8* 0* 1*
100 N 013 # a b c* d e* f g j* k* l n* p* q t u 0* 1* 2 4* 6 8*
110 N 012 # a b* c* d* e* f g k* l n* p* t u 0* 1* 4* 6 8*
111 N 012 # a c* d* e* f g j* k* l n* p* q t u 0* 1* 4* 6 8*
130 N 0-9 # a d* f g h k* l m* n* o p* r s t 0* 1* 6 8*
210 R 01 #0 a b 2* 6 8*
222 R # 0-9 a b 6 8*
240 N 01 0-9 a d* f g h k* l m* n* o p* r s 0* 1* 6 8*
242 R 01 0-9 a b c h n* p* y 6 8*
245 N 01 0-9 a b c f g h k* n* p* s 6 8*
246 R 0-3 #0-8 a b f g h i n* p* 5 6 8*
247 R 01 01 a b f g h n* p* x 6 8*
250 R # # a b 3 6 8*
255 R # # a b c d e f g 6 8*
256 N # # a 6 8*
260 R #23 # a* b* c* e* f* g* 3 6 8*
263 N # # a 6 8*
264 R #23 0-4 a* b* c* 3 6 8*
300 R # # a* b c* e f* g* 3 6 8*
310 N # # a b 6 8*
321 R # # a b 6 8*
336 R # # a* b* 0* 1* 2 3 6 8*
337 R # # a* b* 0* 1* 2 3 6 8*
338 R # # a* b* 0* 1* 2 3 6 8*
340 R # # a* b* c* d* e* f* g* h* i* j* k* m* n* o* 0* 1* 2 3 6 8*
362 R 01 # a z 6 8*
490 R 01 # a* l* v* x* y* 3 6 8*
500 R # # a 3 5 6 8*
502 R # # a b c d g* o* 6 8*
504 R # # a b 6 8*
505 R 0128 #0 a g* r* t* u* 6 8*
506 R #01 # a b* c* d* e* f* g* q u* 2 3 5 6 8*
520 R #0-48 # a b c 2 3 u* 6 8*
521 R #0-48 # a* b 3 6 8*
530 R # # a b c d u* 3 6 8*
538 R # # a i u* 3 5 6 8*
546 R # # a b* 3 6 8*
586 R #8 # a 3 6 8*
588 R #01 # a 5 6 8*
600 R 013 0-7 a b c* d e* f g h j* k* l m* n* o p* q r s t u v* x* y* z* 0* 1* 2 3 4* 6 8*
610 R 012 0-7 a b* c* d* e* f g h k* l m* n* o p* r s t u v* x* y* z* 0* 1* 2 3 4* 6 8*
611 R 012 0-7 a c* d* e* f g h j* k* l n* p* q s t u v* x* y* z* 0* 1* 2 3 4* 6 8*
630 R 0-9 0-7 a d* e* f g h k* l m* n* o p* r s t v* x* y* z* 0* 1* 2 3 4* 6 8*
648 R # 0-7 a v* x* y* z* 0* 1* 2 3 6 8*
650 R #012 0-7 a b c d e* g* v* x* y* z* 0* 1* 2 3 4* 6 8*
651 R # 0-7 a e* g* v* x* y* z* 0* 1* 2 3 4* 6 8*
653 R #012 #0-6 a* 6 8*
655 R #0 0-7 a b c v* x* y* z* 0* 1* 2 3 5 6 8*
700 R 013 #2 a b c* d e* f g h i* j* k* l m* n* o p* q r s t u x 0* 1* 2 3 4* 5 6 8*
710 R 012 #2 a b* c* d* e* f g h i* k* l m* n* o p* r s t u x 0* 1* 3 4* 5 6 8*
711 R 012 #2 a c* d* e* f g h i* j* k* l n* p* q s t u x 0* 1* 3 4* 5 6 8*
720 R #12 # a e* 4* 6 8*
730 R 0-9 #2 a d* f g h i* k* l m* n* o p* r s t x 0* 1* 3 5 6 8*
740 R 0-9 #2 a h n* p* 5 6 8*
765 R 01 #8 a b c d g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
775 R 01 #8 a b c d e f g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
776 R 01 #8 a b c d g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
780 R 01 0-7 a b c d g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
785 R 01 0-8 a b c d g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
787 R 01 #8 a b c d g* h i* k* m n* o* r* s t u w* x y z* 4* 6 7 8*
800 R 013 # a b c* d e* f g h j* k* l m* n* o p* q r s t u v w* x 0* 1* 3 4* 5 6 7 8*
810 R 012 # a b* c* d* e* f g h k* l m* n* o p* r s t u v w* x 0* 1* 3 4* 5 6 7 8*
811 R 012 # a c* d* e* f g h j* k* l n* p* q s t u v w* x 0* 1* 3 4* 5 6 7 8*
830 R # 0-9 a d* f g h k* l m* n* o p* r s t v w* x 0* 1* 3 5 6 7 8*
850 R # # a* 8*
852 R #0-8 #0-2 a b* c* d* e* f* g* h i* j k* l m* n p q s* t u* x* z* 2 3 6 8*
856 R #0-47 #0-28 a* b* c* d* f* h i* j k l m* n o p q r s* t* u* v* w* x* y* z* 2 3 6 7 8*
880 R * * *
886 R 012 # a b* 2 6 8*
887 R # # a 2
"""

# KORMARC keeps MARC 21's fields and adds its own (KS X 6006-0): 020 $g (부가기호), 245 $d
# and $e (first and further statements of responsibility), subject second indicator 8
# (the National Library of Korea's headings), 049 holdings (written once per copy by the
# systems Korean records come from, so taken as repeatable), 052, 056 KDC, 085.
_KORMARC_EXTRA = """
020 R #1 # a c g q* z* 6 8*
049 R 01 # l* c* v* f* 6 8*
245 N 01 0-9 a b c d e* f g h k* n* p* s x 6 8*
600 R 013 0-8 a b c* d e* f g h j* k* l m* n* o p* q r s t u v* x* y* z* 0* 1* 2 3 4* 6 8*
650 R #012 0-8 a b c d e* g* v* x* y* z* 0* 1* 2 3 4* 6 8*
651 R # 0-8 a e* g* v* x* y* z* 0* 1* 2 3 4* 6 8*
052 R # # a b c 6 8*
056 R # #0 a b 2 6 8*
085 R # # a b c 2 6 8*
"""

_UNIMARC_CONTROL = "001 N|003 N|005 N"
_UNIMARC = """
010 R # # a b d z*
011 R # # a b d f y* z*
013 R # # a b d z*
020 R # # a b z*
021 R # # a b z*
035 R # # a z*
071 R 0-6 01 a b c d z*
091 R # # a b d z*
100 N # # a
101 N 012 # a* b* c* d* e* f* g* h* i* j* 2
102 N # # a* b* c* 2
105 N # # a
106 N # # a
110 N # # a
115 R # # a b
135 R # # a
181 R #01 # a* b* c* 2 6 8*
182 R # # a* c 6 8*
200 N 01 # a* b* c* d* e* f* g* h* i* v z* 5
204 N # # a
205 R # # a b* d* f g*
206 R # # a
207 N #0 01 a* z*
210 R #01 #1 a* b* c* d* e* f* g* h*
214 R # 0-4 a* b* c* d* r* s* 6 8*
215 R # # a* c d* e*
225 R 012 # a d* e* f* h* i* v* x* z*
300 R # # a
301 R # # a
302 R # # a
303 R # # a
304 R # # a
305 R # # a
306 R # # a
307 R # # a
308 R # # a
310 R # # a
311 R # # a
312 R # # a
313 R # # a
314 R # # a
315 R # # a
316 R # # a 5
317 R # # a 5
320 R # # a
321 R # # a b c x
327 R 012 #01 a* b* c* d* e* f* g* h* i* z*
330 R # # a
333 R # # a
336 R # # a
337 R # # a
345 R # # a* b* c* d*
410 R # 01 *
411 R # 01 *
421 R # 01 *
422 R # 01 *
423 R # 01 *
430 R # 01 *
440 R # 01 *
451 R # 01 *
452 R # 01 *
454 R # 01 *
461 R # 01 *
462 R # 01 *
463 R # 01 *
464 R # 01 *
488 R # 01 *
500 R 01 01 a b h* i* j k l m n* q r* s* u v w 2 3
501 R 012 # a b* e* j k m r* s* u* w* 3
510 R 01 # a e* h* i* j n z
512 R 01 # a e* h* i* j n z
513 R 01 # a e* h* i* j n z
514 R 01 # a e* h* i* j n z
515 R 01 # a e* h* i* j n z
516 R 01 # a e* h* i* j n z
517 R 01 # a e* h* i* j n z
518 R 01 # a e* h* i* j n z
520 R 01 # a e* h* i* j n x* z
530 R 01 # a b j v
531 R # # a b v
532 R 01 # a z
540 R 01 # a
541 R 01 # a e* h* i* z
545 R # # a
600 R # 012 a b c* d f g p 3 j* x* y* z* 2 4*
601 R 012 012 a b* c* d e f g h j* x* y* z* 2 3 4*
602 R # # a f j* x* y* z* 2 3
604 R # # 1*
605 R # # a h* i* j* k l m n* q r* s* u w x* y* z* 2 3
606 R #012 # a j* x* y* z* 2 3
607 R # # a j* x* y* z* 2 3
608 R # # a j* x* y* z* 2 3 5
610 R #012 # a* 3
615 R # # a* m* n* x* 2 3
620 R # # a b c d e* f* g* h* i* 3
660 R # # a
661 R # # a
670 R # # b c e* z
675 R # # a* v z 3
676 R # # a* v z 3
680 R # # a b 3
686 R # # a* b* c* v z 2 3
690 R # # a v
692 R # # a v
694 R # # a v
700 N # 01 a b c* d f g p 3 4* o
701 R # 01 a b c* d f g p 3 4* o
702 R # 01 a b c* d f g p 3 4* 5* o
710 N 01 0-2 a b* c* d* e* f* g h* p 3 4* o
711 R 01 0-2 a b* c* d* e* f* g h* p 3 4* o
712 R 01 0-2 a b* c* d* e* f* g h* p 3 4* 5* o
716 R # # a c* f 3 4*
720 N # # a f 3 4* o
721 R # # a f 3 4* o
722 R # # a f 3 4* 5* o
730 R # # a 4*
801 R # 0-3 a b c g* 2
802 N # # a
830 R # # a
856 R #0-47 #0-28 a* b* c* d* f* h i* j k l m* n o p q r s* t* u* v* w* x* y* z* 2 3 6 7 8*
"""


def _values(spec: str) -> frozenset[str]:
    """``#01`` → blank, 0, 1; ``0-9`` and ``#0-47`` → ranges; ``*`` → any (empty set)."""
    if spec == "*":
        return frozenset()
    out: set[str] = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.update(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
            continue
        out.add(" " if spec[i] == "#" else spec[i])
        i += 1
    return frozenset(out)


def _parse(table: str, control: str) -> dict[str, TagRule]:
    rules: dict[str, TagRule] = {}
    for part in control.split("|"):
        tag, rep = part.split()
        rules[tag] = TagRule(tag, rep == "R", frozenset(), frozenset(), frozenset(), frozenset())
    for line in table.strip().splitlines():
        tag, rep, ind1, ind2, *codes = line.split()
        anything = codes == ["*"]
        rules[tag] = TagRule(
            tag,
            rep == "R",
            _values(ind1),
            _values(ind2),
            frozenset() if anything else frozenset(c.rstrip("*") for c in codes),
            frozenset() if anything else frozenset(c[0] for c in codes if c.endswith("*")),
        )
    return rules


_MARC21_RULES = _parse(_MARC21, _MARC21_CONTROL)
TAGS: dict[Dialect, dict[str, TagRule]] = {
    Dialect.MARC21: _MARC21_RULES,
    Dialect.KORMARC: {**_MARC21_RULES, **_parse(_KORMARC_EXTRA, "001 N")},
    Dialect.UNIMARC: _parse(_UNIMARC, _UNIMARC_CONTROL),
}


# CNMARC gives many fields a $9 for the pinyin of their Chinese (200 $9, 701 $9...), in
# UNIMARC's own words "reserved for local use"; it is never reported.
LOCAL_CODES: dict[Dialect, frozenset[str]] = {
    Dialect.MARC21: frozenset(),
    Dialect.KORMARC: frozenset(),
    Dialect.UNIMARC: frozenset("9"),
}


def is_local(tag: str, dialect: Dialect) -> bool:
    """A tag the standard leaves to each library (not checked against the tables)."""
    if tag.startswith("9"):
        return True
    # MARC 21 and KORMARC also leave X9X (090, 590, 690...) local; UNIMARC defines 690.
    return dialect is not Dialect.UNIMARC and len(tag) == 3 and tag[1] == "9"
