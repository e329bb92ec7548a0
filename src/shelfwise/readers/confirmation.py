"""The self-registration confirmation e-mail, sent after commit through the outbox.

Registering online writes a ``readers.confirm_email`` event (the reader id, nothing
else) in the registration's transaction; the relay hands it to
:class:`ConfirmationMailer`, which makes a fresh one-time token (only its hash is
stored), and mails it. Any object with ``send(to, subject, body)`` carries the mail:
the composition root passes the notices' SMTP channel. A redelivered event mails a
new token and the older one stops working, so the latest e-mail is always right.
"""

from __future__ import annotations

import logging
from typing import Protocol
from urllib.parse import quote

from shelfwise.readers.service import ReaderService
from shelfwise.storage.outbox import Event

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class ConfirmationMailer:
    """The outbox handler of ``readers.confirm_email`` events."""

    def __init__(
        self, readers: ReaderService, mailer: Mailer, library: str, link_template: str = ""
    ) -> None:
        self._readers = readers
        self._mailer = mailer
        self._library = library
        self._link = link_template

    def __call__(self, event: Event) -> None:
        confirmation = self._readers.issue_confirmation(int(event.payload["reader_id"]))
        if confirmation is None:
            return  # confirmed or deleted meanwhile: nothing to say
        card, token = confirmation.card_number, confirmation.token
        lines = [
            f"{confirmation.name}，您好：",
            f"欢迎注册{self._library}。读者证号：{card}，确认码：{token}",
            "",
            f"Welcome to {self._library}. Card number: {card}; confirmation code: {token}",
        ]
        if self._link:
            link = self._link.format(card=quote(card, safe=""), token=quote(token, safe=""))
            lines += ["", f"确认 / Confirm: {link}"]
        lines += ["", "如非本人注册，请忽略此邮件。 If you did not register, ignore this e-mail."]
        self._mailer.send(
            confirmation.email,
            f"{self._library}: 请确认电子邮件 / Confirm your e-mail address",
            "\n".join(lines),
        )
        log.info("confirmation e-mail sent for outbox event %s", event.id)
