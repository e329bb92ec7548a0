"""Every setting, declared once.

Each :class:`Setting` has a name, a type, a default and a help text; nothing
else in the code invents configuration. Values are read, lowest priority first,
from the defaults, ``shelfwise.toml`` in the data folder (or the file named by
``SHELFWISE_CONFIG``), ``SHELFWISE_*`` environment variables, and explicit
overrides (CLI flags). ``shelfwise settings`` prints the registry and
``docs/settings.md`` is generated from it (a test keeps it current).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    secret: bool = False

    @property
    def env_name(self) -> str:
        return "SHELFWISE_" + self.name.upper().replace(".", "_")


class Secret(str):
    """A string that never shows itself in logs, reprs or tracebacks."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('**********')"

    def reveal(self) -> str:
        return str.__str__(self)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        Path,
        Path("data"),
        "Folder for the SQLite database, search index, rejects and exports.",
    ),
    Setting(
        "database_url",
        str,
        "",
        "SQLAlchemy URL of the database. Empty means SQLite at DATA_DIR/shelfwise.sqlite; "
        "use postgresql+psycopg://user@host/db for PostgreSQL.",
        secret=True,
    ),
    Setting(
        "sqlite_busy_timeout_ms", int, 30000, "How long an SQLite writer waits for the write lock."
    ),
    Setting("import_batch_size", int, 2000, "Records per transaction during MARC import."),
    Setting(
        "import_workers",
        int,
        -1,
        "Processes that decode large ISO 2709 files during import: -1 = one per CPU, 0 = none.",
    ),
    Setting(
        "default_language",
        str,
        "zh",
        "Language of messages when the client states none (zh, ko, en).",
    ),
    Setting("http_host", str, "127.0.0.1", "Address the web and API server listens on."),
    Setting("http_port", int, 8000, "Port of the web and API server."),
    Setting(
        "http_max_body_bytes",
        int,
        2 * 1024 * 1024,
        "Largest request body the API and the pages accept (an offline upload of 5,000 "
        "transactions fits); a larger one is refused with 413 before it is read.",
    ),
    Setting(
        "http_max_upload_bytes",
        int,
        100 * 1024 * 1024,
        "Largest MARC file a cataloguer signed in to the staff client may upload; larger "
        "files are imported on the server with `shelfwise import`.",
    ),
    Setting(
        "import_upload_retention_hours",
        int,
        72,
        "A file uploaded in the staff client is deleted once its import has run; one whose "
        "import failed is kept this long for a look, then deleted.",
    ),
    Setting(
        "scheduler_enabled",
        bool,
        True,
        "Run the in-process scheduler (outbox delivery, periodic jobs).",
    ),
    Setting("outbox_batch_size", int, 200, "Outbox events delivered per round."),
    Setting(
        "outbox_claim_seconds",
        int,
        60,
        "How long a claimed outbox event is reserved for one worker.",
    ),
    Setting("library_name", str, "Shelfwise City Library", "Name shown on pages and notices."),
    Setting(
        "oai_repository_identifier",
        str,
        "shelfwise.local",
        "OAI-PMH repository identifier: a domain name the library controls (e.g. "
        "lib.example.org); record identifiers are oai:<it>:<record id>. The oai-identifier "
        "scheme requires a domain-like name (letters, digits, hyphens, at least one dot).",
    ),
    Setting(
        "library_timezone",
        str,
        "Asia/Shanghai",
        "The library's IANA time zone: the local day of due dates, closed days, fines, notices "
        "and hold expiry, and the local time kiosks are sent over SIP2.",
    ),
    # --- readers and circulation (issue 4) ---
    Setting("reader_card_prefix", str, "SW", "Prefix of generated reader card numbers."),
    Setting("reader_card_years", int, 3, "Years a new or renewed reader card is valid."),
    Setting(
        "reader_extra_categories",
        str,
        "",
        "Comma-separated reader categories of this library, beside child, adult, senior, student.",
    ),
    Setting(
        "reader_self_registration_confirm",
        bool,
        True,
        "Self-registered readers cannot borrow until they confirm their e-mail address.",
    ),
    Setting(
        "reader_self_registration_categories",
        str,
        "adult,senior,student",
        "Comma-separated categories a reader may choose when registering online "
        "(children register at the desk, where a guardian's consent is recorded: P9).",
    ),
    Setting(
        "reader_confirm_link",
        str,
        "",
        "Link in the self-registration e-mail, with {card} and {token} in its path (never in "
        "its query, which access logs and proxies keep), e.g. "
        "https://library.example.org/register/confirm/{card}/{token}. Empty: "
        "web_public_url + /register/confirm/{card}/{token} when web_public_url is set, "
        "else the e-mail gives the card number and confirmation code only.",
    ),
    Setting(
        "renewal_period_base",
        str,
        "due_date",
        "What a renewal's loan period counts from: due_date (the current due date, so an "
        "early renewal never shortens or wastes the loan) or today (Koha's "
        "RenewalPeriodBase).",
    ),
    Setting(
        "reader_id_card_key",
        str,
        "",
        "Secret key of the keyed hash that stands in for identity-card numbers. Empty: a "
        "random key made on first start in DATA_DIR/keys/reader_id_card_key (mode 0600). "
        "A value published with Shelfwise is refused.",
        secret=True,
    ),
    Setting(
        "reader_id_card_old_keys",
        str,
        "",
        "Earlier identity-card keys, comma-separated, for look-up only: a card hashed under "
        "one is still found, and hashed again under the current key when its number is next "
        "typed at the desk. The built-in key of earlier versions is always tried.",
        secret=True,
    ),
    Setting("password_hash_time_cost", int, 3, "Argon2id iterations for PINs and passwords."),
    Setting(
        "password_hash_memory_kib",
        int,
        65536,
        "Argon2id memory (KiB) for PINs and passwords.",
    ),
    Setting(
        "password_hash_concurrency",
        int,
        2,
        "PIN and password hashes computed at once in one process; further logins wait their "
        "turn, so a flood of logins holds at most this many times password_hash_memory_kib.",
    ),
    Setting(
        "access_login_attempts",
        int,
        5,
        "Wrong passwords or PINs for one staff account or reader card, at any door, before it "
        "is locked for access_lockout_seconds (0: never locked).",
    ),
    Setting(
        "access_lockout_seconds", int, 900, "How long a login locked by failures stays locked."
    ),
    Setting(
        "access_source_failures",
        int,
        10,
        "Failed logins from one source (network address, SIP2 terminal account, API token), "
        "across every card and account, within access_source_window_seconds, after which "
        "logins from that source are refused without a check for a while (0: off). Stops "
        "one PIN tried on many cards.",
    ),
    Setting(
        "access_source_window_seconds",
        int,
        600,
        "The window in which a source's failed logins are counted.",
    ),
    Setting(
        "access_source_backoff_seconds",
        int,
        60,
        "How long a source is refused the first time; each further time in a row twice as long.",
    ),
    Setting("access_source_backoff_max_seconds", int, 3600, "Longest refusal of a source."),
    Setting(
        "access_registrations_per_hour",
        int,
        10,
        "Online self-registrations accepted from one network address per hour (0: no limit).",
    ),
    Setting(
        "access_confirmations_per_hour",
        int,
        10,
        "E-mail confirmation attempts for one card per hour (0: no limit).",
    ),
    Setting(
        "access_login_attempts_retention_hours",
        int,
        24,
        "Login failure and request counters (they name cards, user names and addresses) are "
        "deleted this long after their last use, once no lock or window holds them.",
    ),
    Setting("access_staff_session_hours", int, 12, "Lifetime of a staff login session."),
    Setting("access_reader_session_hours", int, 168, "Lifetime of a reader login session."),
    Setting(
        "privacy_notice_version", str, "2026-1", "Version of the privacy notice consents refer to."
    ),
    Setting(
        "idempotency_key",
        str,
        "",
        "Secret key of the HMACs under which retried requests (idempotency keys) are stored. "
        "Empty: a random key made on first start in DATA_DIR/keys/idempotency_key (mode "
        "0600). A value published with Shelfwise is refused.",
        secret=True,
    ),
    Setting(
        "idempotency_retention_days",
        int,
        30,
        "Days a retried request (a kiosk's resend, an API retry, an offline upload) is "
        "answered from its first result; older idempotency keys are purged every hour. An "
        "offline file uploaded again after this is applied again.",
    ),
    Setting(
        "circulation_fee_block_cents",
        int,
        1000,
        "Open fees (in fen) above which a reader may not borrow, renew or place holds.",
    ),
    Setting(
        "circulation_overdue_blocks",
        bool,
        True,
        "A reader with an overdue or lost loan may not borrow more until it is returned or "
        "renewed (renewals and holds stay allowed).",
    ),
    Setting(
        "circulation_deposit_cents",
        str,
        "",
        "Deposit (押金, in fen) a reader must hold before borrowing, per category: "
        "'adult=10000,student=5000'; '*=…' covers the other categories. Empty or 0: none. "
        "A reader the credit policy finds eligible borrows without one.",
    ),
    Setting(
        "credit_enabled",
        bool,
        True,
        "Deposit-free credit borrowing (信用借阅): readers meeting the credit_* conditions "
        "need no deposit.",
    ),
    Setting(
        "credit_min_card_days",
        int,
        180,
        "Credit borrowing: days since the reader registered.",
    ),
    Setting(
        "credit_overdue_lookback_days",
        int,
        365,
        "Credit borrowing: no overdue return, overdue fine or overdue loan the library still "
        "holds for the reader in this many days.",
    ),
    Setting(
        "notice_due_soon_days", int, 3, "Days before the due date that a due-soon notice goes."
    ),
    Setting("smtp_host", str, "127.0.0.1", "SMTP server for e-mail notices."),
    Setting("smtp_port", int, 25, "Port of the SMTP server."),
    Setting("smtp_sender", str, "library@example.org", "From address of e-mail notices."),
    Setting("smtp_username", str, "", "SMTP login (empty: no login)."),
    Setting("smtp_password", str, "", "SMTP password.", secret=True),
    Setting("smtp_starttls", bool, False, "Use STARTTLS with the SMTP server."),
    Setting(
        "sip2_host",
        str,
        "127.0.0.1",
        "Address of the plain-TCP SIP2 listener. Anything but loopback needs sip2_allowed_networks.",
    ),
    Setting("sip2_port", int, 6001, "Port of the plain-TCP SIP2 listener (-1: none)."),
    Setting(
        "sip2_allowed_networks",
        str,
        "",
        "Comma-separated kiosk networks (CIDR) allowed on a non-loopback plain SIP2 listener.",
    ),
    Setting("sip2_tls_host", str, "0.0.0.0", "Address of the TLS SIP2 listener."),
    Setting(
        "sip2_tls_port",
        int,
        6002,
        "Port of the TLS SIP2 listener (-1: none); it starts when cert and key are set.",
    ),
    Setting("sip2_tls_cert", str, "", "PEM certificate chain of the TLS SIP2 listener."),
    Setting("sip2_tls_key", str, "", "PEM private key of the TLS SIP2 listener."),
    Setting("sip2_max_message_bytes", int, 8192, "Longest SIP2 message accepted (S-9)."),
    Setting(
        "sip2_idle_timeout_seconds",
        int,
        300,
        "Close a logged-in SIP2 connection that sends no complete message for this long "
        "(bytes of an unfinished message do not count: S-9).",
    ),
    Setting(
        "sip2_login_timeout_seconds",
        int,
        10,
        "Close a SIP2 connection that has not logged in (93) this long after it opened.",
    ),
    Setting("sip2_max_connections", int, 200, "SIP2 connections open at once, all terminals."),
    Setting(
        "sip2_max_unauthenticated",
        int,
        32,
        "SIP2 connections not yet logged in, all addresses; a newer one closes the oldest. The "
        "rest of sip2_max_connections is kept for logged-in terminals.",
    ),
    Setting(
        "sip2_max_unauthenticated_per_address",
        int,
        8,
        "SIP2 connections not yet logged in from one source address; a newer one closes the "
        "oldest of that address.",
    ),
    Setting(
        "sip2_max_connections_per_terminal", int, 4, "SIP2 sessions one terminal account may hold."
    ),
    Setting(
        "sip2_login_failures",
        int,
        5,
        "Failed SIP2 logins (93) from one address, or against one terminal account, after which "
        "further logins from it are refused without a password check for a while (S-3; 0: off). "
        "Reader PINs are locked by access_login_attempts, shared with the web login (S-6).",
    ),
    Setting(
        "sip2_login_backoff_seconds",
        int,
        60,
        "How long the first SIP2 login backoff lasts; each further one from the same address "
        "or against the same account lasts twice as long, until a login succeeds.",
    ),
    Setting("sip2_login_backoff_max_seconds", int, 3600, "Longest SIP2 login backoff."),
    Setting(
        "sip2_checkin_cancel_seconds",
        int,
        10,
        "A SIP2 checkin this soon after the same terminal checked the item out is the kiosk "
        "taking its checkout back: no hold is trapped (S-8; 0: off).",
    ),
    Setting(
        "web_public_url",
        str,
        "",
        "Address readers reach the library's pages at (e.g. https://lib.example.org), used in "
        "shareable links and their QR codes. Empty: the address the request came to.",
    ),
    Setting(
        "web_secret_key",
        str,
        "",
        "Key that signs the web pages' CSRF tokens. Empty: a random key made on first start "
        "in DATA_DIR/keys/web_secret_key (mode 0600), shared by every process on that data "
        "folder. A value published with Shelfwise is refused.",
        secret=True,
    ),
    # --- operations: backups, logs, metrics (docs/operations.md) ---
    Setting(
        "backup_retention_days",
        int,
        30,
        "Writing a backup deletes the Shelfwise backups in the same folder made more than "
        "this many days earlier (P4: backups follow the retention); 0 keeps every backup.",
    ),
    Setting(
        "log_format",
        str,
        "text",
        "Log lines of `serve` and `sip2`: text (for a person) or json (one object per line "
        "for a log collector: time, level, logger, message, request/terminal id, fields).",
    ),
    Setting(
        "log_level",
        str,
        "INFO",
        "Lowest level written to the log (DEBUG, INFO, WARNING, ERROR).",
    ),
    Setting(
        "metrics_token",
        str,
        "",
        "Bearer token that lets a scraper from another machine read /metrics. Empty: "
        "/metrics answers only requests from the machine itself (loopback).",
        secret=True,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    pass


def _coerce(setting: Setting, raw: object) -> object:
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{setting.name}: expected true/false, got {raw!r}")
    try:
        value = setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(
            f"{setting.name}: cannot read {raw!r} as {setting.type.__name__}"
        ) from exc
    return Secret(value) if setting.secret and isinstance(value, str) else value


class Settings:
    """Resolved settings; immutable after construction."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, object] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {s.name: s.default for s in SETTINGS}
        path = config_file or (Path(env["SHELFWISE_CONFIG"]) if "SHELFWISE_CONFIG" in env else None)
        if path is not None:
            values.update(_read_toml(path))
        for setting in SETTINGS:
            if setting.env_name in env:
                values[setting.name] = env[setting.env_name]
        for name, value in (overrides or {}).items():
            if name not in _BY_NAME:
                raise SettingsError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls({name: _coerce(_BY_NAME[name], raw) for name, raw in values.items()})

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    @property
    def data_dir(self) -> Path:
        return Path(str(self._values["data_dir"]))

    @property
    def database_url(self) -> str:
        url = self._values["database_url"]
        if isinstance(url, Secret):
            url = url.reveal()
        return str(url) or f"sqlite:///{(self.data_dir / 'shelfwise.sqlite').resolve()}"

    def public_items(self) -> list[tuple[str, str]]:
        """Name and displayable value of each setting (secrets masked)."""
        return [
            (
                s.name,
                "**********" if s.secret and self._values[s.name] else str(self._values[s.name]),
            )
            for s in SETTINGS
        ]


def _read_toml(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise SettingsError(f"{path}: unknown settings {', '.join(unknown)}")
    return data


def settings_markdown() -> str:
    """The settings reference, as ``docs/settings.md`` holds it."""
    lines = [
        "# Settings",
        "",
        "Generated from `src/shelfwise/config.py` (`shelfwise settings --markdown`).",
        "Priority, lowest first: default < `shelfwise.toml` < environment < command-line flag.",
        "",
        "| setting | environment variable | type | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = "" if s.default == "" else str(s.default)
        lines.append(
            f"| `{s.name}` | `{s.env_name}` | {s.type.__name__} | `{default}` | {s.help} |"
        )
    return "\n".join(lines) + "\n"
