"""The clock knows the library's day (issue 12, item 4): ``today()`` is the local date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shelfwise import app as composition
from shelfwise.config import Settings, SettingsError
from shelfwise.core.clock import DEFAULT_ZONE, FrozenClock, SystemClock, ZonedClock, in_zone


def test_today_is_the_local_date_not_the_utc_one() -> None:
    late_utc = datetime(2026, 9, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 September in Shenyang
    clock = FrozenClock(late_utc)
    assert clock.zone == DEFAULT_ZONE
    assert clock.now().date() == date(2026, 9, 1)
    assert clock.today() == date(2026, 9, 2)
    assert FrozenClock(late_utc, ZoneInfo("Europe/London")).today() == date(2026, 9, 1)
    assert FrozenClock(late_utc, ZoneInfo("America/Los_Angeles")).today() == date(2026, 9, 1)
    assert abs(SystemClock().now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_zoned_view_follows_the_clock_it_views() -> None:
    base = FrozenClock(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    seoul = in_zone(base, ZoneInfo("Asia/Seoul"))
    assert isinstance(seoul, ZonedClock)
    assert seoul.today() == date(2026, 3, 29)
    base.advance(timedelta(hours=-15))
    assert seoul.today() == date(2026, 3, 28)
    assert seoul.now() == base.now()
    assert in_zone(base, DEFAULT_ZONE) is base


def test_the_composition_root_keeps_the_library_timezone(tmp_path: Path) -> None:
    settings = Settings.load({"data_dir": tmp_path, "library_timezone": "Asia/Seoul"}, environ={})
    services = composition.build(
        settings, clock=FrozenClock(datetime(2026, 9, 1, 15, 30, tzinfo=UTC))
    )
    try:
        assert services.clock.zone == ZoneInfo("Asia/Seoul")
        assert services.clock.today() == date(2026, 9, 2)
    finally:
        services.close()
    assert Settings.load(environ={}).library_timezone == "Asia/Shanghai"
    wrong = Settings.load({"data_dir": tmp_path, "library_timezone": "Mars/Olympus"}, environ={})
    with pytest.raises(SettingsError, match=r"library_timezone.*Mars/Olympus"):
        composition.build(wrong, migrate_db=False)
