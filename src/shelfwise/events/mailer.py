"""The outbox handlers of ``events.reminder`` and ``events.promoted``: an e-mail to the
reader, when they keep an address and agreed to notices (P10); otherwise nothing."""

from __future__ import annotations

import logging
from typing import Protocol

from shelfwise.core.clock import Clock
from shelfwise.events.service import PROMOTED_TOPIC, EventService
from shelfwise.storage.outbox import Event

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class EventMailer:
    def __init__(self, events: EventService, mailer: Mailer, library: str, clock: Clock) -> None:
        self._events = events
        self._mailer = mailer
        self._library = library
        self._clock = clock

    def __call__(self, event: Event) -> None:
        reader_id, event_id = int(event.payload["reader_id"]), int(event.payload["event_id"])
        reader = self._events.reader_of(reader_id)
        if reader is None or not reader.email or not reader.notices_email:
            return  # erased meanwhile, or no mail wanted
        try:
            happening = self._events.event(event_id)
        except Exception:
            return
        when = happening.starts_at.astimezone(self._clock.zone).strftime("%Y-%m-%d %H:%M")
        if event.topic == PROMOTED_TOPIC:
            subject = f"{self._library}: 您已从候补转为正式报名 / You have a place"
            line = f"您已获得活动名额 / A place is yours: {happening.title} ({when})"
        else:
            subject = f"{self._library}: 活动提醒 / Event reminder"
            line = f"活动提醒 / Reminder: {happening.title} ({when}, {happening.branch})"
        self._mailer.send(reader.email, subject, f"{reader.name}，您好：\n\n{line}\n")
        log.info("event mail for outbox event %s sent", event.id)
