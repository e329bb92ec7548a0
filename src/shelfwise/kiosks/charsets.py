"""Character sets a terminal may be configured with (``docs/sip2.md``, Character sets; S-10).

Nothing in SIP2 announces the character set; each terminal account says which
one its kiosk speaks. Every supported set is an ASCII superset, which the codec
relies on: command codes, field ids, ``|`` and the AY/AZ tail are single ASCII
bytes whatever the set. (GBK and GB18030 can still put 0x7C inside a
double-byte character, so the codec decodes before it splits on ``|``.)
"""

from __future__ import annotations

import codecs

# Our names for the supported sets, mapped to Python codec names.
SUPPORTED_ENCODINGS: dict[str, str] = {
    "utf-8": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gbk",
    "latin-1": "latin-1",
    "cp850": "cp850",
}

_ALIASES: dict[str, str] = {
    "utf8": "utf-8",
    "cp936": "gbk",
    "936": "gbk",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "latin1": "latin-1",
    "ibm850": "cp850",
    "850": "cp850",
}


def resolve_encoding(name: str) -> str:
    """The Python codec for a terminal's configured character set.

    Raises ``ValueError`` for a set we do not support: a configuration error,
    reported when the terminal is set up, not a property of received data.
    """
    key = name.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    if key not in SUPPORTED_ENCODINGS:
        supported = ", ".join(SUPPORTED_ENCODINGS)
        raise ValueError(f"unsupported SIP2 character set {name!r} (supported: {supported})")
    return codecs.lookup(SUPPORTED_ENCODINGS[key]).name


def representable(text: str, encoding: str) -> bool:
    """True when every character of ``text`` exists in ``encoding``."""
    try:
        text.encode(resolve_encoding(encoding))
    except UnicodeEncodeError:
        return False
    return True
