"""One SIP2 connection: login, framing decisions, resends, PIN memory, statistics.

A :class:`Session` is synchronous: the asyncio server hands it one framed
message at a time on a worker thread (the services it calls are synchronous)
and sends back what it returns. Everything it decides about a loan, a renewal
or a fee is decided by the circulation and readers services; the session only
checks who is asking (terminal login, reader PIN) and what they may see.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from shelfwise.access.lockout import Lockout, login_sources
from shelfwise.access.service import AccessService
from shelfwise.catalogue.service import CatalogueService
from shelfwise.circulation.fees import FeeService
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.service import CirculationService
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError, render
from shelfwise.core.metrics import SIP2_MESSAGES, sip2_result
from shelfwise.kiosks.terminals import EnabledCheck, Terminal, TerminalService
from shelfwise.readers.models import Reader
from shelfwise.readers.service import ReaderService
from shelfwise.sip2.backoff import Locked, LoginBackoff
from shelfwise.sip2.codec import decode, encode
from shelfwise.sip2.fitting import fit
from shelfwise.sip2.model import Decoded, ErrorKind, Message
from shelfwise.sip2.shared_state import RecentCheckouts, TerminalSlots

log = logging.getLogger("shelfwise.sip2")

MAX_FAILED_LOGINS = 3
_LOGIN_NAME = re.compile(rb"CN([^|\r\n]*)\|")
_RESEND = Message("96")
_CHECKSUM_ERRORS = frozenset(
    {ErrorKind.CHECKSUM_MISMATCH, ErrorKind.CHECKSUM_FORMAT, ErrorKind.CHECKSUM_MISSING}
)


@dataclass(frozen=True, slots=True)
class KioskServices:
    """What a session may call: the services of the composition root, nothing else."""

    readers: ReaderService
    circulation: CirculationService
    fees: FeeService
    catalogue: CatalogueService
    terminals: TerminalService
    lockout: Lockout  # failed-login counts shared by every door (login_attempts)
    access: AccessService  # the P7 audit trail
    clock: Clock
    library_name: str
    max_message_bytes: int


@dataclass(frozen=True, slots=True)
class Reply:
    data: bytes | None  # bytes to send (None: nothing)
    close: bool = False


@dataclass(frozen=True, slots=True)
class Patron:
    """A reader as one request presents them: who, and whether their PIN was verified."""

    card: str
    reader: Reader | None
    verified: bool  # the PIN was right (now or earlier in this session)
    pin_given: bool
    pin_wrong: bool
    locked: bool = False  # too many wrong PINs for this card lately: not checked (S-6)

    @property
    def may_see(self) -> bool:
        """Whether reader data may be returned (P15, S-5)."""
        return self.reader is not None and self.verified


@dataclass
class Session:
    services: KioskServices
    peer: str
    slots: TerminalSlots
    backoff: LoginBackoff
    recent: RecentCheckouts
    answers: Answers  # the handler of each request (handlers.ANSWERS, given by the server)
    terminal: Terminal | None = None
    failed_logins: int = 0
    transactions: int = 0
    failures: int = 0
    last_request: bytes | None = None
    last_reply: bytes | None = None
    error_detection: bool = False  # the kiosk sends AY/AZ (from its last well-formed message)
    language: str | None = None  # chosen by the reader at the kiosk (23/63), until a 35
    _request: Decoded | None = None  # the request being answered
    _prepared: tuple[Message, bytes] | None = None  # its response, encoded before the commit
    _pins: dict[str, tuple[bytes, Reader]] = field(default_factory=dict)
    _branch_codes: dict[int, str] = field(default_factory=dict)
    _pin_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _enabled: EnabledCheck | None = None  # this connection's terminal still enabled?

    # --- entry point ---------------------------------------------------------------

    def handle(self, raw: bytes) -> Reply:
        """Answer one framed message (terminator included or not)."""
        if self.terminal is None:
            return self._login(raw)
        terminal = self.terminal
        result = decode(
            raw,
            encoding=terminal.charset,
            lenient=terminal.lenient,
            max_length=self.services.max_message_bytes,
        )
        if not isinstance(result, Decoded):
            error = result.error
            self._log(error.command or "??", result.sequence, f"rejected: {error.kind}")
            self.failures += 1
            if error.kind in (ErrorKind.TOO_LONG, ErrorKind.BAD_COMMAND):
                return Reply(None, close=True)
            if error.kind is ErrorKind.EMPTY:
                return Reply(None)
            return Reply(self._resend_request(checksums=error.kind in _CHECKSUM_ERRORS or None))
        message = result.message
        self.error_detection = result.checksum is not None or result.sequence is not None
        if not self._still_enabled(terminal):
            return self._refuse_disabled(message, result)
        if message.command == "97":
            self._log("97", None, "resent" if self.last_reply else "nothing to resend")
            return Reply(self.last_reply or self._resend_request(checksums=None))
        body = raw.strip(b"\r\n")
        if result.sequence is not None and body == self.last_request and self.last_reply:
            # The same message with the same sequence number: the kiosk did not get
            # our answer. Send it again instead of doing the transaction twice (S-8).
            self._log(message.command, result.sequence, "replayed")
            return Reply(self.last_reply)
        self._request, self._prepared = result, None
        try:
            response, outcome = self._dispatch(message)
            data = self._reply_bytes(response)
        except Exception:
            # A response we could not make (a bug: fit() makes every field encodable).
            # The transaction did not commit (the reply is prepared inside it); the kiosk
            # is told so rather than left waiting.
            log.exception("sip2 reply to %s could not be made", message.command)
            response, outcome = self._failed_reply(message), "reply failed"
            data = self._reply_bytes(response)
        finally:
            self._request = self._prepared = None
        self.transactions += 1
        if outcome != "ok":
            self.failures += 1
        self._log(message.command, result.sequence, outcome)
        self.last_request, self.last_reply = body, data
        return Reply(data)

    def _still_enabled(self, terminal: Terminal) -> bool:
        check = self._enabled
        if check is None or check.terminal_id != terminal.id:
            check = self._enabled = self.services.terminals.enabled_check(terminal.id)
        return check()

    def _refuse_disabled(self, message: Message, request: Decoded) -> Reply:
        """The staff disabled this terminal while it was connected: the message is refused
        (its negative response, "switched off by the library") and the connection closed;
        its next login fails."""
        self._request = request
        try:
            data = self._encode(self.answers.refusal(self, message, "sip2.terminal_disabled"))
        finally:
            self._request = None
        self._log(message.command, request.sequence, "refused: terminal disabled; closing")
        return Reply(data, close=True)

    def _dispatch(self, message: Message) -> tuple[Message, str]:
        refusal = self.answers.refusal
        terminal = self.terminal
        assert terminal is not None
        if message.command == "93":  # a second login on the same connection
            again = self.services.terminals.login(message.get("CN") or "", message.get("CO") or "")
            ok = again is not None and again.id == terminal.id
            return Message("94", {"ok": "1" if ok else "0"}), "ok" if ok else "login failed"
        handler = self.answers.handlers.get(message.command)
        if handler is None:
            return refusal(self, message, "sip2.unsupported"), "unsupported"
        explicit = message.command == "01" and "01" not in terminal.messages
        if explicit or not terminal.allows(message.command):
            return refusal(self, message, "sip2.not_allowed"), "not allowed"
        institution = message.get("AO")
        if institution is not None and institution != terminal.institution:
            log.warning(
                "sip2 institution mismatch",
                extra={"terminal": terminal.name, "command": message.command, "audit": True},
            )
            self.services.access.audit_terminal(terminal.id, action="wrong_institution")
            return refusal(self, message, "sip2.wrong_institution"), "wrong institution"
        if institution is None and "AO" in message.missing_required() and not terminal.lenient:
            # S-4 when AO is absent: a strict terminal must say which library it acts for;
            # a lenient one (for kiosks that leave it out) acts for its account's.
            return refusal(self, message, "sip2.institution_missing"), "no institution"
        try:
            return handler(self, message, _key(terminal, message))
        except ShelfwiseError as exc:
            return refusal(self, message, exc.code, exc.params), exc.code

    def prepare(self, response: Message) -> Message:
        """Encode ``response`` now, inside the transaction it reports, before it commits.

        Handlers call this from the services' ``prepare`` hook: if the response cannot
        be made, the transaction rolls back instead of committing a loan the kiosk is
        never told about. The bytes are kept and sent as they are.
        """
        self._prepared = (response, self._encode(response))
        return response

    def _resend_request(self, *, checksums: bool | None) -> bytes:
        """A 96: with a checksum only in a session that uses error detection.

        ``checksums`` True: the bad message carried one (a checksum error); None: as the
        session has been sending (its login and later messages).
        """
        detect = self.error_detection if checksums is None else checksums
        return encode(_RESEND, error_detection=detect)

    def prepared(self) -> Message:
        """The response :meth:`prepare` made for the request being answered."""
        assert self._prepared is not None, "no response was prepared"
        return self._prepared[0]

    def _reply_bytes(self, response: Message) -> bytes:
        if self._prepared is not None and self._prepared[0] is response:
            return self._prepared[1]
        return self._encode(response)

    def _encode(self, response: Message) -> bytes:
        assert self.terminal is not None
        assert self._request is not None
        request = self._request
        detect = request.checksum is not None or request.sequence is not None
        return encode(
            fit(response, self.terminal.charset),
            encoding=self.terminal.charset,
            error_detection=detect,
            sequence=request.sequence,
        )

    def _failed_reply(self, message: Message) -> Message:
        return self.answers.refusal(self, message, "sip2.reply_failed")

    # --- login (93/94) ---------------------------------------------------------------

    def _login(self, raw: bytes) -> Reply:
        if not raw.lstrip(b"\r\n").startswith(b"93"):
            self._log("??", None, "closed: not a login")
            return Reply(None, close=True)
        match = _LOGIN_NAME.search(raw)
        name = match.group(1).decode("utf-8", "replace") if match else ""
        candidate = self.services.terminals.get(name) if name else None
        result = decode(
            raw,
            encoding=candidate.charset if candidate else "utf-8",
            lenient=candidate.lenient if candidate else True,
            max_length=self.services.max_message_bytes,
        )
        if not isinstance(result, Decoded):
            if result.error.wants_resend:
                return Reply(self._resend_request(checksums=True))
            return self._login_failed(name, None, "malformed login", candidate)
        message = result.message
        self.error_detection = result.checksum is not None or result.sequence is not None
        name = message.get("CN") or ""
        locked = self.backoff.refused(self.peer, name)
        if locked is not None:
            # Refused without a password check until the backoff passes (S-3).
            self.failed_logins += 1
            close = self.failed_logins >= MAX_FAILED_LOGINS
            why = f"login refused: backoff on {locked.subject.split(':', 1)[0]} until {locked.until:%H:%M:%S}"
            self._log("93", result.sequence, why + ("; closing" if close else ""), name)
            return Reply(self._login_reply(False, result), close=close)
        terminal = self.services.terminals.login(name, message.get("CO") or "")
        if terminal is None:
            return self._login_failed(name, result, "wrong name or password", candidate)
        if not terminal.allows_address(self.peer):
            return self._login_failed(name, result, "source address not allowed", candidate)
        location = message.get("CP")
        # S-4: a CP that names another location is refused; no CP (it is optional in a 93)
        # is the account's own location, which decides the branch either way.
        if terminal.location and location and location != terminal.location:
            log.warning("sip2 location mismatch", extra={"terminal": name, "audit": True})
            self.services.access.audit_terminal(terminal.id, action="wrong_location")
            return self._login_failed(name, result, "wrong location", candidate)
        if not self.slots.acquire(terminal.id):
            self._log("93", result.sequence, "refused: too many sessions", name)
            return Reply(self._login_reply(False, result), close=True)
        self.backoff.succeeded(self.peer, terminal.name)
        self.terminal = terminal
        self._log("93", result.sequence, "ok")
        data = self._login_reply(True, result)
        self.last_request, self.last_reply = raw.strip(b"\r\n"), data
        return Reply(data)

    def _login_failed(
        self, name: str, request: Decoded | None, why: str, known: Terminal | None
    ) -> Reply:
        self.failed_logins += 1
        close = self.failed_logins >= MAX_FAILED_LOGINS
        outcome = f"login failed: {why}" + ("; closing" if close else "")
        self._log("93", request.sequence if request else None, outcome, name)
        # Counted against the account only when it exists and this address may use it.
        against = known.name if known is not None and known.allows_address(self.peer) else None
        count, started = self.backoff.failed(self.peer, against)
        if known is not None:
            self.services.terminals.record(known.id, transactions=0, failures=1)
        self._alert(name if known is not None else "-", count, started)
        return Reply(self._login_reply(False, request), close=close)

    def _alert(self, name: str, count: int, started: list[Locked]) -> None:
        """The S-3 alert: a warning per failed login, and an outbox event when a lock starts."""
        # The name only when it is an account's: an unknown CN may be a mistyped password.
        log.warning(
            "sip2 failed login terminal=%s ip=%s count=%s",
            name,
            self.peer,
            count,
            extra={"terminal": name, "peer": self.peer, "count": count, "alert": True},
        )
        for lock in started:
            log.warning(
                "sip2 login backoff %s until %s",
                lock.subject,
                lock.until.isoformat(timespec="seconds"),
                extra={"terminal": name, "peer": self.peer, "alert": True},
            )
            self.services.terminals.alert(
                {
                    "kind": "login_backoff",
                    "subject": lock.subject,
                    "until": lock.until.isoformat(timespec="seconds"),
                    "terminal": name,
                    "ip": self.peer,
                    "count": count,
                }
            )

    def _login_reply(self, ok: bool, request: Decoded | None) -> bytes:
        response = Message("94", {"ok": "1" if ok else "0"})
        if request is None:
            return encode(response, sequence=None)
        detect = request.checksum is not None or request.sequence is not None
        return encode(response, error_detection=detect, sequence=request.sequence)

    # --- readers and their PINs --------------------------------------------------------

    def patron(self, message: Message, *, fresh: bool = True) -> Patron:
        """Look up AA and check AD; a verified PIN is remembered for this session.

        The PIN lockout (S-6) is the one every door shares (subject ``reader:<card>``
        in ``login_attempts``): wrong PINs here count with wrong ones at the web
        login, and while the card is locked no PIN is checked, the right one
        included. Wrong PINs (and PINs for cards that do not exist) also count
        against this connection's sources — its address and terminal account —
        across every card, so one PIN tried on many cards is stopped too (the
        ``Lockout`` source rule). A PIN this session has already verified is not checked again
        (neither Argon2 nor the lock: a lock stops guessing, and this kiosk's reader
        is not guessing); a wrong PIN or a 35 forgets it.

        ``fresh=False`` (transactions, which the services check again in their own
        transaction): a reader whose PIN this session verified is not read again.
        """
        assert self.terminal is not None
        card = message.get("AA") or ""
        pin = message.get("AD") or None
        digest = None if pin is None else self._digest(pin)
        known = self._pins.get(card)
        remembered = None if known is None else known[0]
        if (
            not fresh
            and known is not None
            and (digest is None or hmac.compare_digest(known[0], digest))
        ):
            return Patron(card, known[1], True, pin is not None, False)
        reader = self._reader(card)
        if pin is None:
            verified = remembered is not None or not self.terminal.require_pin
        elif remembered is not None and hmac.compare_digest(remembered, digest or b""):
            verified = True
        else:
            checked = self._check_new_pin(card, pin, reader)
            if checked is None:
                return Patron(card, reader, False, True, True, locked=True)
            verified = checked
        return Patron(
            card,
            reader,
            verified and reader is not None,
            pin is not None,
            pin is not None and not verified,
        )

    def _check_new_pin(self, card: str, pin: str, reader: Reader | None) -> bool | None:
        """A PIN this session has not verified, checked under the lockouts: whether it is
        right, or None when a lock (of this card, or of this kiosk's sources) stops it."""
        assert self.terminal is not None
        lockout = self.services.lockout
        sources = login_sources(address=self.peer, terminal=self.terminal.name)
        if lockout.source_refused(sources) is not None:
            # This kiosk or address tried too many wrong PINs across cards (spraying):
            # no PIN is checked here for a while, whichever card (S-6, D12).
            self._pins.pop(card, None)
            return None
        if reader is None:
            lockout.source_failed(sources)  # a PIN for a card that does not exist: a guess
            return False
        subject = f"reader:{card}"
        if lockout.locked_until(subject) is not None:
            self._pins.pop(card, None)
            return None
        if self._check_pin(card, pin):
            self._pins[card] = (self._digest(pin), reader)
            if lockout.failures(subject):  # a read; most right PINs have nothing to clear
                lockout.succeed(subject)
            return True
        self._pins.pop(card, None)
        card_lock = lockout.fail(subject)
        if lockout.source_failed(sources) is not None or card_lock is not None:
            return None
        return False

    def branch_code(self, branch_id: int) -> str:
        """A branch's code, from the list read once per session (again for an unknown id)."""
        if branch_id not in self._branch_codes:
            branches = self.services.catalogue.list_branches()
            self._branch_codes = {b.id: b.code for b in branches}
        return self._branch_codes.get(branch_id, "")

    def forget(self, card: str) -> None:
        self._pins.pop(card, None)

    def _reader(self, card: str) -> Reader | None:
        if not card:
            return None
        try:
            return self.services.readers.get(card)
        except ShelfwiseError:
            return None

    def _check_pin(self, card: str, pin: str) -> bool:
        try:
            self.services.readers.authenticate(card, pin)
        except ShelfwiseError:
            return False
        return True

    def _digest(self, pin: str) -> bytes:
        return hmac.new(self._pin_key, pin.encode("utf-8", "replace"), hashlib.sha256).digest()

    # --- display text, statistics, logs ----------------------------------------------

    def text(self, code: str, params: dict[str, str] | None = None) -> str:
        """A screen message in the reader's language: the one the kiosk last sent in a 23 or
        63 this patron session, else the terminal's."""
        return render(code, self.screen_language(), params or {})

    def screen_language(self) -> str:
        return self.language or (self.terminal.language if self.terminal else "zh")

    def close(self) -> None:
        """The connection ended: free the terminal's slot and add the statistics."""
        if self.terminal is None:
            return
        self.slots.release(self.terminal.id)
        try:
            self.services.terminals.record(
                self.terminal.id, transactions=self.transactions, failures=self.failures
            )
        except Exception:  # statistics must never break a closing connection
            log.exception("sip2 statistics of terminal %s were not saved", self.terminal.name)
        self._log("--", None, f"session closed after {self.transactions} transactions")

    def _log(self, command: str, sequence: int | None, outcome: str, name: str = "") -> None:
        terminal = self.terminal.name if self.terminal else (name or "-")
        if command != "--":  # "--": the connection closing, not a message
            label = command if len(command) == 2 and command.isdigit() else "other"
            SIP2_MESSAGES.labels(label, sip2_result(outcome)).inc()
        # Never the message itself: it carries CO/AD/AC and reader data (P13, S-7).
        log.info(
            "sip2 terminal=%s peer=%s cmd=%s seq=%s outcome=%s",
            terminal,
            self.peer,
            command,
            "-" if sequence is None else sequence,
            outcome,
            extra={
                "terminal": terminal,
                "peer": self.peer,
                "command": command,
                "sequence": sequence,
                "outcome": outcome,
            },
        )


def _key(terminal: Terminal, message: Message) -> RequestKey:
    """The idempotency key of a transaction: the request as this terminal's, without the
    reader's PIN (AD), the terminal password (AC), the sequence number and the checksum.

    A kiosk that reconnects and sends the same checkout again — same transaction date,
    a new sequence number — gets the first result back (S-8). The text never leaves
    memory: circulation stores only an HMAC of it under the server's key
    (``circulation/idempotency.py``), and it holds no PIN to recover anyway.
    """
    kept = [(fid, value) for fid, value in message.fields if fid not in _NOT_IN_KEY]
    text = json.dumps([message.command, sorted(message.fixed.items()), kept], ensure_ascii=False)
    return RequestKey(f"sip2-terminal:{terminal.id}", text)


_NOT_IN_KEY = frozenset({"AD", "AC"})  # AY and AZ are not fields: the decoder takes them off


Handler = Callable[[Session, Message, RequestKey], tuple[Message, str]]


class Refusal(Protocol):
    """The negative form of the response to a request, with a screen message for ``code``."""

    def __call__(
        self, session: Session, message: Message, code: str, params: dict[str, str] | None = None
    ) -> Message: ...


@dataclass(frozen=True, slots=True)
class Answers:
    """How a session answers: the handler of each request and the negative form of any.

    Built where the handlers live (``handlers.ANSWERS``) and handed to each session by
    the server, so the session imports no handler (they import the session)."""

    handlers: Mapping[str, Handler]
    refusal: Refusal
