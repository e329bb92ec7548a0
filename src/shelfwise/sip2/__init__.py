"""SIP2 (3M Standard Interchange Protocol 2.00) codec: pure functions, no I/O.

The server (a later door) frames messages off the socket and calls ``decode``
and ``encode``; everything else here is data and typed views of field values.
"""

from shelfwise.kiosks.charsets import SUPPORTED_ENCODINGS, representable, resolve_encoding
from shelfwise.sip2.checksum import checksum, verifies
from shelfwise.sip2.codec import MAX_MESSAGE_BYTES, decode, encode
from shelfwise.sip2.dates import BLANK_DATE, UNSUPPORTED_DATE, format_sip_date, parse_sip_date
from shelfwise.sip2.messages import (
    CATALOGUE,
    FIELD_NAMES,
    Direction,
    FixedField,
    FixedKind,
    MessageSpec,
    VarField,
    spec_for,
)
from shelfwise.sip2.model import (
    Decoded,
    DecodeError,
    DecodeFailure,
    DecodeResult,
    DecodeWarning,
    EncodeError,
    ErrorKind,
    Message,
)
from shelfwise.sip2.values import (
    DisplayKind,
    DisplayLine,
    ItemList,
    PatronCondition,
    PatronStatus,
    display_fields,
    display_lines,
    selected_list,
    summary_for,
    supported_messages,
    supported_messages_field,
)

__all__ = [
    "BLANK_DATE",
    "CATALOGUE",
    "FIELD_NAMES",
    "MAX_MESSAGE_BYTES",
    "SUPPORTED_ENCODINGS",
    "UNSUPPORTED_DATE",
    "DecodeError",
    "DecodeFailure",
    "DecodeResult",
    "DecodeWarning",
    "Decoded",
    "Direction",
    "DisplayKind",
    "DisplayLine",
    "EncodeError",
    "ErrorKind",
    "FixedField",
    "FixedKind",
    "ItemList",
    "Message",
    "MessageSpec",
    "PatronCondition",
    "PatronStatus",
    "VarField",
    "checksum",
    "decode",
    "display_fields",
    "display_lines",
    "encode",
    "format_sip_date",
    "parse_sip_date",
    "representable",
    "resolve_encoding",
    "selected_list",
    "spec_for",
    "summary_for",
    "supported_messages",
    "supported_messages_field",
    "verifies",
]
