"""Records that have broken catalogues elsewhere, built byte by byte for tests.

Each builder returns the bytes of a file as another system might send it:
control characters (issue 13 item 1), no title anywhere or only a fallback
title (item 6), text a legacy character set cannot hold (item 7), MARC-in-JSON
nested past any parser's recursion limit (item 9), holdings at branches that
do not exist (item 12); :func:`hostile_files` writes them all. Our own encoder repairs what it writes, so ISO 2709 is assembled
here by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FT = b"\x1e"
RT = b"\x1d"
SD = "\x1f"

# Every C0 control except ISO 2709's own three (0x1D record, 0x1E field, 0x1F
# subfield), which an ISO 2709 record cannot carry as data; MARC-in-JSON can.
C0_IN_ISO2709 = "".join(chr(c) for c in range(0x1D))
ALL_C0 = "".join(chr(c) for c in range(0x20))


def raw_iso2709(leader: str, fields: list[tuple[str, str]]) -> bytes:
    """One UTF-8 ISO 2709 record; a data field's text is indicators + ``\\x1f``-led subfields."""
    bodies = [text.encode("utf-8") + FT for _, text in fields]
    directory = b""
    pos = 0
    for (tag, _), body in zip(fields, bodies, strict=True):
        directory += tag.encode("ascii") + b"%04d%05d" % (len(body), pos)
        pos += len(body)
    base = 24 + len(directory) + 1
    total = base + pos + 1
    head = f"{total:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("latin-1")
    return head + directory + FT + b"".join(bodies) + RT


def subfields(*pairs: tuple[str, str], indicators: str = "  ") -> str:
    return indicators + "".join(SD + code + value for code, value in pairs)


def control_characters_iso2709(control: str = "c1", title: str = "Countries") -> bytes:
    """Every C0 control but the terminators in the leader, 001, 008, indicators and 245 $a."""
    f008 = ("880101s1990" + C0_IN_ISO2709)[:40].ljust(40, " ")
    leader = "00000nam a2200000" + "\x01\x07\x1b" + "4500"
    return raw_iso2709(
        leader,
        [
            ("001", control + "\x00\x1c"),
            ("008", f008),
            ("245", subfields(("a", title + C0_IN_ISO2709 + " of the world"), indicators="1\x01")),
            ("500", subfields(("a", "line one\r\nline two\tafter a tab"))),
        ],
    )


def control_characters_json(control: str = "j1") -> bytes:
    """MARC-in-JSON with every C0 control (terminators included) and a lone surrogate."""
    record = {
        "leader": "00000nam a2200000 a 4500",
        "fields": [
            {"001": control},
            {
                "245": {
                    "ind1": "1",
                    "ind2": "0",
                    "subfields": [{"a": "Countries" + ALL_C0 + "\ud800 in JSON"}, {"\x1f": "x"}],
                }
            },
        ],
    }
    return json.dumps(record).encode("ascii")  # \\u escapes: valid JSON text


def deeply_nested_json(depth: int = 100_000) -> bytes:
    """A MARC-in-JSON record whose one subfield value is nested ``depth`` arrays deep."""
    head = '{"leader": "00000nam a2200000 a 4500", "fields": [{"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": '
    return (head + "[" * depth + "]" * depth + "}]}}]}").encode("ascii")


def marc_in_json(leader: str, fields: list[tuple[str, Any]]) -> dict[str, Any]:
    """A MARC-in-JSON object: a control field's value is a str, a data field's is
    ``(indicators, [(code, value), ...])``."""
    out: list[dict[str, Any]] = []
    for tag, value in fields:
        if isinstance(value, str):
            out.append({tag: value})
        else:
            ind, subs = value
            out.append(
                {tag: {"ind1": ind[0], "ind2": ind[1], "subfields": [{c: v} for c, v in subs]}}
            )
    return {"leader": leader, "fields": out}


MARC21_LEADER = "00000nam a2200000 a 4500"
UNIMARC_LEADER = "00000nam0 2200000   450 "


def titles_iso2709() -> list[tuple[bytes, str | None]]:
    """Records whose title proper is missing or empty, as Open Library's test files have,
    each with the title the catalogue should show (None: no title anywhere, rejected)."""
    sf = subfields
    cases: list[tuple[str, list[tuple[str, str]], str | None]] = [
        ("m21", [("240", sf(("a", "Hamlet."), indicators="10"))], "Hamlet"),
        (
            "m21",
            [
                ("245", sf(("a", " /"), ("c", "by nobody."), indicators="10")),
                ("246", sf(("a", "Cover title :"), ("b", "ignored"), indicators="14")),
            ],
            "Cover title",
        ),
        (
            "m21",
            [("245", sf(indicators="10")), ("130", sf(("a", "Bible."), ("p", "Genesis.")))],
            "Bible. Genesis",
        ),
        ("m21", [("740", sf(("a", "Added title."), indicators="02"))], "Added title"),
        (
            "m21",
            [("100", sf(("a", "Nobody, A."), indicators="1 ")), ("500", sf(("a", "No title.")))],
            None,
        ),
        ("uni", [("500", sf(("a", "红楼梦"), indicators="10"))], "红楼梦"),
        (
            "uni",
            [
                ("200", sf(("a", ""), ("f", "某人著"), indicators="1 ")),
                ("517", sf(("a", "书脊题名"), indicators="1 ")),
            ],
            "书脊题名",
        ),
        ("uni", [("210", sf(("a", "北京"), ("c", "出版社"))), ("330", sf(("a", "提要")))], None),
        (
            "kor",
            [
                ("040", sf(("a", "NLK"))),
                ("245", sf(("d", "홍길동 지음"), indicators="00")),
                ("940", sf(("a", "이십일세기 한국사"), indicators="0 ")),
            ],
            "이십일세기 한국사",
        ),
    ]
    out: list[tuple[bytes, str | None]] = []
    for n, (kind, fields, title) in enumerate(cases, 1):
        control = [("001", f"title-{n}")]
        if kind == "uni":
            control.append(("100", sf(("a", "20240101d2024    em y0chiy50      ea"))))
            leader = UNIMARC_LEADER
        else:
            leader = MARC21_LEADER
        out.append((raw_iso2709(leader, control + fields), title))
    return out


def unmappable_iso2709() -> bytes:
    """Records with text EUC-KR cannot hold (simplified Chinese, ₩ U+20A9, ŏ), in each dialect."""
    sf = subfields
    return b"".join(
        [
            raw_iso2709(
                UNIMARC_LEADER,
                [
                    ("001", "unmappable-cn"),
                    ("100", sf(("a", "20240101d2024    em y0chiy50      ea"))),
                    (
                        "200",
                        sf(
                            ("a", "现代汉语词典"), ("9", "xian dai han yu ci dian"), indicators="1 "
                        ),
                    ),
                ],
            ),
            raw_iso2709(
                MARC21_LEADER,
                [
                    ("001", "unmappable-ko"),
                    ("020", sf(("a", "9788936433673"), ("c", "₩12000"))),
                    ("040", sf(("a", "NLK"))),
                    ("245", sf(("a", "조선족 력사"), ("d", "리광인 지음"), indicators="00")),
                ],
            ),
            raw_iso2709(
                MARC21_LEADER,
                [
                    ("001", "unmappable-en"),
                    ("245", sf(("a", "Chosŏn wangjo sillok."), indicators="10")),
                ],
            ),
        ]
    )


def unknown_branch_iso2709(branch: str = "NOPE") -> bytes:
    """A record whose holdings name a branch no library has (a typo): its copy is held back."""
    return raw_iso2709(
        MARC21_LEADER,
        [
            ("001", f"branch-{branch}"),
            ("245", subfields(("a", f"Held at {branch}."), indicators="00")),
            ("852", subfields(("b", branch), ("h", "I247.5"), ("p", f"HOSTILE-{branch}"))),
        ],
    )


def hostile_files(folder: Path) -> list[Path]:
    """One file per hostile kind, written to ``folder``: what a catalogue test seeds.

    Importing them all gives records with repaired control characters, records
    with fallback titles, two rejected records (no title anywhere), unmappable
    text for legacy exports, one nested-too-deep MARC-in-JSON reject, and one
    copy held back for an unknown branch.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "control.mrc": control_characters_iso2709("hostile-cc1")
        + control_characters_iso2709("hostile-cc2", "Countries atlas"),
        "control.json": control_characters_json("hostile-cc3"),
        "titles.mrc": b"".join(raw for raw, _ in titles_iso2709()),
        "unmappable.mrc": unmappable_iso2709(),
        "deep.json": deeply_nested_json(),
        "branch.mrc": unknown_branch_iso2709(),
    }
    out = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        out.append(path)
    return out
