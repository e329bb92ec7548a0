"""Notice templates: the words of each notice kind in each page language, edited by staff.

A notice is written from a template per (kind, language): the library's edited text when
there is one, else the built-in text below. A template names what it says with
placeholders (``{title}``); each kind offers its own set (:data:`PLACEHOLDERS`), and a
template naming any other — a misspelling, ``{}``, a format spec, an attribute — is refused
on save, so the sender can never meet a placeholder it cannot fill. Rendering fills
validated names only (``str.format_map`` over plain strings; no attribute or index
lookups reach a value). The subject is one line: a line break in it could add a mail
header.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from shelfwise.circulation import repo_notices
from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database

# The page languages (web/i18n.PAGE_LANGUAGES; a domain does not import the web door).
LANGUAGES = ("zh", "zh-Hant", "ko", "en")
_COMMON = ("library", "reader")
# Each kind circulation sends (notices.py, receipts.py) and the placeholders it fills.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "hold_ready": (*_COMMON, "title", "expires_on", "pickup_branch", "pickup_code"),
    "due_soon": (*_COMMON, "title", "due_on"),
    "overdue": (*_COMMON, "title", "due_on"),
    "checkout_receipt": (*_COMMON, "title", "due_on", "barcode"),
}
KINDS = tuple(PLACEHOLDERS)
SUBJECT_MAX, BODY_MAX = 200, 4000


@dataclass(frozen=True, slots=True)
class NoticeText:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class NoticeTemplate:
    kind: str
    language: str
    subject: str
    body: str
    edited: bool  # False: the built-in text
    updated_by: str | None = None
    updated_at: datetime | None = None


Words = tuple[str, str]  # (subject, body)


def _t(zh: Words, hant: Words, ko: Words, en: Words) -> dict[str, NoticeText]:
    return {
        lang: NoticeText(*text) for lang, text in zip(LANGUAGES, (zh, hant, ko, en), strict=True)
    }


BUILT_IN: dict[str, dict[str, NoticeText]] = {
    "hold_ready": _t(
        (
            "预约图书已到馆",
            "《{title}》已可取，请于 {expires_on} 前到{pickup_branch}借阅，取书码 {pickup_code}。",
        ),
        (
            "預約圖書已到館",
            "《{title}》已可取，請於 {expires_on} 前到{pickup_branch}借閱，取書碼 {pickup_code}。",
        ),
        (
            "예약 자료 도착",
            "《{title}》을(를) {expires_on}까지 {pickup_branch}에서 찾아가세요. 수령 코드 {pickup_code}.",
        ),
        (
            "Your hold is ready",
            "'{title}' is waiting for you at {pickup_branch} until {expires_on}. Pickup code {pickup_code}.",
        ),
    ),
    "due_soon": _t(
        ("图书即将到期", "《{title}》将于 {due_on} 到期。"),
        ("圖書即將到期", "《{title}》將於 {due_on} 到期。"),
        ("반납 예정 안내", "《{title}》의 반납일은 {due_on}입니다."),
        ("Items due soon", "'{title}' is due on {due_on}."),
    ),
    "overdue": _t(
        ("图书已逾期", "《{title}》已于 {due_on} 到期，请尽快归还。"),
        ("圖書已逾期", "《{title}》已於 {due_on} 到期，請盡快歸還。"),
        ("연체 안내", "《{title}》의 반납일({due_on})이 지났습니다. 빨리 반납해 주세요."),
        ("Items overdue", "'{title}' was due on {due_on}. Please bring it back soon."),
    ),
    "checkout_receipt": _t(
        ("借书凭条", "您借了《{title}》（{barcode}），应还日期 {due_on}。"),
        ("借書憑條", "您借了《{title}》（{barcode}），應還日期 {due_on}。"),
        ("대출 영수증", "《{title}》({barcode})을(를) 빌렸습니다. 반납일은 {due_on}입니다."),
        ("Checkout receipt", "You borrowed '{title}' ({barcode}), due on {due_on}."),
    ),
}

# What a preview fills the placeholders with: a made-up reader and loan, per language.
_SAMPLE_TITLE = {"zh": "三体", "zh-Hant": "三體", "ko": "토지", "en": "The Three-Body Problem"}
_SAMPLE_READER = {"zh": "王小明", "zh-Hant": "王小明", "ko": "김민지", "en": "Alex Morgan"}
_SAMPLE_BRANCH = {"zh": "中心馆", "zh-Hant": "中心館", "ko": "중앙도서관", "en": "Central Library"}


def sample_values(language: str, library: str) -> dict[str, str]:
    day = date(2026, 12, 24).isoformat()
    return {
        "library": library,
        "reader": _SAMPLE_READER[language],
        "title": _SAMPLE_TITLE[language],
        "expires_on": day,
        "due_on": day,
        "pickup_branch": _SAMPLE_BRANCH[language],
        "pickup_code": "4711",
        "barcode": "C0012345",
    }


def check_text(kind: str, text: str) -> None:
    """Refuse ``text`` unless every placeholder in it is one ``kind`` fills."""
    allowed = PLACEHOLDERS[kind]
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ShelfwiseError("circ.notice_template_braces") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = (
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
            raise ShelfwiseError(
                "circ.notice_placeholder_unknown",
                placeholder=shown,
                allowed=", ".join("{" + a + "}" for a in allowed),
            )


def fill(text: NoticeText, values: dict[str, str]) -> NoticeText:
    """The text with its (checked) placeholders filled; a value is never parsed again."""
    return NoticeText(text.subject.format_map(values), text.body.format_map(values))


class NoticeTemplates:
    """The operations on notice templates (administration), and the sender's lookup."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def all(self) -> list[NoticeTemplate]:
        """Every (kind, language): the edited text, or the built-in one."""
        with self._db.read() as conn:
            edited = {(r.kind, r.language): r for r in repo_notices.templates(conn)}
        out = []
        for kind in KINDS:
            for language in LANGUAGES:
                row = edited.get((kind, language))
                if row is None:
                    text = BUILT_IN[kind][language]
                    out.append(NoticeTemplate(kind, language, text.subject, text.body, False))
                else:
                    out.append(
                        NoticeTemplate(
                            kind,
                            language,
                            row.subject,
                            row.body,
                            True,
                            row.updated_by,
                            row.updated_at,
                        )
                    )
        return out

    def save(
        self, kind: str, language: str, subject: str, body: str, *, actor: Actor, by: str
    ) -> NoticeTemplate:
        """Store the library's text of (kind, language) once its placeholders check out.
        The templates hold for every branch, so only an account bound to none saves one."""
        authorise(actor, everywhere=True)
        text = checked(kind, language, subject, body)
        now = self._clock.now()
        with self._db.write() as conn:
            repo_notices.save_template(
                conn, kind, language, text.subject, text.body, updated_by=by, at=now
            )
        return NoticeTemplate(kind, language, text.subject, text.body, True, by, now)

    def reset(self, kind: str, language: str, *, actor: Actor) -> None:
        """Back to the built-in text."""
        authorise(actor, everywhere=True)
        _known(kind, language)
        with self._db.write() as conn:
            repo_notices.delete_template(conn, kind, language)

    def preview(
        self, kind: str, language: str, subject: str, body: str, *, library: str
    ) -> NoticeText:
        """The notice as a sample reader would get it (refused as :meth:`save` refuses)."""
        return fill(checked(kind, language, subject, body), sample_values(language, library))


def checked(kind: str, language: str, subject: str, body: str) -> NoticeText:
    _known(kind, language)
    subject, body = subject.strip(), body.strip().replace("\r\n", "\n")
    if not subject or not body:
        raise ShelfwiseError("circ.notice_template_empty")
    if "\n" in subject or "\r" in subject or len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ShelfwiseError(
            "circ.notice_template_too_long", subject_max=SUBJECT_MAX, body_max=BODY_MAX
        )
    check_text(kind, subject)
    check_text(kind, body)
    return NoticeText(subject, body)


def _known(kind: str, language: str) -> None:
    if kind not in PLACEHOLDERS or language not in LANGUAGES:
        raise ShelfwiseError("request.not_found")


def written(
    conn: Connection, kind: str, languages: tuple[str, ...], values: dict[str, dict[str, str]]
) -> NoticeText:
    """The notice in each of ``languages`` (edited text, else built-in), one after another:
    subjects joined by " / ", bodies by a blank line. ``values``: per language."""
    edited = {r.language: NoticeText(r.subject, r.body) for r in repo_notices.templates(conn, kind)}
    parts = [_filled(kind, lang, edited.get(lang), values[lang]) for lang in languages]
    subjects = list(dict.fromkeys(p.subject for p in parts))
    return NoticeText(" / ".join(subjects), "\n\n".join(p.body for p in parts))


def _filled(
    kind: str, language: str, text: NoticeText | None, values: dict[str, str]
) -> NoticeText:
    """An edited text filled in, or the built-in one should the edited one no longer fit
    (a template stored before a placeholder was withdrawn): a notice is never lost to it."""
    if text is not None:
        try:
            return fill(text, values)
        except (KeyError, ValueError, IndexError):
            pass
    return fill(BUILT_IN[kind][language], values)
