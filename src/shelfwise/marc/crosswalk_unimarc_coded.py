"""UNIMARC coded data → MARC 21: the leader, 008 and 041, as tables.

Following the Library of Congress's UNIMARC to MARC 21 conversion
specifications (2001), in our words: the record label's codes are translated
position by position; 008 is assembled from 100 (dates, audience, government
publication), 101 (language), 102 (country) and, for language material, 105
(illustrations, literary form, biography). A position UNIMARC does not give
gets MARC 21's fill character ``|`` ("no attempt to code"), never a guess.
"""

from __future__ import annotations

from shelfwise.marc.record import Field, Record

# Record label (leader) positions, UNIMARC code → MARC 21 code.
RECORD_STATUS = {"c": "c", "d": "d", "n": "n", "o": "n", "p": "p"}
TYPE_OF_RECORD = {
    "a": "a",  # language material, printed
    "b": "t",  # language material, manuscript
    "c": "c",  # notated music, printed
    "d": "d",  # notated music, manuscript
    "e": "e",  # cartographic, printed
    "f": "f",  # cartographic, manuscript
    "g": "g",  # projected and video material
    "i": "i",  # sound recording, non-musical
    "j": "j",  # sound recording, musical
    "k": "k",  # two-dimensional graphics
    "l": "m",  # electronic resource → computer file
    "m": "o",  # multimedia → kit
    "r": "r",  # three-dimensional artefact
}
BIBLIOGRAPHIC_LEVEL = {"a": "a", "c": "c", "i": "i", "m": "m", "s": "s"}
# 17 encoding level: full; sublevel 1 (item not examined); 2 (prepublication); 3 (partial)
ENCODING_LEVEL = {" ": " ", "1": "1", "2": "8", "3": "7"}
# 18 descriptive cataloguing form: full ISBD, partial ISBD, non-ISBD. The crosswalk
# writes ISBD punctuation into the fields it builds, so ISBD records stay "i".
CATALOGUING_FORM = {" ": "i", "i": "i", "n": " "}

# 100 $a/8 type of publication date → 008/06 type of date.
TYPE_OF_DATE = {
    "a": "c",  # serial, currently published
    "b": "d",  # serial, ceased
    "c": "u",  # serial, status unknown
    "d": "s",  # monograph complete when issued, or within one year
    "e": "r",  # reproduction
    "f": "q",  # date uncertain
    "g": "m",  # published over several years
    "h": "t",  # publication and copyright dates
    "i": "p",  # release and production dates
    "j": "e",  # detailed date
    "k": "s",  # publication and printing dates: the publication date
    "u": "n",  # unknown
}
# 100 $a/17 target audience → 008/22 (books).
AUDIENCE = {"a": "j", "b": "a", "c": "b", "d": "c", "e": "d", "k": "e", "m": "e", "u": " "}
# 100 $a/20 government publication → 008/28.
GOVERNMENT = {
    "a": "f",  # national
    "b": "s",  # state or province
    "c": "c",  # county
    "d": "l",  # local
    "e": "i",  # multi-local
    "f": "i",  # intergovernmental → international intergovernmental
    "g": "z",
    "h": "o",  # level undetermined
    "u": "u",
    "y": " ",  # not a government publication
    "z": "z",
}
# 105 $a/0-3 illustration codes → 008/18-21 (books); most are the same letter.
ILLUSTRATIONS = {c: c for c in "abcdefghijklm"} | {"n": "o", "o": "p", "y": " ", " ": " "}
# 105 $a/11 literary form → 008/33.
LITERARY_FORM = {
    "a": "1",  # fiction
    "b": "d",  # drama
    "c": "e",  # essays
    "d": "h",  # humour, satire
    "e": "i",  # letters
    "f": "j",  # short stories
    "g": "p",  # poetry
    "h": "s",  # speeches
    "i": "|",  # libretto: no MARC 21 code
    "y": "0",  # not a literary text
    "z": "m",  # several forms
}
# 105 $a/12 biography → 008/34.
BIOGRAPHY = {"a": "a", "b": "b", "c": "c", "d": "d", "y": " "}
# 102 $a country (ISO 3166-1) → MARC country code (008/15-17), for the countries this
# library network's records come from and their usual trading partners; others "xx ".
COUNTRIES = {
    "CN": "cc ",
    "HK": "cc ",
    "MO": "cc ",
    "TW": "ch ",
    "KR": "ko ",
    "KP": "kn ",
    "JP": "ja ",
    "MN": "mp ",
    "RU": "ru ",
    "US": "xxu",
    "GB": "xxk",
    "CA": "xxc",
    "AU": "at ",
    "FR": "fr ",
    "DE": "gw ",
    "IT": "it ",
    "ES": "sp ",
    "SG": "si ",
}
# 101 indicator 1 → 041 indicator 1 (0: not a translation, 1: a translation or contains one).
TRANSLATION = {"0": "0", "1": "1", "2": "1"}
# 101 subfields → 041 subfields: text, intermediate, original, summary, contents page,
# libretto, accompanying material, subtitles. Title-page and title languages have no place.
LANGUAGE_CODES = {"a": "a", "b": "k", "c": "h", "d": "b", "e": "f", "h": "e", "i": "g", "j": "j"}


def leader(source: Record) -> str:
    lead = (source.leader + " " * 24)[:24]
    return (
        "00000"
        + RECORD_STATUS.get(lead[5], "n")
        + TYPE_OF_RECORD.get(lead[6], "a")
        + BIBLIOGRAPHIC_LEVEL.get(lead[7], "m")
        + " a2200000"
        + ENCODING_LEVEL.get(lead[17], "u")
        + CATALOGUING_FORM.get(lead[18], "u")
        + " 4500"
    )


def _date(text: str) -> str:
    """A UNIMARC four-character year → MARC 21: blanks inside a partly known year are 'u'."""
    text = (text + "    ")[:4]
    if not text.strip():
        return "    "
    return "".join(ch if ch.isdigit() else "u" for ch in text)


def fixed_length(source: Record, type_of_record: str) -> Field:
    """008 from 100, 101, 102 and 105 (see the module docstring)."""
    general = (next(iter(source.subfield_values("100", "a")), "") + " " * 36)[:36]
    entered = general[2:8] if general[:8].isdigit() else "||||||"
    kind = TYPE_OF_DATE.get(general[8], "|")
    date1 = _date(general[9:13])
    date2 = _date(general[13:17]) if kind not in "s|" else "    "
    countries = source.subfield_values("102", "a")
    country = COUNTRIES.get(countries[0].strip().upper(), "xx ") if countries else "xx "
    languages = source.subfield_values("101", "a")
    language = languages[0].strip().lower()[:3] if languages else ""
    language = language if len(language) == 3 and language.isalpha() else "und"
    modified = {"0": " ", "1": "x"}.get(general[21], " ")
    return Field(
        "008",
        data=f"{entered}{kind}{date1}{date2}{country}"
        + _material(source, type_of_record, general)
        + f"{language}{modified}d",
    )


def _material(source: Record, type_of_record: str, general: str) -> str:
    """008/18-34: coded for language material from 100 and 105, otherwise fill."""
    if type_of_record not in "at":
        return "|" * 17
    coded = (next(iter(source.subfield_values("105", "a")), "") + " " * 13)[:13]
    has_105 = bool(source.get("105"))
    ills = "".join(ILLUSTRATIONS.get(c, "|") for c in coded[:4]) if has_105 else "||||"
    audience = AUDIENCE.get(general[17], "|")
    government = GOVERNMENT.get(general[20], "|")
    literary = LITERARY_FORM.get(coded[11], "|") if has_105 else "|"
    biography = BIOGRAPHY.get(coded[12], "|") if has_105 else "|"
    # 18-21 ills, 22 audience, 23 form of item, 24-27 contents, 28 government,
    # 29 conference, 30 festschrift, 31 index, 32 undefined, 33 literary form, 34 biography
    return f"{ills}{audience}|||||{government}|||" + f" {literary}{biography}"


def languages(source: Record) -> list[Field]:
    """041 from each 101."""
    out = []
    for f in source.get_fields("101"):
        subs = [
            (LANGUAGE_CODES[code], value.strip().lower())
            for code, value in f.subfields
            if code in LANGUAGE_CODES and len(value.strip()) == 3 and value.strip().isalpha()
        ]
        if subs:
            out.append(Field("041", TRANSLATION.get(f.indicators[:1], "0") + " ", subs))
    return out
