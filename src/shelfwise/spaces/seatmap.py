"""The seat map as SVG: one rounded square per unit on the room's grid, drawn on the
server (no script needed; the page refreshes it). Each seat is a link to its booking
page; its class says free, taken, mine or out of use, and the page's CSS colours them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from shelfwise.spaces.models import SeatMap, SeatState

CELL = 36  # user units per grid cell; the SVG scales to the phone's width
GAP = 4


def seat_class(seat: SeatState) -> str:
    if not seat.unit.enabled:
        return "off"
    if seat.mine:
        return "mine"
    return "taken" if seat.taken else "free"


def render(
    seat_map: SeatMap,
    link: Callable[[SeatState], str],
    label: str,
    describe: Callable[[SeatState], str] | None = None,
) -> str:
    """``link``: the address of a seat's page; ``label``: the map's accessible name;
    ``describe``: a seat's tooltip and spoken name (the page's language: its features and
    whether it is free, which the colour alone does not say); default its code and features.

    The map is a ``group`` of links, not an ``img``: an image's children are presentational,
    so links inside one are interactive controls nested where none may be (axe)."""
    room = seat_map.room
    width, height = room.grid_cols * CELL, room.grid_rows * CELL
    parts = [
        f'<svg class="seatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="group" aria-label="{escape(label)}">'
    ]
    side = CELL - GAP
    for seat in seat_map.seats:
        unit = seat.unit
        x, y = unit.col * CELL + GAP // 2, unit.row * CELL + GAP // 2
        state = seat_class(seat)
        rounding = 4 if unit.kind == "seat" else 2
        spoken = describe(seat) if describe else f"{unit.code} {' '.join(unit.features)}"
        title = escape(spoken.strip())
        body = (
            f'<rect x="{x}" y="{y}" width="{side}" height="{side}" rx="{rounding}"/>'
            f'<text x="{x + side / 2:g}" y="{y + side / 2 + 4:g}">{escape(unit.code)}</text>'
            f"<title>{title}</title>"
        )
        if state == "free":
            parts.append(f'<a class="seat {state}" href="{escape(link(seat))}">{body}</a>')
        else:
            parts.append(f'<g class="seat {state}">{body}</g>')
    parts.append("</svg>")
    return "".join(parts)
