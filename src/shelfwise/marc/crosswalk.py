"""Any catalogued record as MARC 21: what every door that promises MARC 21 serves.

The catalogue keeps each record in the dialect it arrived in (CNMARC/UNIMARC,
KORMARC, MARC 21). OAI-PMH ``marc21``, SRU ``marcxml`` and the MARC 21 exports
call :func:`to_marc21`, which converts UNIMARC (``crosswalk_unimarc``) and
KORMARC (``crosswalk_kormarc``) and then makes the result, like every MARC 21
record, valid against the MARC 21 slim schema (``marc21_conformance``). The
conversion is a pure function of the stored record: nothing is written back.
"""

from __future__ import annotations

from shelfwise.marc import crosswalk_kormarc, crosswalk_unimarc
from shelfwise.marc.control_characters import repair
from shelfwise.marc.description import Dialect
from shelfwise.marc.marc21_conformance import conform
from shelfwise.marc.record import Record


def to_marc21(record: Record, dialect: Dialect | str) -> Record:
    """``record`` (catalogued in ``dialect``) as schema-valid MARC 21; never raises on a
    stored record."""
    kind = Dialect(dialect)
    clean = repair(record, kind)[0]
    if kind is Dialect.UNIMARC:
        converted = crosswalk_unimarc.convert(clean)
    elif kind is Dialect.KORMARC:
        converted = crosswalk_kormarc.convert(clean)
    else:
        converted = clean
    return conform(converted)
