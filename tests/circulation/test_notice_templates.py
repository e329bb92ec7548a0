"""Notice templates (issue 20, Administration): placeholders checked on save, a preview
with a sample reader, and the sender writing the edited words (else the built-in ones),
over real SMTP, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from email.header import decode_header, make_header

import pytest
from circ_helpers import LendingLibrary
from sqlalchemy import insert

from shelfwise.circulation.notice_templates import BUILT_IN, KINDS, LANGUAGES, PLACEHOLDERS
from shelfwise.circulation.notices import SmtpChannel, enqueue_due_notices
from shelfwise.circulation.scope import SYSTEM, Acting
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.runtime import Runtime
from shelfwise.storage.tables import notice_templates
from shelfwise.testing.mail import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


def _subject(message: object) -> str:
    raw = str(message["Subject"])  # type: ignore[index]
    return str(make_header(decode_header(raw)))


def _body(message: object) -> str:
    return str(message.get_payload(decode=True).decode())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("subject", "body", "code"),
    [
        ("到馆", "《{titel}》已可取", "circ.notice_placeholder_unknown"),  # a misspelling
        ("到馆 {due_on}", "《{title}》", "circ.notice_placeholder_unknown"),  # another kind's
        ("到馆", "《{}》已可取", "circ.notice_placeholder_unknown"),  # positional
        ("到馆", "{title.__class__}", "circ.notice_placeholder_unknown"),  # an attribute
        ("到馆", "{title!r}", "circ.notice_placeholder_unknown"),  # a conversion
        ("到馆", "{title:>40}", "circ.notice_placeholder_unknown"),  # a format spec
        ("到馆", "《{title》", "circ.notice_template_braces"),
        ("到馆\nBcc: x@example.org", "《{title}》", "circ.notice_template_too_long"),
        ("  ", "《{title}》", "circ.notice_template_empty"),
    ],
)
def test_a_template_with_a_placeholder_the_notice_cannot_fill_is_refused(
    library: LendingLibrary, subject: str, body: str, code: str
) -> None:
    templates = library.services.notice_templates()
    with pytest.raises(ShelfwiseError) as refused:
        templates.save("hold_ready", "zh", subject, body, actor=SYSTEM, by="管理员")
    assert refused.value.code == code
    if code == "circ.notice_placeholder_unknown":
        message = refused.value.message("en")
        assert "{title}" in message
        assert "{pickup_code}" in message
    with pytest.raises(ShelfwiseError):  # the preview refuses what the save refuses
        templates.preview("hold_ready", "zh", subject, body, library="L")
    assert not any(t.edited for t in templates.all())  # nothing stored


def test_every_kind_and_language_has_a_built_in_text_that_checks_out(
    library: LendingLibrary,
) -> None:
    templates = library.services.notice_templates()
    shown = templates.all()
    assert {(t.kind, t.language) for t in shown} == {(k, lang) for k in KINDS for lang in LANGUAGES}
    for kind in KINDS:
        for language in LANGUAGES:
            text = BUILT_IN[kind][language]
            preview = templates.preview(kind, language, text.subject, text.body, library="L")
            assert "{" not in preview.body
            assert "{" not in preview.subject
    assert set(PLACEHOLDERS) == set(KINDS)


def test_the_preview_fills_a_sample_reader_and_loan(library: LendingLibrary) -> None:
    preview = library.services.notice_templates().preview(
        "overdue", "ko", "{library} 연체", "{reader}님, 《{title}》 {due_on}", library="시립도서관"
    )
    assert preview.subject == "시립도서관 연체"
    assert preview.body == "김민지님, 《토지》 2026-12-24"


def test_only_an_account_bound_to_no_branch_changes_the_networks_templates(
    library: LendingLibrary,
) -> None:
    templates = library.services.notice_templates()
    bound = Acting("staff", ("NGQ",))
    with pytest.raises(ShelfwiseError) as refused:
        templates.save("overdue", "en", "Late", "'{title}'", actor=bound, by="x")
    assert refused.value.code == "access.network_forbidden"
    with pytest.raises(ShelfwiseError):
        templates.reset("overdue", "en", actor=bound)


def test_the_sender_writes_the_edited_words_and_falls_back_to_the_built_in_ones(
    library: LendingLibrary, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    services = library.services
    services.notice_channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    templates = services.notice_templates()
    templates.save(
        "hold_ready",
        "zh",
        "请来取书：{title}",
        "{reader}，您好！《{title}》在{pickup_branch}等您，取书码 {pickup_code}，保留到 {expires_on}。",
        actor=SYSTEM,
        by="馆员甲",
    )
    (edited,) = [t for t in templates.all() if t.edited]
    assert (edited.kind, edited.language, edited.updated_by) == ("hold_ready", "zh", "馆员甲")
    circ = services.circulation
    record_id, (barcode,) = library.title("三体")
    borrower = library.reader("借书人", email="borrower@example.org")
    holder = library.reader("预约人", email="holder@example.org")
    circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    circ.place_hold(holder.card_number, record_id, "CEN", actor=SYSTEM)
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    Runtime(services).outbox_relay().drain()
    (ready,) = inbox.messages
    body = _body(ready)
    assert "预约人，您好！《三体" in body
    assert "保留到 20" in body
    assert "取书码 " in body
    assert "{" not in body
    assert "is waiting for you" in body  # English: still the built-in words
    assert "请来取书：三体" in _subject(ready)
    assert "Your hold is ready" in _subject(ready)

    # Back to the built-in text: the next notice says what it said before.
    templates.reset("hold_ready", "zh", actor=SYSTEM)
    assert not any(t.edited for t in templates.all())


def test_a_stored_template_that_no_longer_fits_falls_back_to_the_built_in_text(
    library: LendingLibrary, smtp: tuple[Inbox, int]
) -> None:
    """A row written before a placeholder was withdrawn (here: straight into the table)
    must not lose the notice: the built-in words go instead."""
    inbox, port = smtp
    services = library.services
    with services.db.write() as conn:
        conn.execute(
            insert(notice_templates).values(
                kind="hold_ready",
                language="en",
                subject="Ready",
                body="{shelf_number} for you",
                updated_by="old",
                updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    services.notice_channel = channel
    circ = services.circulation
    record_id, (barcode,) = library.title("Dune")
    borrower = library.reader("B", email="b@example.org")
    holder = library.reader("H", email="h@example.org")
    circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    circ.place_hold(holder.card_number, record_id, "CEN", actor=SYSTEM)
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    Runtime(services).outbox_relay().drain()
    (ready,) = inbox.messages
    assert "is waiting for you" in _body(ready)
    assert "shelf_number" not in _body(ready)


def test_notices_go_in_the_languages_the_library_chose(
    library: LendingLibrary, smtp: tuple[Inbox, int], clock: FrozenClock
) -> None:
    inbox, port = smtp
    services = library.services
    services.settings = replace(services.settings, notice_languages="ko")
    services.notice_channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    services.notice_templates().save(
        "overdue", "ko", "연체: {title}", "{reader}님, {due_on}", actor=SYSTEM, by="관리자"
    )
    _record_id, (barcode,) = library.title("토지")
    borrower = library.reader("김민지", email="k@example.org")
    loan = services.circulation.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    clock.set(datetime.combine(loan.due_on + timedelta(days=2), time(9), UTC))
    assert enqueue_due_notices(services.db, clock, 3) == 1
    Runtime(services).outbox_relay().drain()
    (overdue,) = inbox.messages
    assert "연체: 토지" in _subject(overdue)
    assert "/" not in _subject(overdue).split(":", 1)[1]
    assert _body(overdue).strip() == f"김민지님, {loan.due_on.isoformat()}"


def test_a_checkout_receipt_goes_only_to_a_reader_who_asked_and_once(
    library: LendingLibrary, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    services = library.services
    services.notice_channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    _, (wanted_copy,) = library.title("活着")
    _, (quiet_copy,) = library.title("兄弟")
    asked = library.reader("要凭条", email="asked@example.org")
    services.readers.set_consent(asked.card_number, "email_receipts", True)
    quiet = library.reader("不要凭条", email="quiet@example.org")  # notices yes, receipts no
    circ, receipts = services.circulation, services.receipts()
    loan = circ.checkout(asked.card_number, wanted_copy, "CEN", actor=SYSTEM)
    other = circ.checkout(quiet.card_number, quiet_copy, "CEN", actor=SYSTEM)
    assert receipts.after_checkout(loan) is True
    assert receipts.after_checkout(loan) is True  # a replayed checkout asks again...
    assert receipts.after_checkout(other) is False
    Runtime(services).outbox_relay().drain()
    (receipt,) = inbox.messages  # ...and the reader gets one receipt
    assert receipt["To"] == "asked@example.org"
    body = _body(receipt)
    assert f"（{wanted_copy}），应还日期 {loan.due_on.isoformat()}" in body
    assert "You borrowed '活着" in body
    assert "借书凭条" in _subject(receipt)
