"""The SIP2 v2.00 message and field catalogue, as data.

Everything the codec knows about a message (its fixed fields in order, the
ID'd fields it may carry) is declared here, once, from the SIP2 2.00 Guide's
message definitions and code tables. The codec, the support table in
``docs/sip2.md`` and the tests all read these tables,
so a message is described in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    """Who sends the message: the self-check unit (SC) or our server (ACS)."""

    SC_TO_ACS = "SC→ACS"
    ACS_TO_SC = "ACS→SC"


class FixedKind(StrEnum):
    """How a fixed (ID-less) field's characters are constrained."""

    FLAG = "flag"  # Y or N
    FLAG_OR_UNKNOWN = "flag-or-unknown"  # Y, N or U
    BIT = "bit"  # 0 or 1
    CHAR = "char"  # one character from ``choices`` (any printable one when empty)
    DATE = "date"  # 18-char YYYYMMDDZZZZHHMMSS, or 18 blanks, or 18 zeros
    NUMBER = "number"  # exactly ``length`` digits
    COUNT = "count"  # ``length`` digits, or ``length`` blanks when unsupported
    CURRENCY = "currency"  # 3 upper-case letters (ISO 4217)
    VERSION = "version"  # d.dd
    PATRON_STATUS = "patron-status"  # 14 characters, each Y or blank
    SUMMARY = "summary"  # 10 characters, each Y or blank


@dataclass(frozen=True)
class FixedField:
    key: str
    label: str
    length: int
    kind: FixedKind
    choices: str = ""


@dataclass(frozen=True)
class VarField:
    """An ID'd field as one message declares it."""

    fid: str
    required: bool
    repeatable: bool = False


@dataclass(frozen=True)
class MessageSpec:
    command: str
    name: str
    direction: Direction
    fixed: tuple[FixedField, ...]
    fields: tuple[VarField, ...]
    # The command that answers this one (None for responses, and for 97/96 whose
    # answer is a retransmission rather than a fixed reply).
    response: str | None = None

    @property
    def fixed_length(self) -> int:
        return sum(f.length for f in self.fixed)

    def field(self, fid: str) -> VarField | None:
        for declared in self.fields:
            if declared.fid == fid:
                return declared
        return None


# Names of every ID'd field in the 2.00 Guide (``docs/sip2.md``, Fields). AY/AZ belong to
# the error-detection tail and never appear in a field list.
FIELD_NAMES: dict[str, str] = {
    "AA": "patron identifier",
    "AB": "item identifier",
    "AC": "terminal password",
    "AD": "patron password",
    "AE": "personal name",
    "AF": "screen message",
    "AG": "print line",
    "AH": "due date",
    "AJ": "title identifier",
    "AL": "blocked card msg",
    "AM": "library name",
    "AN": "terminal location",
    "AO": "institution id",
    "AP": "current location",
    "AQ": "permanent location",
    "AS": "hold items",
    "AT": "overdue items",
    "AU": "charged items",
    "AV": "fine items",
    "AY": "sequence number",
    "AZ": "checksum",
    "BD": "home address",
    "BE": "e-mail address",
    "BF": "home phone number",
    "BG": "owner",
    "BH": "currency type",
    "BI": "cancel",
    "BK": "transaction id",
    "BL": "valid patron",
    "BM": "renewed items",
    "BN": "unrenewed items",
    "BO": "fee acknowledged",
    "BP": "start item",
    "BQ": "end item",
    "BR": "queue position",
    "BS": "pickup location",
    "BT": "fee type",
    "BU": "recall items",
    "BV": "fee amount",
    "BW": "expiration date",
    "BX": "supported messages",
    "BY": "hold type",
    "BZ": "hold items limit",
    "CA": "overdue items limit",
    "CB": "charged items limit",
    "CC": "fee limit",
    "CD": "unavailable hold items",
    "CF": "hold queue length",
    "CG": "fee identifier",
    "CH": "item properties",
    "CI": "security inhibit",
    "CJ": "recall date",
    "CK": "media type",
    "CL": "sort bin",
    "CM": "hold pickup date",
    "CN": "login user id",
    "CO": "login password",
    "CP": "location code",
    "CQ": "valid patron password",
}

# ID'd fields whose value has a fixed length in every message that carries them.
FIELD_LENGTHS: dict[str, int] = {
    "BL": 1, "CQ": 1, "CI": 1, "BO": 1, "BI": 1, "BY": 1,
    "BT": 2,
    "BH": 3, "CK": 3,
    "BZ": 4, "CA": 4, "CB": 4,
    "BW": 18, "CJ": 18, "CM": 18,
}  # fmt: skip

# ID'd fields that carry an 18-character SIP date (AH due date is free-format).
DATE_FIELDS = frozenset({"BW", "CJ", "CM"})

# Screen message and print line: display text, the only fields where an
# unrepresentable character may become '?' and a '|' or CR may become a space.
DISPLAY_FIELDS = frozenset({"AF", "AG"})

# The patron item lists of a 64, in summary-position order (the Guide's 63 summary).
ITEM_LIST_FIELDS = ("AS", "AT", "AU", "AV", "BU", "CD")

MAX_FIELD_CHARS = 255


def _f(key: str, length: int, kind: FixedKind, choices: str = "") -> FixedField:
    return FixedField(key, key.replace("_", " "), length, kind, choices)


def _r(*fids: str) -> tuple[VarField, ...]:
    return tuple(VarField(fid, required=True) for fid in fids)


def _o(*fids: str) -> tuple[VarField, ...]:
    return tuple(VarField(fid, required=False) for fid in fids)


def _rep(*fids: str) -> tuple[VarField, ...]:
    return tuple(VarField(fid, required=False, repeatable=True) for fid in fids)


K = FixedKind
TD = _f("transaction_date", 18, K.DATE)
LANGUAGE = _f("language", 3, K.NUMBER)
PATRON_STATUS = _f("patron_status", 14, K.PATRON_STATUS)
OK_BIT = _f("ok", 1, K.BIT)
# Every ACS response except 94 and 96 may carry screen messages and print lines.
DISPLAY = _rep("AF", "AG")

# 12 and 30 are identical (the Guide's 30 Renew Response is the 12's layout).
_CHECKOUT_RESPONSE_FIXED = (
    OK_BIT,
    _f("renewal_ok", 1, K.FLAG),
    _f("magnetic_media", 1, K.FLAG_OR_UNKNOWN),
    _f("desensitize", 1, K.FLAG_OR_UNKNOWN),
    TD,
)
_CHECKOUT_RESPONSE_FIELDS = (
    *_r("AO", "AA", "AB", "AJ", "AH"),
    *_o("BT", "CI", "BH", "BV", "CK", "CH", "BK"),
    *DISPLAY,
)
_SC, _ACS = Direction.SC_TO_ACS, Direction.ACS_TO_SC

_SPECS: tuple[MessageSpec, ...] = (
    MessageSpec(
        "93", "Login", _SC,
        (_f("uid_algorithm", 1, K.CHAR), _f("pwd_algorithm", 1, K.CHAR)),
        (*_r("CN", "CO"), *_o("CP")),
        response="94",
    ),
    MessageSpec("94", "Login Response", _ACS, (OK_BIT,), ()),
    MessageSpec(
        "99", "SC Status", _SC,
        (
            _f("status_code", 1, K.CHAR, "012"),
            _f("max_print_width", 3, K.NUMBER),
            _f("protocol_version", 4, K.VERSION),
        ),
        (),
        response="98",
    ),
    MessageSpec(
        "98", "ACS Status", _ACS,
        (
            _f("online_status", 1, K.FLAG),
            _f("checkin_ok", 1, K.FLAG),
            _f("checkout_ok", 1, K.FLAG),
            _f("acs_renewal_policy", 1, K.FLAG),
            _f("status_update_ok", 1, K.FLAG),
            _f("offline_ok", 1, K.FLAG),
            _f("timeout_period", 3, K.NUMBER),
            _f("retries_allowed", 3, K.NUMBER),
            _f("date_time_sync", 18, K.DATE),
            _f("protocol_version", 4, K.VERSION),
        ),
        (*_r("AO"), *_o("AM"), *_r("BX"), *_o("AN"), *DISPLAY),
    ),
    MessageSpec(
        "23", "Patron Status Request", _SC,
        (LANGUAGE, TD),
        _r("AO", "AA", "AC", "AD"),
        response="24",
    ),
    MessageSpec(
        "24", "Patron Status Response", _ACS,
        (PATRON_STATUS, LANGUAGE, TD),
        (*_r("AO", "AA", "AE"), *_o("BL", "CQ", "BH", "BV"), *DISPLAY),
    ),
    MessageSpec(
        "63", "Patron Information", _SC,
        (LANGUAGE, TD, _f("summary", 10, K.SUMMARY)),
        (*_r("AO", "AA"), *_o("AC", "AD", "BP", "BQ")),
        response="64",
    ),
    MessageSpec(
        "64", "Patron Information Response", _ACS,
        (
            PATRON_STATUS, LANGUAGE, TD,
            _f("hold_items_count", 4, K.COUNT),
            _f("overdue_items_count", 4, K.COUNT),
            _f("charged_items_count", 4, K.COUNT),
            _f("fine_items_count", 4, K.COUNT),
            _f("recall_items_count", 4, K.COUNT),
            _f("unavailable_holds_count", 4, K.COUNT),
        ),
        (
            *_r("AO", "AA", "AE"),
            *_o("BZ", "CA", "CB", "BL", "CQ", "BH", "BV", "CC"),
            *_rep(*ITEM_LIST_FIELDS),
            *_o("BD", "BE", "BF"),
            *DISPLAY,
        ),
    ),
    MessageSpec(
        "11", "Checkout", _SC,
        (
            _f("sc_renewal_policy", 1, K.FLAG),
            _f("no_block", 1, K.FLAG),
            TD,
            _f("nb_due_date", 18, K.DATE),
        ),
        (*_r("AO", "AA", "AB", "AC"), *_o("CH", "AD", "BO", "BI")),
        response="12",
    ),
    MessageSpec(
        "12", "Checkout Response", _ACS, _CHECKOUT_RESPONSE_FIXED, _CHECKOUT_RESPONSE_FIELDS
    ),
    MessageSpec(
        "09", "Checkin", _SC,
        (_f("no_block", 1, K.FLAG), TD, _f("return_date", 18, K.DATE)),
        (*_r("AP", "AO", "AB", "AC"), *_o("CH", "BI")),
        response="10",
    ),
    MessageSpec(
        "10", "Checkin Response", _ACS,
        (
            OK_BIT,
            _f("resensitize", 1, K.FLAG),
            _f("magnetic_media", 1, K.FLAG_OR_UNKNOWN),
            _f("alert", 1, K.FLAG),
            TD,
        ),
        (*_r("AO", "AB", "AQ"), *_o("AJ", "CL", "AA", "CK", "CH"), *DISPLAY),
    ),
    MessageSpec(
        "17", "Item Information", _SC, (TD,), (*_r("AO", "AB"), *_o("AC")), response="18"
    ),
    MessageSpec(
        "18", "Item Information Response", _ACS,
        (
            _f("circulation_status", 2, K.NUMBER),
            _f("security_marker", 2, K.NUMBER),
            _f("fee_type", 2, K.NUMBER),
            TD,
        ),
        (
            *_o("CF", "AH", "CJ", "CM"),
            *_r("AB", "AJ"),
            *_o("BG", "BH", "BV", "CK", "AQ", "AP", "CH"),
            *DISPLAY,
        ),
    ),
    MessageSpec(
        "29", "Renew", _SC,
        (
            _f("third_party_allowed", 1, K.FLAG),
            _f("no_block", 1, K.FLAG),
            TD,
            _f("nb_due_date", 18, K.DATE),
        ),
        (*_r("AO", "AA"), *_o("AD", "AB", "AJ", "AC", "CH", "BO")),
        response="30",
    ),
    MessageSpec(
        "30", "Renew Response", _ACS, _CHECKOUT_RESPONSE_FIXED, _CHECKOUT_RESPONSE_FIELDS
    ),
    MessageSpec(
        "65", "Renew All", _SC, (TD,), (*_r("AO", "AA"), *_o("AD", "AC", "BO")), response="66"
    ),
    MessageSpec(
        "66", "Renew All Response", _ACS,
        (OK_BIT, _f("renewed_count", 4, K.NUMBER), _f("unrenewed_count", 4, K.NUMBER), TD),
        (*_r("AO"), *_rep("BM", "BN"), *DISPLAY),
    ),
    MessageSpec(
        "15", "Hold", _SC,
        (_f("hold_mode", 1, K.CHAR, "+-*"), TD),
        (*_o("BW", "BS", "BY"), *_r("AO", "AA"), *_o("AD", "AB", "AJ", "AC", "BO")),
        response="16",
    ),
    MessageSpec(
        "16", "Hold Response", _ACS,
        (OK_BIT, _f("available", 1, K.FLAG), TD),
        (*_o("BW", "BR", "BS"), *_r("AO", "AA"), *_o("AB", "AJ"), *DISPLAY),
    ),
    MessageSpec(
        "35", "End Patron Session", _SC,
        (TD,),
        (*_r("AO", "AA"), *_o("AC", "AD")),
        response="36",
    ),
    MessageSpec(
        "36", "End Session Response", _ACS,
        (_f("end_session", 1, K.FLAG), TD),
        (*_r("AO", "AA"), *DISPLAY),
    ),
    MessageSpec(
        "37", "Fee Paid", _SC,
        (
            TD,
            _f("fee_type", 2, K.NUMBER),
            _f("payment_type", 2, K.NUMBER),
            _f("currency_type", 3, K.CURRENCY),
        ),
        (*_r("BV", "AO", "AA"), *_o("AC", "AD", "CG", "BK")),
        response="38",
    ),
    MessageSpec(
        "38", "Fee Paid Response", _ACS,
        (_f("payment_accepted", 1, K.FLAG), TD),
        (*_r("AO", "AA"), *_o("BK"), *DISPLAY),
    ),
    MessageSpec(
        "19", "Item Status Update", _SC,
        (TD,),
        (*_r("AO", "AB"), *_o("AC"), *_r("CH")),
        response="20",
    ),
    MessageSpec(
        "20", "Item Status Update Response", _ACS,
        # '1' = stored; "any other value" = not stored, so any character is valid.
        (_f("item_properties_ok", 1, K.CHAR), TD),
        (*_r("AB"), *_o("AJ", "CH"), *DISPLAY),
    ),
    MessageSpec(
        "25", "Patron Enable", _SC,
        (TD,),
        (*_r("AO", "AA"), *_o("AC", "AD")),
        response="26",
    ),
    MessageSpec(
        "26", "Patron Enable Response", _ACS,
        (PATRON_STATUS, LANGUAGE, TD),
        (*_r("AO", "AA", "AE"), *_o("BL", "CQ"), *DISPLAY),
    ),
    MessageSpec(
        "01", "Block Patron", _SC,
        (_f("card_retained", 1, K.FLAG), TD),
        _r("AO", "AL", "AA", "AC"),
        response="24",
    ),
    MessageSpec("97", "Request ACS Resend", _SC, (), ()),
    MessageSpec("96", "Request SC Resend", _ACS, (), ()),
)  # fmt: skip

CATALOGUE: dict[str, MessageSpec] = {spec.command: spec for spec in _SPECS}

# 96 and 97 never carry a sequence number, even with error detection on (docs/sip2.md, Framing).
NO_SEQUENCE_COMMANDS = frozenset({"96", "97"})


def spec_for(command: str) -> MessageSpec | None:
    return CATALOGUE.get(command)
