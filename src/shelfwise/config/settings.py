"""Every setting, declared once: a field of :class:`Settings`, with its type, default and help.

Nothing else in the code invents configuration. Values are read, lowest priority
first, from the defaults, ``shelfwise.toml`` in the data folder (or the file named by
``SHELFWISE_CONFIG``), ``SHELFWISE_*`` environment variables, and explicit overrides
(CLI flags, tests), and parsed once, at :meth:`Settings.load`: the code reads
``settings.import_batch_size`` as an ``int``, a secret as a :class:`Secret`, a choice as
its ``StrEnum``; a misspelt name is a mypy error. :data:`SETTINGS`, the registry that
``shelfwise settings`` prints and ``docs/settings.md`` is generated from (a test keeps
it current), is read off these fields.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_type_hints

from shelfwise.config.values import (
    PAGE_LANGUAGES,
    RenewalBase,
    Secret,
    Setting,
    SettingsError,
    coerce,
    page_languages,
    setting,
)
from shelfwise.core.log_format import LogFormat, LogLevel


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Resolved settings; immutable. Build with :meth:`load` (which parses and checks)."""

    data_dir: Path = setting(
        Path("data"),
        "Folder for the SQLite database, search index, rejects and exports.",
    )
    database_url: Secret = setting(
        Secret(""),
        "SQLAlchemy URL of the database. Empty means SQLite at DATA_DIR/shelfwise.sqlite; "
        "use postgresql+psycopg://user@host/db for PostgreSQL.",
    )
    sqlite_busy_timeout_ms: int = setting(
        30000,
        "How long an SQLite writer waits for the write lock.",
    )
    import_batch_size: int = setting(
        2000,
        "Records per transaction during MARC import.",
    )
    import_workers: int = setting(
        -1,
        "Processes that decode large ISO 2709 files during import: -1 = one per CPU, 0 = none.",
    )
    default_language: str = setting(
        "zh",
        "Language of messages when the client states none (zh, ko, en).",
    )
    http_host: str = setting(
        "127.0.0.1",
        "Address the web and API server listens on.",
    )
    http_port: int = setting(
        8000,
        "Port of the web and API server.",
    )
    http_max_body_bytes: int = setting(
        2 * 1024 * 1024,
        "Largest request body the API and the pages accept (an offline upload of 5,000 "
        "transactions fits); a larger one is refused with 413 before it is read.",
    )
    http_max_upload_bytes: int = setting(
        100 * 1024 * 1024,
        "Largest MARC file a cataloguer signed in to the staff client may upload; larger "
        "files are imported on the server with `shelfwise import`.",
    )
    import_upload_retention_hours: int = setting(
        72,
        "A file uploaded in the staff client is deleted once its import has run; one whose "
        "import failed is kept this long for a look, then deleted.",
    )
    import_undo_hours: int = setting(
        72,
        "An import applied from the staff client's review can be undone this long after.",
    )
    scheduler_enabled: bool = setting(
        True,
        "Run this process's background work (scheduled jobs, outbox delivery, the search "
        "follower) in serve, sip2 and worker; off, another process must run it.",
    )
    outbox_batch_size: int = setting(
        200,
        "Outbox events delivered per round.",
    )
    outbox_claim_seconds: int = setting(
        60,
        "How long a claimed outbox event is reserved for one worker.",
    )
    outbox_retention_days: int = setting(
        7,
        "Delivered outbox events (they may name readers: a notice's card and e-mail) are "
        "deleted this many days after their delivery by the hourly retention job; 0 keeps "
        "them all.",
    )
    job_runs_retention_days: int = setting(
        30,
        "The scheduler's record of each job run (job_runs) is deleted this many days after "
        "the run by the hourly retention job; 0 keeps it all.",
    )
    library_name: str = setting(
        "Shelfwise City Library",
        "Name shown on pages and notices.",
    )
    library_name_zh: str = setting(
        "书林市图书馆",
        "The library's name on pages in Chinese (traditional pages convert it); empty: "
        "library_name.",
    )
    library_name_ko: str = setting(
        "서림시 도서관",
        "The library's name on pages in Korean; empty: library_name.",
    )
    library_name_en: str = setting(
        "",
        "The library's name on pages in English; empty: library_name.",
    )
    oai_repository_identifier: str = setting(
        "shelfwise.local",
        "OAI-PMH repository identifier: a domain name the library controls (e.g. "
        "lib.example.org); record identifiers are oai:<it>:<record id>. The oai-identifier "
        "scheme requires a domain-like name (letters, digits, hyphens, at least one dot).",
    )
    oai_page_size: int = setting(
        100,
        "Records (ListRecords) or headers (ListIdentifiers) per OAI-PMH response; a "
        "resumption token asks for the next ones. At least 1.",
    )
    copy_cataloguing_targets: str = setting(
        "",
        "Other libraries' catalogues for copy cataloguing, separated by ';', each "
        "key|label|sru or z3950|SRU URL or host:port/database[|record schema]. Empty: none.",
    )
    library_timezone: str = setting(
        "Asia/Shanghai",
        "The library's IANA time zone: the local day of due dates, closed days, fines, notices "
        "and hold expiry, and the local time kiosks are sent over SIP2.",
    )
    # --- readers and circulation (issue 4) ---
    reader_card_prefix: str = setting(
        "SW",
        "Prefix of generated reader card numbers.",
    )
    reader_card_years: int = setting(
        3,
        "Years a new or renewed reader card is valid.",
    )
    reader_extra_categories: str = setting(
        "",
        "Comma-separated reader categories of this library, beside child, adult, senior, student.",
    )
    reader_self_registration_confirm: bool = setting(
        True,
        "Self-registered readers cannot borrow until they confirm their e-mail address.",
    )
    reader_self_registration_categories: str = setting(
        "adult,senior,student",
        "Comma-separated categories a reader may choose when registering online "
        "(children register at the desk, where a guardian's consent is recorded: P9).",
    )
    reader_confirm_link: str = setting(
        "",
        "Link in the self-registration e-mail, with {card} and {token} in its path (never in "
        "its query, which access logs and proxies keep), e.g. "
        "https://library.example.org/register/confirm/{card}/{token}. Empty: "
        "web_public_url + /register/confirm/{card}/{token} when web_public_url is set, "
        "else the e-mail gives the card number and confirmation code only.",
    )
    renewal_period_base: RenewalBase = setting(
        RenewalBase.DUE_DATE,
        "What a renewal's loan period counts from: due_date (the current due date, so an "
        "early renewal never shortens or wastes the loan) or today (Koha's "
        "RenewalPeriodBase).",
    )
    reader_id_card_key: Secret = setting(
        Secret(""),
        "Secret key of the keyed hash that stands in for identity-card numbers. Empty: a "
        "random key made on first start in DATA_DIR/keys/reader_id_card_key (mode 0600). "
        "A value published with Shelfwise is refused.",
    )
    reader_id_card_old_keys: Secret = setting(
        Secret(""),
        "Earlier identity-card keys, comma-separated, for look-up only: a card hashed under "
        "one is still found, and hashed again under the current key when its number is next "
        "typed at the desk. The built-in key of earlier versions is always tried.",
    )
    password_hash_time_cost: int = setting(
        3,
        "Argon2id iterations for PINs and passwords.",
    )
    password_hash_memory_kib: int = setting(
        65536,
        "Argon2id memory (KiB) for PINs and passwords.",
    )
    password_hash_concurrency: int = setting(
        2,
        "PIN and password hashes computed at once in one process; further logins wait their "
        "turn, so a flood of logins holds at most this many times password_hash_memory_kib.",
    )
    access_login_attempts: int = setting(
        5,
        "Wrong passwords or PINs for one staff account or reader card, at any door, before it "
        "is locked for access_lockout_seconds (0: never locked).",
    )
    access_lockout_seconds: int = setting(
        900,
        "How long a login locked by failures stays locked.",
    )
    access_source_failures: int = setting(
        10,
        "Failed logins from one source (network address, SIP2 terminal account, API token), "
        "across every card and account, within access_source_window_seconds, after which "
        "logins from that source are refused without a check for a while (0: off). Stops "
        "one PIN tried on many cards.",
    )
    access_source_window_seconds: int = setting(
        600,
        "The window in which a source's failed logins are counted.",
    )
    access_source_backoff_seconds: int = setting(
        60,
        "How long a source is refused the first time; each further time in a row twice as long.",
    )
    access_source_backoff_max_seconds: int = setting(
        3600,
        "Longest refusal of a source.",
    )
    access_registrations_per_hour: int = setting(
        10,
        "Online self-registrations accepted from one network address per hour (0: no limit).",
    )
    access_confirmations_per_hour: int = setting(
        10,
        "E-mail confirmation attempts for one card per hour (0: no limit).",
    )
    access_login_attempts_retention_hours: int = setting(
        24,
        "Login failure and request counters (they name cards, user names and addresses) are "
        "deleted this long after their last use, once no lock or window holds them.",
    )
    access_staff_session_hours: int = setting(
        12,
        "Lifetime of a staff login session.",
    )
    access_reader_session_hours: int = setting(
        168,
        "Lifetime of a reader login session.",
    )
    privacy_notice_version: str = setting(
        "2026-1",
        "Version of the privacy notice consents refer to.",
    )
    idempotency_key: Secret = setting(
        Secret(""),
        "Secret key of the HMACs under which retried requests (idempotency keys) are stored. "
        "Empty: a random key made on first start in DATA_DIR/keys/idempotency_key (mode "
        "0600). A value published with Shelfwise is refused.",
    )
    idempotency_retention_days: int = setting(
        30,
        "Days a retried request (a kiosk's resend, an API retry, an offline upload) is "
        "answered from its first result; older idempotency keys are purged every hour. An "
        "offline file uploaded again after this is applied again.",
    )
    circulation_fee_block_cents: int = setting(
        1000,
        "Open fees (in fen) above which a reader may not borrow, renew or place holds.",
    )
    circulation_overdue_blocks: bool = setting(
        True,
        "A reader with an overdue or lost loan may not borrow more until it is returned or "
        "renewed (renewals and holds stay allowed).",
    )
    circulation_deposit_cents: str = setting(
        "",
        "Deposit (押金, in fen) a reader must hold before borrowing, per category: "
        "'adult=10000,student=5000'; '*=…' covers the other categories. Empty or 0: none. "
        "A reader the credit policy finds eligible borrows without one.",
    )
    credit_enabled: bool = setting(
        True,
        "Deposit-free credit borrowing (信用借阅): readers meeting the credit_* conditions "
        "need no deposit.",
    )
    credit_min_card_days: int = setting(
        180,
        "Credit borrowing: days since the reader registered.",
    )
    credit_overdue_lookback_days: int = setting(
        365,
        "Credit borrowing: no overdue return, overdue fine or overdue loan the library still "
        "holds for the reader in this many days.",
    )
    wishes_premoderate: bool = setting(
        False,
        "The wish wall's moderation: true, staff approve each wish before it shows "
        "(pre-moderation); false, a wish shows at once and staff act afterwards "
        "(post-moderation). A wish with a sensitive word waits for a moderator either way.",
    )
    wishes_per_month: int = setting(
        5,
        "Wishes one reader may post per calendar month (the library's local month).",
    )
    wishes_reports_to_queue: int = setting(
        3,
        "Abuse reports by readers that put a shown wish in the moderation queue.",
    )
    circulation_card_warning_days: int = setting(
        30,
        "The desk warns this many days before a reader's card expires.",
    )
    notice_languages: str = setting(
        "zh,en",
        "Comma-separated page languages (zh, zh-Hant, ko, en) each notice e-mail is written in.",
    )
    notice_due_soon_days: int = setting(
        3,
        "Days before the due date that a due-soon notice goes.",
    )
    smtp_host: str = setting(
        "127.0.0.1",
        "SMTP server for e-mail notices.",
    )
    smtp_port: int = setting(
        25,
        "Port of the SMTP server.",
    )
    smtp_sender: str = setting(
        "library@example.org",
        "From address of e-mail notices.",
    )
    smtp_username: str = setting(
        "",
        "SMTP login (empty: no login).",
    )
    smtp_password: Secret = setting(
        Secret(""),
        "SMTP password.",
    )
    smtp_starttls: bool = setting(
        False,
        "Use STARTTLS with the SMTP server.",
    )
    sip2_host: str = setting(
        "127.0.0.1",
        "Address of the plain-TCP SIP2 listener. Anything but loopback needs sip2_allowed_networks.",
    )
    sip2_port: int = setting(
        6001,
        "Port of the plain-TCP SIP2 listener (-1: none).",
    )
    sip2_allowed_networks: str = setting(
        "",
        "Comma-separated kiosk networks (CIDR) allowed on a non-loopback plain SIP2 listener.",
    )
    sip2_tls_host: str = setting(
        "0.0.0.0",
        "Address of the TLS SIP2 listener.",
    )
    sip2_tls_port: int = setting(
        6002,
        "Port of the TLS SIP2 listener (-1: none); it starts when cert and key are set.",
    )
    sip2_tls_cert: str = setting(
        "",
        "PEM certificate chain of the TLS SIP2 listener.",
    )
    sip2_tls_key: str = setting(
        "",
        "PEM private key of the TLS SIP2 listener.",
    )
    sip2_max_message_bytes: int = setting(
        8192,
        "Longest SIP2 message accepted (S-9).",
    )
    sip2_idle_timeout_seconds: int = setting(
        300,
        "Close a logged-in SIP2 connection that sends no complete message for this long "
        "(bytes of an unfinished message do not count: S-9).",
    )
    sip2_login_timeout_seconds: int = setting(
        10,
        "Close a SIP2 connection that has not logged in (93) this long after it opened.",
    )
    sip2_max_connections: int = setting(
        200,
        "SIP2 connections open at once, all terminals.",
    )
    sip2_max_unauthenticated: int = setting(
        32,
        "SIP2 connections not yet logged in, all addresses; a newer one closes the oldest. The "
        "rest of sip2_max_connections is kept for logged-in terminals.",
    )
    sip2_max_unauthenticated_per_address: int = setting(
        8,
        "SIP2 connections not yet logged in from one source address; a newer one closes the "
        "oldest of that address.",
    )
    sip2_max_connections_per_terminal: int = setting(
        4,
        "SIP2 sessions one terminal account may hold.",
    )
    sip2_login_failures: int = setting(
        5,
        "Failed SIP2 logins (93) from one address, or against one terminal account, after which "
        "further logins from it are refused without a password check for a while (S-3; 0: off). "
        "Reader PINs are locked by access_login_attempts, shared with the web login (S-6).",
    )
    sip2_login_backoff_seconds: int = setting(
        60,
        "How long the first SIP2 login backoff lasts; each further one from the same address "
        "or against the same account lasts twice as long, until a login succeeds.",
    )
    sip2_login_backoff_max_seconds: int = setting(
        3600,
        "Longest SIP2 login backoff.",
    )
    sip2_checkin_cancel_seconds: int = setting(
        10,
        "A SIP2 checkin this soon after the same terminal checked the item out is the kiosk "
        "taking its checkout back: no hold is trapped (S-8; 0: off).",
    )
    web_public_url: str = setting(
        "",
        "Address readers reach the library's pages at (e.g. https://lib.example.org), used in "
        "shareable links and their QR codes. Empty: the address the request came to.",
    )
    web_secret_key: Secret = setting(
        Secret(""),
        "Key that signs the web pages' CSRF tokens. Empty: a random key made on first start "
        "in DATA_DIR/keys/web_secret_key (mode 0600), shared by every process on that data "
        "folder. A value published with Shelfwise is refused.",
    )
    # --- spaces: seats and rooms (issue 19, docs/spaces.md) ---
    space_slot_minutes: int = setting(
        30, "Length of a booking slot; bookings start and end on slot boundaries (5-120)."
    )
    space_qr_key: Secret = setting(
        Secret(""),
        "Key that signs the seats' and doors' QR links. Empty: a random key made on first "
        "start in DATA_DIR/keys/space_qr_key (mode 0600). A published value is refused.",
    )
    space_checkin_grace_minutes: int = setting(
        15, "A booking not checked in this long after its start is released as a no-show."
    )
    space_leave_minutes: int = setting(
        30, "How long a checked-in reader may step away; the seat is released after that."
    )
    space_walk_in_minutes: int = setting(
        120, "Length of a walk-in booking made by scanning a free seat (cut at closing)."
    )
    space_no_show_limit: int = setting(
        3, "No-shows within space_no_show_window_days that suspend a reader's booking."
    )
    space_no_show_window_days: int = setting(30, "The window in which no-shows are counted.")
    space_suspension_days: int = setting(
        7, "Days booking stays suspended after the no-show that reached the limit."
    )
    space_booking_retention_days: int = setting(
        90,
        "Ended bookings are deleted this many days after their end by the hourly retention "
        "job (P3); never fewer than the no-show window and suspension need.",
    )
    analytics_min_readers: int = setting(
        5, "k of P17: a statistic of fewer different readers is hidden (docs/analytics.md)."
    )
    recommend_train_hours: int = setting(24, "Hours between recommendation trainings (P11).")
    # --- operations: backups, logs, metrics (docs/operations.md) ---
    backup_retention_days: int = setting(
        30,
        "Writing a backup deletes the Shelfwise backups in the same folder made more than "
        "this many days earlier (P4: backups follow the retention); 0 keeps every backup.",
    )
    log_format: LogFormat = setting(
        LogFormat.TEXT,
        "Log lines of `serve` and `sip2`: text (for a person) or json (one object per line "
        "for a log collector: time, level, logger, message, request/terminal id, fields).",
    )
    log_level: LogLevel = setting(
        LogLevel.INFO,
        "Lowest level written to the log (DEBUG, INFO, WARNING, ERROR).",
    )
    metrics_token: Secret = setting(
        Secret(""),
        "Bearer token that lets a scraper from another machine read /metrics. Empty: "
        "/metrics answers only requests from the machine itself (loopback).",
    )
    media_max_bytes: int = setting(
        1536 * 1024 * 1024,
        "Largest digital object (scan, PDF, audio, video) one ingest accepts (a 200-megapixel "
        "uncompressed RGB scan is 600 MB); the upload is counted while it streams to disk and "
        "refused, nothing kept, once it goes over. Web uploads are held to "
        "http_max_upload_bytes first.",
    )
    media_max_pixels: int = setting(
        300_000_000,
        "Largest image (width x height) an ingest decodes: a larger one is refused as a "
        "possible decompression bomb before any pixel is read.",
    )
    media_onsite_networks: str = setting(
        "",
        "Networks counted as on site for digital objects whose access rule is on-site: "
        "BRANCH=CIDR,CIDR;BRANCH=CIDR (e.g. CEN=10.1.0.0/16;NGQ=10.2.0.0/16).",
    )

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, object] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> Settings:
        """Defaults < the settings file < ``SHELFWISE_*`` variables < ``overrides`` (a
        ``None`` override is no override: an unset CLI flag)."""
        env = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        path = config_file or (Path(env["SHELFWISE_CONFIG"]) if "SHELFWISE_CONFIG" in env else None)
        if path is not None:
            raw.update(_read_toml(path))
        for row in SETTINGS:
            if row.env_name in env:
                raw[row.name] = env[row.env_name]
        for name, value in (overrides or {}).items():
            if name not in _BY_NAME:
                raise SettingsError(f"unknown setting {name!r}")
            if value is not None:
                raw[name] = value
        values: dict[str, Any] = {n: coerce(_BY_NAME[n], v) for n, v in raw.items()}
        return _checked(cls(**values))

    @property
    def resolved_database_url(self) -> str:
        """The database to connect to: ``database_url``, or SQLite in ``data_dir``."""
        return self.database_url.reveal() or (
            f"sqlite:///{(self.data_dir / 'shelfwise.sqlite').resolve()}"
        )

    def public_items(self) -> list[tuple[str, str]]:
        """Name and displayable value of each setting (secrets masked)."""
        shown = []
        for row in SETTINGS:
            value = getattr(self, row.name)
            shown.append((row.name, "**********" if row.secret and value else str(value)))
        return shown


# The oai-identifier scheme's repositoryIdentifier (its XML Schema's pattern).
_OAI_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def _checked(settings: Settings) -> Settings:
    """Checks a value's type cannot express, made once here rather than by each door."""
    if not _OAI_REPOSITORY_ID.fullmatch(settings.oai_repository_identifier):
        raise SettingsError(
            f"oai_repository_identifier: {settings.oai_repository_identifier!r} is not a "
            "domain-like name such as lib.example.org (the oai-identifier scheme requires one)"
        )
    if not page_languages(settings.notice_languages):
        raise SettingsError(f"notice_languages: one or more of {', '.join(PAGE_LANGUAGES)}")
    if not 5 <= settings.space_slot_minutes <= 120 or 1440 % settings.space_slot_minutes:
        raise SettingsError("space_slot_minutes: 5 to 120, dividing a day (15, 30, 60...)")
    return settings


def _registry() -> tuple[Setting, ...]:
    types = get_type_hints(Settings)
    return tuple(
        Setting(name=f.name, type=types[f.name], default=f.default, help=f.metadata["help"])
        for f in fields(Settings)
    )


SETTINGS: tuple[Setting, ...] = _registry()
_BY_NAME = {row.name: row for row in SETTINGS}


def _read_toml(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise SettingsError(f"{path}: unknown settings {', '.join(unknown)}")
    return data
