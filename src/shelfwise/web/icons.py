"""The pages' icons: small inline SVGs drawn on a 24-unit grid in the text colour.

Inline, so an icon costs no request and follows the text's colour and size (the
stylesheet sizes ``svg.i``); ``aria-hidden``, so a screen reader reads the label
next to it instead. The shapes are ours, drawn for this file.
"""

from __future__ import annotations

from markupsafe import Markup

# name → the SVG elements inside <svg viewBox="0 0 24 24"> (stroked, no fill).
SHAPES: dict[str, str] = {
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5 20 20"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-6.5 8-6.5s8 2.1 8 6.5"/>',
    "globe": (
        '<circle cx="12" cy="12" r="9"/>'
        '<path d="M3 12h18M12 3c3.2 3.4 3.2 14.6 0 18M12 3c-3.2 3.4-3.2 14.6 0 18"/>'
    ),
    "text": '<path d="M3 19 8 5l5 14M4.8 14h6.4M15 19v-5.5a3 3 0 0 1 6 0V19M15 16h6"/>',
    "book": '<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5zM4 20.5V5.5M8 7h8"/>',
    "pin": '<path d="M12 21s-7-6.1-7-11.2a7 7 0 0 1 14 0C19 14.9 12 21 12 21z"/><circle cx="12" cy="10" r="2.5"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>',
    "filter": '<path d="M4 5h16l-6.2 7.6V19l-3.6-1.8v-4.6z"/>',
    "close": '<path d="M6 6l12 12M18 6 6 18"/>',
    "check": '<path d="M5 12.5 10 17.5 19.5 7"/>',
    "next": '<path d="M9 5.5 15.5 12 9 18.5"/>',
    "prev": '<path d="M15 5.5 8.5 12 15 18.5"/>',
    "logout": '<path d="M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10"/>',
    "home": '<path d="M3.5 11 12 4l8.5 7M6 9.5V20h12V9.5"/>',
    "phone": '<path d="M6 3h4l1.5 5-2.5 1.5a11 11 0 0 0 5.5 5.5L16 12.5l5 1.5v4a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z"/>',
    "moon": '<path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"/>',
    "heart": '<path d="M12 20s-8-4.8-8-10.5A4.5 4.5 0 0 1 12 7a4.5 4.5 0 0 1 8 2.5C20 15.2 12 20 12 20z"/>',
}

_SVG = (
    '<svg class="i" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
    'focusable="false" fill="none" stroke="currentColor" stroke-width="2" '
    'stroke-linecap="round" stroke-linejoin="round">{}</svg>'
)


def icon(name: str) -> Markup:
    """The icon ``name`` as inline SVG (a KeyError names an icon that is not drawn)."""
    return Markup(_SVG.format(SHAPES[name]))


# The library's mark: an open book on the brand colour (its colour comes from the stylesheet).
LOGO = Markup(
    '<svg class="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
    'focusable="false"><rect width="32" height="32" rx="8" fill="currentColor"/>'
    '<path d="M6 10.5c3.5-1.6 7-1.2 10 1.2 3-2.4 6.5-2.8 10-1.2v12c-3.5-1.6-7-1.2-10 1.2'
    '-3-2.4-6.5-2.8-10-1.2z" fill="#fff"/><path d="M16 11.7v12" stroke="currentColor" '
    'stroke-width="1.6"/></svg>'
)
