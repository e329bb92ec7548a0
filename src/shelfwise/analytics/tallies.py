"""The other domains' acts as counter rows (issue 21), pure: what one outbox event adds to
``analytics_tallies``.

Each topic's payload names its branch by code (None: the network, counted at branch 0) and
its local day. Wishes carry the wisher's reader mark, so their cells are hidden by the k rule
on marks, like loans; a visit, a story view, an event's registrations and attendance, and a
terminal's session name nobody, so their cells are hidden when they count fewer than k acts
(:data:`COUNTED`). An event's seats are not people and are never hidden (:data:`FACTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from shelfwise.analytics.cells import mark_words
from shelfwise.events.service import ACTIVITY_TOPIC as EVENT_ACTIVITY
from shelfwise.kiosks.terminals import SESSION_TOPIC
from shelfwise.spaces.models import VISITS_TOPIC
from shelfwise.stories.views import VIEWS_TOPIC
from shelfwise.wishes.activity import ACTIVITY_TOPIC as WISH_ACTIVITY

NETWORK = 0  # branch_id of a wish or story of the whole network
MARKED = frozenset({"wish_posted", "wish_moved", "wish_answered"})
FACTS = frozenset({"event_seats"})
COUNTED = frozenset(
    {"visit", "visit_24h", "story_view", "event_registered", "event_attended", "sip2"}
)
TOPICS = (WISH_ACTIVITY, VISITS_TOPIC, VIEWS_TOPIC, EVENT_ACTIVITY, SESSION_TOPIC)

BranchOf = Callable[[str | None], int]


def _row(
    day: str,
    branch_id: int,
    kind: str,
    value: object,
    events: int,
    amount: int = 0,
    mark: Any = None,
) -> dict[str, Any]:
    words = mark_words(None if mark is None else int(mark))
    return {
        "day": date.fromisoformat(day),
        "branch_id": branch_id,
        "kind": kind,
        "value": str(value)[:64],
        "events": events,
        "amount": amount,
        **{f"marks_{i}": w for i, w in enumerate(words)},
    }


def _wish(p: Mapping[str, Any], branch: int) -> list[dict[str, Any]]:
    mark = p.get("reader_mark")
    if p["act"] == "posted":  # into "submitted" as well, so states read one kind
        return [
            _row(p["day"], branch, "wish_posted", p["wish_kind"], 1, mark=mark),
            _row(p["day"], branch, "wish_moved", "submitted", 1, mark=mark),
        ]
    rows = [_row(p["day"], branch, "wish_moved", p["to"], 1, mark=mark)]
    if p.get("answered_seconds") is not None:
        seconds = int(p["answered_seconds"])
        rows.append(_row(p["day"], branch, "wish_answered", p["to"], 1, seconds, mark))
    return rows


def _visits(p: Mapping[str, Any], branch: int) -> list[dict[str, Any]]:
    hour = f"{int(p['hour']):02d}"
    rows = [_row(p["day"], branch, "visit", hour, int(p["entries"]))]
    if p.get("all_day"):
        rows.append(_row(p["day"], branch, "visit_24h", hour, int(p["entries"])))
    return rows


def _event(p: Mapping[str, Any], branch: int) -> list[dict[str, Any]]:
    kind = {"seats": "event_seats", "registered": "event_registered", "attended": "event_attended"}
    return [_row(p["day"], branch, kind[p["what"]], p["event_id"], int(p["delta"]))]


def rows_of(topic: str, payload: Mapping[str, Any], branch_of: BranchOf) -> list[dict[str, Any]]:
    """The counter rows one event adds to (several rows of one key are summed by the
    caller's upsert in turn)."""
    if topic == SESSION_TOPIC:
        p = payload
        return [
            _row(
                p["day"],
                int(p["branch_id"]),
                "sip2",
                p["terminal"],
                int(p["transactions"]),
                int(p["failures"]),
            )
        ]
    branch = branch_of(payload.get("branch"))
    if topic == WISH_ACTIVITY:
        return _wish(payload, branch)
    if topic == VISITS_TOPIC:
        return _visits(payload, branch)
    if topic == VIEWS_TOPIC:
        return [
            _row(payload["day"], branch, "story_view", payload["story_id"], int(payload["views"]))
        ]
    if topic == EVENT_ACTIVITY:
        return _event(payload, branch)
    raise ValueError(f"analytics counts no {topic!r}")
