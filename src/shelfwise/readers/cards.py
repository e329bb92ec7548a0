"""The reader's digital card: the card number as a QR code and as a Code 128 barcode, in SVG.

Desk scanners and self-check kiosks read the card number from either; the
reader shows it on a phone or prints it. Both images encode the card number
only — no name or other data — so a screenshot of the card gives away nothing
more than the number printed on a plastic card.

The SVG starts at ``<svg`` (no XML declaration or DOCTYPE), so the same text
serves as an ``image/svg+xml`` response and inline in an HTML page. Pure
Python: segno for QR, python-barcode's SVG writer for Code 128 (no Pillow).
"""

from __future__ import annotations

import io
from enum import StrEnum

import segno
from barcode import Code128
from barcode.writer import SVGWriter

from shelfwise.core.errors import ShelfwiseError


class CardFormat(StrEnum):
    QR = "qr"
    CODE128 = "code128"


def card_svg(card_number: str, fmt: CardFormat | str = CardFormat.QR) -> str:
    """The card number as an SVG image in the given format."""
    try:
        chosen = CardFormat(fmt)
    except ValueError as exc:
        raise ShelfwiseError(
            "request.invalid", detail=f"format must be {' or '.join(CardFormat)}"
        ) from exc
    if chosen is CardFormat.QR:
        return qr_svg(card_number)
    return code128_svg(card_number)


def qr_svg(card_number: str, *, scale: int = 8) -> str:
    """A QR code (error correction M, quiet zone of 4 modules) of the card number."""
    qr = segno.make_qr(card_number, error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, svgns=True, scale=scale, border=4, title=card_number)
    return out.getvalue().decode("utf-8")


def code128_svg(card_number: str, *, module_mm: float = 0.33, height_mm: float = 15.0) -> str:
    """A Code 128 barcode of the card number, the number printed under it.

    python-barcode chooses code sets B and C (digit pairs) for the shortest symbol;
    the quiet zone on each side is at least 10 modules, as the standard asks.
    """
    if not card_number or not card_number.isascii() or not card_number.isprintable():
        raise ShelfwiseError("request.invalid", detail="a card number is printable ASCII")
    options = {
        "module_width": module_mm,
        "module_height": height_mm,
        "quiet_zone": max(10 * module_mm, 2.54),
        "font_size": 10,
        "text_distance": 4.0,
    }
    raw = Code128(card_number, writer=SVGWriter()).render(options)
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    return text[text.index("<svg") :]
