"""iCalendar (RFC 5545) feeds of events, per branch and per event, with ``icalendar``.

Times are written in UTC (``...Z``): every calendar program shows them in its own zone,
and the library's zone (Asia/Shanghai) has no daylight saving to describe. The UID is
stable per event, so a subscribed calendar updates an event instead of duplicating it;
a cancelled event stays in the feed with STATUS:CANCELLED so subscribers see it go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from shelfwise.events.models import LibraryEvent


def feed(
    events: Iterable[LibraryEvent], *, name: str, link: Callable[[LibraryEvent], str], host: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Shelfwise//library events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        entry = Event()
        entry.add("uid", f"event-{event.id}@{host}")
        entry.add("dtstamp", event.created_at)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", event.title)
        if event.description:
            entry.add("description", event.description)
        where = " · ".join(p for p in (event.branch, event.room_name or "") if p)
        entry.add("location", where)
        entry.add("url", link(event))
        entry.add("categories", [event.kind, *event.audience])
        entry.add("status", "CANCELLED" if event.state == "cancelled" else "CONFIRMED")
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
