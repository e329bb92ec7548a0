"""The wish wall's rules through the real service, on both engines: posting (with every
kind of bad input), supporting, moderation, answers, merging, notices, privacy."""

from __future__ import annotations

import pytest

from shelfwise.circulation.scope import Acting, reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes.models import Moderation, WallFilter, WallOrder, WishKind, WishStatus
from wishes.wish_helpers import NETWORK_STAFF, STAFF, WishLibrary


def _code(exc: pytest.ExceptionInfo[ShelfwiseError]) -> str:
    return exc.value.code


def test_a_posted_wish_shows_on_the_wall_under_its_display_name(lib: WishLibrary) -> None:
    reader = lib.reader("王小明")
    wish_id = lib.post(reader, "三体", author="刘慈欣", reason="想读科幻", display_name="星空")
    (shown,) = lib.services.wishes.wall(WallFilter())
    assert (shown.id, shown.display_name, shown.title) == (wish_id, "星空", "三体")
    assert shown.status is WishStatus.SUBMITTED
    assert shown.moderation is Moderation.SHOWN
    assert reader.name not in repr(shown)
    assert reader.card_number not in repr(shown)


@pytest.mark.parametrize(
    ("isbn", "expected"),
    [("9787536692931", "0"), ("7-5366-9293-4", "5")],
)
def test_a_wrong_isbn_check_digit_says_which_digit_is_expected(
    lib: WishLibrary, isbn: str, expected: str
) -> None:
    reader = lib.reader()
    with pytest.raises(ShelfwiseError) as exc:
        lib.post(reader, isbn=isbn)
    assert _code(exc) == "wishes.isbn_check_digit"
    assert exc.value.params["expected"] == expected
    assert "check digit should be " + expected in exc.value.message("en")
    assert lib.count("SELECT count(*) FROM wishes") == 0  # nothing half-stored


def test_a_book_the_catalogue_has_is_offered_as_a_hold(lib: WishLibrary) -> None:
    record_id = lib.title("三体", "9787536692930", copies=1)
    with pytest.raises(ShelfwiseError) as exc:
        lib.post(lib.reader(), isbn="978-7-5366-9293-0")
    assert _code(exc) == "wishes.record_exists"
    assert exc.value.params["record_id"] == str(record_id)
    assert lib.count("SELECT count(*) FROM wishes") == 0


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "书" * 201, "wishes.text_too_long"),
        ("reason", "r" * 1001, "wishes.text_too_long"),
        ("display_name", "名" * 41, "wishes.text_too_long"),
        ("title", "   ", "wishes.text_required"),
        ("title", "bell\x07", "wishes.text_invalid"),
        ("isbn", "12345", "wishes.isbn_invalid"),
        ("branch", "NOPE", "wishes.unknown_branch"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_stored(
    lib: WishLibrary, field: str, value: str, code: str
) -> None:
    with pytest.raises(ShelfwiseError) as exc:
        lib.post(lib.reader(), **{field: value})
    assert _code(exc) == code
    assert lib.count("SELECT count(*) FROM wishes") == 0
    assert lib.count("SELECT count(*) FROM outbox WHERE topic LIKE 'wishes.%'") == 0


def test_html_emoji_and_every_script_are_kept_as_written(lib: WishLibrary) -> None:
    title = "<script>alert('x')</script> 📚 红楼梦 紅樓夢 홍루몽 Война и мир العربية हिन्दी"
    wish_id = lib.post(lib.reader(), title, reason="<b>bold</b>\n第二行", display_name="🌸 꽃")
    wish = lib.services.wishes.get(wish_id)
    assert wish.title == title
    assert wish.reason == "<b>bold</b>\n第二行"
    assert wish.display_name == "🌸 꽃"


def test_the_display_name_is_never_the_card_or_the_real_name(lib: WishLibrary) -> None:
    reader = lib.reader("李雷")
    for name in (reader.card_number, reader.name, f"我是{reader.name}"):
        with pytest.raises(ShelfwiseError) as exc:
            lib.post(reader, display_name=name)
        assert _code(exc) == "wishes.display_name_private"


def test_the_monthly_limit_counts_a_readers_wishes(lib: WishLibrary) -> None:
    reader = lib.reader()
    limit = lib.services.wishes.policy.per_month
    for n in range(limit):
        lib.post(reader, f"书{n}")
    with pytest.raises(ShelfwiseError) as exc:
        lib.post(reader, "再一本")
    assert _code(exc) == "wishes.over_limit"
    lib.post(lib.reader(), "别人的")  # another reader is not limited by it


def test_a_sensitive_word_sends_the_wish_to_the_queue(lib: WishLibrary) -> None:
    lib.services.wishes.add_word("ＢＡＤ词", actor=NETWORK_STAFF, by="admin")
    wish_id = lib.post(lib.reader(), "a bad词 book")  # width and case folded
    assert lib.services.wishes.wall(WallFilter()) == []
    (queued,) = lib.services.wishes.queue(actor=STAFF, branch="CEN")
    assert queued.id == wish_id
    assert queued.moderation is Moderation.PENDING
    lib.services.wishes.approve(wish_id, actor=STAFF)
    assert [w.id for w in lib.services.wishes.wall(WallFilter())] == [wish_id]


def test_a_reader_supports_once_and_never_their_own(lib: WishLibrary) -> None:
    wisher, fan = lib.reader(), lib.reader()
    wish_id = lib.post(wisher)
    wishes = lib.services.wishes
    assert wishes.support(wish_id, actor=reader_self(fan.card_number)).supporters == 1
    with pytest.raises(ShelfwiseError) as again:
        wishes.support(wish_id, actor=reader_self(fan.card_number))
    assert _code(again) == "wishes.already_supported"
    with pytest.raises(ShelfwiseError) as own:
        wishes.support(wish_id, actor=reader_self(wisher.card_number))
    assert _code(own) == "wishes.own_wish"
    assert wishes.get(wish_id).supporters == 1
    assert lib.count("SELECT count(*) FROM wish_supports") == 1


def test_reports_put_a_wish_in_the_queue_and_hiding_tells_the_wisher_why(
    lib: WishLibrary,
) -> None:
    wisher = lib.reader()
    wish_id = lib.post(wisher)
    wishes = lib.services.wishes
    for _ in range(wishes.policy.reports_to_queue):
        wishes.report(wish_id, "广告", actor=reader_self(lib.reader().card_number))
    assert [w.id for w in wishes.queue(actor=STAFF, branch="CEN")] == [wish_id]
    wishes.hide(wish_id, "含有广告", actor=STAFF)
    assert wishes.wall(WallFilter()) == []
    with pytest.raises(ShelfwiseError):
        wishes.get(wish_id)  # the public no longer sees it
    own = wishes.get(wish_id, viewer=reader_self(wisher.card_number))
    assert own.moderation is Moderation.HIDDEN
    assert own.moderation_note == "含有广告"
    lib.deliver()
    (told,) = [m for m in lib.channel.sent if "含有广告" in m[2]]
    assert told[0] == wisher.email


def test_staff_of_another_branch_cannot_answer(lib: WishLibrary) -> None:
    wish_id = lib.post(lib.reader(), branch="BR1")
    with pytest.raises(ShelfwiseError) as exc:
        lib.services.wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF)
    assert _code(exc) == "access.branch_forbidden"
    network = lib.post(lib.reader(), branch=None)
    with pytest.raises(ShelfwiseError) as net:
        lib.services.wishes.answer(network, "好的", actor=STAFF)
    assert _code(net) == "access.network_forbidden"
    assert lib.services.wishes.answer(network, "好的", actor=NETWORK_STAFF).answer == "好的"


def test_declining_needs_a_reason_and_is_final(lib: WishLibrary) -> None:
    wish_id = lib.post(lib.reader(), kind=WishKind.SERVICE, title="延长开放时间")
    wishes = lib.services.wishes
    with pytest.raises(ShelfwiseError) as exc:
        wishes.move(wish_id, WishStatus.DECLINED, actor=STAFF)
    assert _code(exc) == "wishes.text_required"
    wishes.move(wish_id, WishStatus.DECLINED, actor=STAFF, note="预算不足")
    with pytest.raises(ShelfwiseError) as final:
        wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF)
    assert _code(final) == "wishes.transition"
    assert wishes.get(wish_id).answer == "预算不足"


def test_merging_carries_supporters_once_and_tells_both_sides(lib: WishLibrary) -> None:
    a, b, both, other = lib.reader(), lib.reader(), lib.reader(), lib.reader()
    wishes = lib.services.wishes
    keep = lib.post(a, "活着")
    dup = lib.post(b, "活着（余华）")
    wishes.support(keep, actor=reader_self(both.card_number), notify=True)
    wishes.support(dup, actor=reader_self(both.card_number), notify=True)
    wishes.support(dup, actor=reader_self(other.card_number), notify=True)
    merged = wishes.merge(dup, keep, actor=STAFF)
    assert merged.supporters == 3  # b (the duplicate's wisher), both (once), other
    assert wishes.get(dup).moderation is Moderation.MERGED
    assert [w.id for w in wishes.wall(WallFilter())] == [keep]
    lib.deliver()
    told = {m[0] for m in lib.channel.sent}
    assert {a.email, b.email, both.email, other.email} <= told


def test_the_wall_sorts_and_filters(lib: WishLibrary) -> None:
    wishes = lib.services.wishes
    first = lib.post(lib.reader(), "一")
    second = lib.post(lib.reader(), "二", kind=WishKind.EVENT, branch="BR1")
    wishes.support(first, actor=reader_self(lib.reader().card_number))
    assert [w.id for w in wishes.wall(WallFilter(order=WallOrder.SUPPORTED))] == [first, second]
    assert [w.id for w in wishes.wall(WallFilter(kind=WishKind.EVENT))] == [second]
    assert [w.id for w in wishes.wall(WallFilter(branch="CEN"))] == [first]
    wishes.move(second, WishStatus.ACCEPTED, actor=Acting("staff"))
    assert [w.id for w in wishes.wall(WallFilter(status=WishStatus.ACCEPTED))] == [second]


def test_each_change_is_told_once_to_the_wisher_and_the_supporters_who_asked(
    lib: WishLibrary,
) -> None:
    wisher, loud, quiet = lib.reader(), lib.reader(), lib.reader()
    wishes = lib.services.wishes
    wish_id = lib.post(wisher, kind=WishKind.EVENT, title="绘本故事会")
    wishes.support(wish_id, actor=reader_self(loud.card_number), notify=True)
    wishes.support(wish_id, actor=reader_self(quiet.card_number), notify=False)
    wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF, note="下月举办")
    lib.deliver()
    lib.deliver()  # nothing more to deliver
    assert sorted(m[0] for m in lib.channel.sent) == sorted([str(wisher.email), str(loud.email)])
    # A redelivered event tells nobody again.
    with lib.services.db.write() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE outbox SET delivered_at = NULL WHERE topic = 'wishes.notice'"))
    lib.deliver()
    assert len(lib.channel.sent) == 2


def test_the_export_has_the_wishes_and_erasure_keeps_them_anonymous(lib: WishLibrary) -> None:
    reader, fan = lib.reader(), lib.reader()
    wishes = lib.services.wishes
    wish_id = lib.post(reader, "平凡的世界", display_name="小路")
    other = lib.post(fan, "人生")
    wishes.support(other, actor=reader_self(reader.card_number), notify=True)
    data = lib.services.reader_rights.export(reader.card_number)
    assert [w["title"] for w in data["wish_wall"]["wishes"]] == ["平凡的世界"]
    assert [s["wish_id"] for s in data["wish_wall"]["supports"]] == [other]
    lib.services.reader_rights.erase(reader.card_number)
    kept = wishes.get(wish_id)
    assert kept.title == "平凡的世界"
    assert kept.display_name == "—"
    assert lib.count(f"SELECT count(*) FROM wishes WHERE id = {wish_id} AND reader_id IS NULL")
    assert lib.count("SELECT count(*) FROM wish_supports") == 0
    assert wishes.get(other).supporters == 1  # the count stays; the person does not
    stats = wishes.stats()
    assert stats.by_status == {"submitted": 2}
    assert stats.supports == 1


def test_the_most_supported_order_reads_an_index_not_a_sort(lib: WishLibrary) -> None:
    """The wall sorted by supporters walks ix_wishes_supported (SQLite's plan says so; on
    PostgreSQL the planner may prefer a sort of a small table, so only SQLite is asked)."""
    from typing import Any

    from sqlalchemy import text as sql

    from shelfwise.wishes import repo as wish_repo
    from shelfwise.wishes.models import WallFilter, WallOrder

    db = lib.services.db
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is asked of SQLite")
    with db.read() as conn:
        captured: list[str] = []
        original = conn.execute

        def explain(statement: Any, *args: Any, **kw: Any) -> Any:
            compiled = statement.compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = original(sql(f"EXPLAIN QUERY PLAN {compiled}")).all()
            captured.extend(str(row[-1]) for row in plan)
            return original(statement, *args, **kw)

        conn.execute = explain  # type: ignore[method-assign]
        wish_repo.wall(conn, WallFilter(order=WallOrder.SUPPORTED, limit=30), None)
    assert any("ix_wishes_supported" in step for step in captured), captured
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in captured), captured
