"""The demo library network: one central library, district branches, a Korean-community
branch, unattended 24-hour reading rooms and street kiosks of an invented city in
north-east China.

The names are invented but follow local usage (总馆/分馆, 城市书房, 自助借还机) so that
the demo OPAC, the holdings facets and the SIP2 kiosks look like the real thing.
Location codes are unique across the whole network and start with their branch
code, so a holdings field that carries only a location (KORMARC 049 $f) still
names its branch.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.catalogue.models import LOCATION_KINDS as CATALOGUE_LOCATION_KINDS

BRANCH_KINDS = ("central", "branch", "unattended", "kiosk")
LOCATION_KINDS = CATALOGUE_LOCATION_KINDS


@dataclass(frozen=True)
class DemoBranch:
    code: str
    name_zh: str
    name_ko: str
    name_en: str
    kind: str  # "central" | "branch" | "unattended" | "kiosk"
    # (code, name_zh, kind) — kind is one of LOCATION_KINDS
    locations: tuple[tuple[str, str, str], ...] = ()


DEMO_BRANCHES: tuple[DemoBranch, ...] = (
    DemoBranch(
        "CEN",
        "市图书馆总馆",
        "시도서관 본관",
        "City Library (Central)",
        "central",
        (
            ("CEN-STK", "中文图书借阅区", "stacks"),
            ("CEN-FOR", "外文图书借阅区", "foreign"),
            ("CEN-KOR", "朝鲜文图书借阅区", "korean"),
            ("CEN-REF", "参考工具书阅览室", "reference"),
            ("CEN-PER", "报刊阅览室", "periodicals"),
            ("CEN-CHI", "少年儿童借阅区", "children"),
        ),
    ),
    DemoBranch(
        "CYQ",
        "朝阳区分馆",
        "조양구 분관",
        "Chaoyang District Branch",
        "branch",
        (
            ("CYQ-STK", "综合借阅区", "stacks"),
            ("CYQ-CHI", "儿童阅览区", "children"),
            ("CYQ-PER", "报刊区", "periodicals"),
        ),
    ),
    DemoBranch(
        "NGQ",
        "南关区分馆",
        "남관구 분관",
        "Nanguan District Branch",
        "branch",
        (
            ("NGQ-STK", "综合借阅区", "stacks"),
            ("NGQ-CHI", "亲子阅读区", "children"),
        ),
    ),
    DemoBranch(
        "XSL",
        "新松路朝鲜族社区分馆",
        "신송로 조선족사회구역 분관",
        "Xinsong Road Korean Community Branch",
        "branch",
        (
            ("XSL-KOR", "朝鲜文图书区", "korean"),
            ("XSL-STK", "中文图书区", "stacks"),
            ("XSL-CHI", "双语儿童绘本区", "children"),
        ),
    ),
    DemoBranch(
        "HPJ",
        "24小时城市书房(和平街)",
        "24시간 도시서재(화평가)",
        "24-hour City Reading Room (Heping Street)",
        "unattended",
        (("HPJ-24H", "自助阅览区", "24h"),),
    ),
    DemoBranch(
        "SLH",
        "24小时城市书房(松柳湖公园)",
        "24시간 도시서재(송류호공원)",
        "24-hour City Reading Room (Songliu Lake Park)",
        "unattended",
        (("SLH-24H", "自助阅览区", "24h"),),
    ),
    DemoBranch(
        "HCZ",
        "街道自助借还机(火车站)",
        "거리 자동대출반납기(기차역)",
        "Street Self-service Kiosk (Railway Station)",
        "kiosk",
        (("HCZ-KSK", "自助借还机书架", "kiosk-shelf"),),
    ),
    DemoBranch(
        "RMG",
        "街道自助借还机(人民广场)",
        "거리 자동대출반납기(인민광장)",
        "Street Self-service Kiosk (People's Square)",
        "kiosk",
        (("RMG-KSK", "自助借还机书架", "kiosk-shelf"),),
    ),
)


def branch_by_code(code: str) -> DemoBranch:
    """The demo branch with this code; ``KeyError`` when there is none."""
    for branch in DEMO_BRANCHES:
        if branch.code == code:
            return branch
    raise KeyError(code)


def _luhn_table(weight_first: bool) -> tuple[int, ...]:
    """Luhn contribution of every 3-digit group, the group's last digit doubled or not."""
    table = []
    for value in range(1000):
        total = 0
        for position, char in enumerate(reversed(f"{value:03d}")):
            d = int(char)
            if (position % 2 == 0) == weight_first:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        table.append(total)
    return tuple(table)


# A 9-digit payload is three groups; the rightmost digit of the payload is doubled,
# so groups 1 and 3 (from the right) double their last digit and group 2 does not.
_LUHN_ODD = _luhn_table(True)
_LUHN_EVEN = _luhn_table(False)


def barcode(serial: int) -> str:
    """``SW`` + 9-digit serial + Luhn check digit (the check used on library cards and
    most item barcodes, so a mistyped digit at the desk is caught)."""
    if not 0 <= serial < 1_000_000_000:
        raise ValueError(f"barcode serial out of range: {serial}")
    total = (
        _LUHN_ODD[serial // 1_000_000]
        + _LUHN_EVEN[serial // 1000 % 1000]
        + _LUHN_ODD[serial % 1000]
    )
    return f"SW{serial:09d}{(10 - total % 10) % 10}"


def luhn_check_digit(payload: str) -> str:
    """The Luhn check digit of a digit string, computed digit by digit (the reference
    that the table-driven :func:`barcode` is tested against)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        d = int(char)
        if position % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def barcode_is_valid(code: str) -> bool:
    """True for a well-formed ``SW`` barcode whose check digit matches."""
    if len(code) != 12 or not code.startswith("SW") or not code[2:].isdigit():
        return False
    return luhn_check_digit(code[2:11]) == code[11]


# Where new copies go, by the kind of book: (location code, weight). The central
# library gets the largest share; kiosks and 24-hour rooms get a popular selection.
SHELVING: dict[str, tuple[tuple[str, int], ...]] = {
    "zh": (
        ("CEN-STK", 8),
        ("CEN-REF", 1),
        ("CYQ-STK", 3),
        ("NGQ-STK", 3),
        ("XSL-STK", 1),
        ("HPJ-24H", 1),
        ("SLH-24H", 1),
        ("HCZ-KSK", 1),
        ("RMG-KSK", 1),
    ),
    "zh-children": (
        ("CEN-CHI", 6),
        ("CYQ-CHI", 3),
        ("NGQ-CHI", 3),
        ("XSL-CHI", 1),
        ("HPJ-24H", 1),
        ("HCZ-KSK", 1),
    ),
    "ko": (("CEN-KOR", 6), ("XSL-KOR", 5), ("HPJ-24H", 1)),
    "ko-children": (("CEN-KOR", 3), ("XSL-CHI", 3), ("CEN-CHI", 1)),
    "en": (("CEN-FOR", 8), ("HPJ-24H", 1), ("SLH-24H", 1)),
    "en-children": (("CEN-FOR", 4), ("CEN-CHI", 3), ("XSL-CHI", 1)),
}


def shelving_table(pool: str) -> tuple[tuple[str, str], ...]:
    """The pool expanded by weight into (branch code, location code) pairs, so that a
    uniform index picks a location with the pool's weights."""
    branch_of = {loc[0]: b.code for b in DEMO_BRANCHES for loc in b.locations}
    return tuple((branch_of[loc], loc) for loc, weight in SHELVING[pool] for _ in range(weight))
