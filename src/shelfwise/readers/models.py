"""Reader values handed out by the service (plain dataclasses, no database handles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# The categories every library has; a library adds its own with a setting.
DEFAULT_CATEGORIES = ("child", "adult", "senior", "student")

# Purposes a reader consents to (P10, P11); reading history is one of them.
CONSENT_PURPOSES = ("reading_history", "recommendations", "email_notices", "email_receipts")


class ReaderStatus(StrEnum):
    PENDING = "pending"  # self-registered, e-mail not yet confirmed: may not borrow
    ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class Reader:
    id: int
    card_number: str
    category: str
    status: ReaderStatus
    name: str
    email: str | None
    phone: str | None
    birth_year: int | None
    home_branch_id: int | None
    id_card_last4: str | None
    expires_on: date
    manual_block: str | None
    history_opt_in: bool
    notices_email: bool
    recommend_opt_in: bool  # P11: off unless the reader turned recommendations on
    has_pin: bool
    has_password: bool
    created_at: datetime
    version: int
    receipts_email: bool = False  # a checkout receipt by e-mail, when the reader asked


@dataclass(frozen=True, slots=True)
class Consent:
    purpose: str
    granted: bool
    notice_version: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Registration:
    """The result of registering: the reader, and the one-time e-mail token if self-registered."""

    reader: Reader
    verify_token: str | None


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the confirmation e-mail needs: where it goes and the one-time token it carries."""

    card_number: str
    name: str
    email: str
    token: str


@dataclass(frozen=True, slots=True)
class SessionHolder:
    """What access needs of a reader to keep a login session alive."""

    id: int
    name: str
    card_number: str
    session_epoch: int
