from datetime import UTC, datetime

import pytest
from django.utils import translation

from polosa.core import dates


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_today_shows_only_the_time():
    now = utc(2026, 11, 25, 18, 0)  # 21:00 in Moscow
    assert dates.feed_time(utc(2026, 11, 25, 18, 52), now) == "21:52"


def test_yesterday_says_so_in_lowercase_as_it_follows_a_comma():
    now = utc(2026, 11, 25, 9, 0)
    assert dates.feed_time(utc(2026, 11, 24, 18, 52), now) == "вчера, 21:52"


def test_earlier_this_year_shows_day_and_short_month():
    now = utc(2026, 11, 25, 9, 0)
    assert dates.feed_time(utc(2026, 1, 23, 14, 13), now) == "23 янв, 17:13"


def test_another_year_adds_the_year():
    now = utc(2026, 1, 2, 9, 0)
    assert dates.feed_time(utc(2025, 12, 23, 14, 13), now) == "23 дек 2025, 17:13"


def test_midnight_is_taken_in_moscow_not_utc():
    # 21:30 UTC on the 24th is already 00:30 on the 25th in Moscow: "today" there.
    now = utc(2026, 11, 24, 22, 0)  # 01:00 on the 25th in Moscow
    assert dates.feed_time(utc(2026, 11, 24, 21, 30), now) == "00:30"
    # One minute before Moscow midnight is "yesterday" seen from 01:00.
    assert dates.feed_time(utc(2026, 11, 24, 20, 59), now) == "вчера, 23:59"


def test_new_year_boundary_uses_yesterday_then_year():
    now = utc(2026, 12, 31, 21, 30)  # 00:30 on 1 January 2027 in Moscow
    assert dates.feed_time(utc(2026, 12, 31, 20, 0), now) == "вчера, 23:00"
    assert dates.feed_time(utc(2026, 12, 30, 20, 0), now) == "30 дек 2026, 23:00"


def test_long_datetime_uses_the_genitive_month():
    assert dates.long_datetime(utc(2026, 11, 25, 11, 5)) == "25 ноября 2026, 14:05"


def test_iso_carries_the_moscow_offset():
    assert dates.iso(utc(2026, 11, 25, 11, 5)) == "2026-11-25T14:05:00+03:00"


def test_english_falls_back_to_english_words():
    with translation.override("en"):
        assert dates.feed_time(utc(2026, 1, 23, 14, 13), utc(2026, 11, 25, 9, 0)) == "23 Jan, 17:13"
