"""Finding readers from the staff search box (readers/finding.py, ReaderService.find):
name in the script it was written in or the other Chinese script, pinyin whole and as
initials, a surname read another way, a Korean given name, phone, e-mail, card and
identity card (by its keyed hash, never a stored key); keys follow an edit and go with
an erasure."""

from __future__ import annotations

from sqlalchemy import select

from shelfwise.readers.finding import query_key, search_keys
from shelfwise.services import Services
from shelfwise.storage.tables import reader_search_keys

ID_CARD = "11010519491231002X"


def _names(services: Services, typed: str) -> list[str]:
    return [r.name for r in services.readers.find(typed)]


def test_keys_cover_scripts_pinyin_and_contacts() -> None:
    keys = search_keys("張三豐", "138-0013-8000", "Zhang@Example.com")
    assert {"張三豐", "张三丰", "zhangsanfeng", "zsf", "sanfeng", "三丰"} <= keys
    assert {"13800138000", "zhang@example.com"} <= keys
    # 单 is read shàn as a surname: both readings are keys.
    assert {"shantianfang", "dantianfang"} <= search_keys("单田芳", None, None)
    assert "민준" in search_keys("김민준", None, None)
    assert "garcia" in search_keys("María García", None, None)
    assert query_key(" Zhang San ") == "zhangsan"
    assert query_key("張") == "张"


def test_a_reader_is_found_by_name_pinyin_phone_email_card_and_id_card(
    services: Services,
) -> None:
    zhang = services.readers.register(
        name="張三豐",
        category="adult",
        phone="13800138000",
        email="sanfeng@example.org",
        id_card=ID_CARD,
    ).reader
    services.readers.register(name="李四", category="adult", phone="13900001111")
    services.readers.register(name="Maria Garcia", category="adult")
    for typed in ("张三", "張三豐", "zhang san", "zhangs", "zsf", "sanfeng", "1380013", "SanFeng@"):
        assert _names(services, typed) == ["張三豐"], typed
    assert _names(services, zhang.card_number) == ["張三豐"]
    assert _names(services, ID_CARD) == ["張三豐"]
    assert _names(services, ID_CARD.lower()) == ["張三豐"]
    assert _names(services, "garc") == ["Maria Garcia"]
    assert _names(services, "139") == ["李四"]
    assert _names(services, "wang") == []
    assert _names(services, "   ") == []
    with services.db.read() as conn:
        stored = set(conn.execute(select(reader_search_keys.c.key)).scalars())
    assert not any(ID_CARD[:10] in key for key in stored)  # P9: never a key


def test_keys_follow_an_edit_and_go_with_the_reader(services: Services) -> None:
    card = services.readers.register(name="王五", category="adult").reader.card_number
    assert _names(services, "wangwu") == ["王五"]
    services.readers.update_details(card, name="赵六", category="adult", phone="0755-1234")
    assert _names(services, "wangwu") == []
    assert _names(services, "zhaoliu") == ["赵六"]
    assert _names(services, "07551234") == ["赵六"]
    services.reader_rights.erase(card)
    assert _names(services, "zhaoliu") == []
    with services.db.read() as conn:
        assert conn.execute(select(reader_search_keys)).all() == []
